using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// Runs each session as a bubblewrap sandbox on this machine: Xvnc on a unix socket, a window manager and the template's
/// local command, as the member's uid, with the member's home bind-mounted. Sandboxes outlive the process that started them.
/// </summary>
public sealed class LocalSessionRuntime(IOptions<LocalRuntimeOptions> options, TimeProvider time, ILogger<LocalSessionRuntime> logger)
    : ISessionRuntime
{
    private const int MaxSocketPathBytes = 107;
    private const int FailureLogLines = 4;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);
    private static readonly string? OwnPidNamespace = ProcessTable.PidNamespace(Environment.ProcessId);

    private readonly LocalRuntimeOptions _options = options.Value;
    private readonly string _dataDirectory = options.Value.ResolvedDataDirectory;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly string _bubblewrap = ProcessTable.ResolvedPath(options.Value.BwrapPath);
    private readonly string _slirp = ProcessTable.ResolvedPath(options.Value.Network.SlirpPath);

    // Kept so .NET reaps the sandboxes this process started; a restarted process finds them through the pid files instead.
    private readonly ConcurrentDictionary<Guid, Process> _children = new();
    private readonly ConcurrentDictionary<Guid, Process> _networks = new();

    public async Task<SessionEndpoint> EnsureStartedAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = spec.TenantId, ["SessionId"] = spec.SessionId });
        var layout = new SessionLayout(_dataDirectory, spec.SessionId);
        var gate = _gates.GetOrAdd(spec.SessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await IsServingAsync(layout, cancellationToken))
            {
                progress.Report("Ready");
                return Endpoint(layout);
            }

            // Whatever is left of an earlier sandbox (crashed, half started, hung) goes before a new one starts.
            await StopProcessesAsync(layout);
            await RemoveRunDirectoryAsync(layout);
            await ForgetChildAsync(spec.SessionId);
            return await StartAsync(spec, layout, progress, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task HibernateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        StopAsync(session?.SessionId ?? throw new ArgumentNullException(nameof(session)), removeSecret: false, cancellationToken);

    public Task TerminateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        StopAsync(session?.SessionId ?? throw new ArgumentNullException(nameof(session)), removeSecret: true, cancellationToken);

    public Task<IReadOnlyList<ObservedSession>> ObserveAsync(CancellationToken cancellationToken)
    {
        var runRoot = SessionLayout.RunRoot(_dataDirectory);
        var observed = new List<ObservedSession>();
        if (Directory.Exists(runRoot))
        {
            foreach (var directory in Directory.EnumerateDirectories(runRoot))
            {
                if (!Guid.TryParse(Path.GetFileName(directory), out var sessionId))
                {
                    continue;
                }

                var layout = new SessionLayout(_dataDirectory, sessionId);
                var running = SandboxRecord.Load(layout.PidFile)?.IsAlive == true;
                observed.Add(new ObservedSession(new SessionAddress(layout.ReadTenantSlug(), sessionId), running, running ? Endpoint(layout) : null));
            }
        }

        return Task.FromResult<IReadOnlyList<ObservedSession>>(observed);
    }

    public Task<string?> ReadVncPasswordAsync(SessionAddress session, CancellationToken cancellationToken) =>
        VncPassword.ReadAsync(new SessionLayout(_dataDirectory, session?.SessionId ?? throw new ArgumentNullException(nameof(session))).SecretFile, cancellationToken);

    private static SessionEndpoint Endpoint(SessionLayout layout) => new(StreamProtocol.Rfb, "unix:" + layout.SocketPath);

    private static async Task<bool> IsServingAsync(SessionLayout layout, CancellationToken cancellationToken) =>
        SandboxRecord.Load(layout.PidFile) is { IsAlive: true }
        && await RfbBanner.AnswersAsync(layout.SocketPath, ProbeTimeout, cancellationToken);

    private async Task<SessionEndpoint> StartAsync(SessionSpec spec, SessionLayout layout, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local session runtime needs Linux namespaces (bubblewrap).");
        }

        CheckCanStart(spec, layout);
        try
        {
            var gatewayGid = UnixGroups.Resolve(_options.GatewayGroup);
            var home = PrepareDirectories(spec, layout, gatewayGid);
            HomeStorage.EnsureWithin(home, spec.HomeStorageBytes);
            HomeStorage.Remember(layout, home, spec.HomeStorageBytes);
            await PrepareSandboxDirectoryAsync(spec, layout, gatewayGid, cancellationToken);
            var cgroup = _options.EnforceResourceLimits ? Cgroup(layout) ?? throw new SandboxStartException(SandboxCgroup.Unavailable) : null;
            cgroup?.Create(spec.MemoryBytes, spec.CpuMillicores, _options.PidsLimit);

            var screen = spec.Screen is { Width: > 0, Height: > 0 } requested
                ? requested
                : new ScreenSize(_options.DefaultWidth, _options.DefaultHeight);
            progress.Report("Starting display…");
            var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
            var sandbox = SandboxCommandLine.Build(spec, layout, home, screen, _options);
            foreach (var argument in cgroup is null ? sandbox : [.. JoinCgroup(cgroup, layout), "/bin/sh", .. sandbox])
            {
                startInfo.ArgumentList.Add(argument);
            }

            var process = Process.Start(startInfo) ?? throw new SandboxStartException("The sandbox process could not be started.");
            _children[spec.SessionId] = process;
            var started = ProcessTable.Read(process.Id)
                ?? throw new SandboxStartException($"The sandbox exited at once with code {ExitCode(process)}.");
            new SandboxRecord(process.Id, started.StartTime, null).Save(layout.PidFile);
            var info = await WaitForSandboxInfoAsync(layout, process, cancellationToken);
            new SandboxRecord(process.Id, started.StartTime, info.PidNamespace).Save(layout.PidFile);
            if (spec.HasCapability("network"))
            {
                await AttachNetworkAsync(spec.SessionId, layout, info, cancellationToken);
            }

            logger.LogInformation("Started sandbox {Pid} for {Template} as uid {Uid}", process.Id, spec.TemplateName, spec.MemberUid);

            await WaitForBannerAsync(layout, process, cancellationToken);
            progress.Report($"Starting {SandboxCommandLine.AppName(spec)}…");
            await WaitForSettleAsync(process, cancellationToken);
            progress.Report("Ready");
            logger.LogInformation("Session is ready at {SocketPath}", layout.SocketPath);
            return Endpoint(layout);
        }
        catch (Exception ex)
        {
            // Nothing of a failed start may keep running; the logs are read before the run directory goes.
            await StopProcessesAsync(layout);
            if (_children.TryGetValue(spec.SessionId, out var child) && !child.HasExited)
            {
                // Started but never recorded in the pid file (the write failed), so the stop above could not find it.
                child.Kill(entireProcessTree: true);
            }

            var reason = ex is SandboxStartException ? FailureReason(layout, ex.Message) : null;
            await RemoveRunDirectoryAsync(layout);
            await ForgetChildAsync(spec.SessionId);
            if (reason is null)
            {
                throw;
            }

            logger.LogWarning("Session failed to start: {Reason}", reason);
            throw new SandboxStartException(reason, ex);
        }
    }

    private void CheckCanStart(SessionSpec spec, SessionLayout layout)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new SandboxStartException(
                $"The local session runtime must run as root to start sandboxes as member uids (setpriv --reuid); this process runs as {Environment.UserName}.");
        }

        if (spec.MemberUid <= 0)
        {
            throw new SandboxStartException($"Session uid {spec.MemberUid} is not a member uid; sandboxes never run as root.");
        }

        if (string.IsNullOrEmpty(spec.TenantSlug) || Path.GetFileName(spec.TenantSlug) != spec.TenantSlug || spec.TenantSlug is "." or "..")
        {
            throw new SandboxStartException($"'{spec.TenantSlug}' cannot name a home directory.");
        }

        if (string.IsNullOrWhiteSpace(spec.LocalCommand))
        {
            throw new SandboxStartException($"Template {spec.TemplateName} has no local command; the local runtime cannot run images.");
        }

        foreach (var (binary, package) in new[]
        {
            (_options.XvncPath, "tigervnc-standalone-server"),
            (_options.BwrapPath, "bubblewrap"),
            (_options.WindowManagerPath, "matchbox-window-manager"),
            (_options.SetprivPath, "util-linux"),
            (_options.SetsidPath, "util-linux"),
            (_options.BashPath, "bash"),
            (_options.VncPasswdPath, "tigervnc-tools"),
        })
        {
            if (!File.Exists(binary))
            {
                throw new SandboxStartException($"{binary} is missing; install the Debian package {package}.");
            }
        }

        if (spec.HasCapability("network"))
        {
            foreach (var (binary, package) in new[]
            {
                (_options.Network.SlirpPath, "slirp4netns"),
                (_options.Network.NftPath, "nftables"),
                (_options.Network.NsenterPath, "util-linux"),
            })
            {
                if (!File.Exists(binary))
                {
                    throw new SandboxStartException($"{binary} is missing; sessions with network access need the Debian package {package}.");
                }
            }
        }

        if (Encoding.UTF8.GetByteCount(layout.SocketPath) > MaxSocketPathBytes)
        {
            throw new SandboxStartException(
                $"The socket path {layout.SocketPath} is longer than a unix socket allows; choose a shorter Runtime:Local:DataDirectory.");
        }
    }

    /// <summary>Creates the member's home and the session's run directory; returns the home.</summary>
    [SupportedOSPlatform("linux")]
    private string PrepareDirectories(SessionSpec spec, SessionLayout layout, int? gatewayGid)
    {
        var home = MemberHome.Prepare(_dataDirectory, spec.TenantSlug, spec.MemberId, spec.MemberUid);
        CreateDirectory(SessionLayout.RunRoot(_dataDirectory), MemberHome.TraversableMode);
        CreateDirectory(layout.RunDirectory, MemberHome.TraversableMode);
        File.WriteAllText(layout.TenantFile, spec.TenantSlug + "\n");
        CreateDirectory(layout.SandboxDirectory, MemberHome.PrivateMode);
        MemberHome.PrepareSecrets(_dataDirectory, gatewayGid);

        // The app's output may be private to the member: the logs are root's alone.
        foreach (var log in new[] { layout.LogFile, layout.DisplayLogFile })
        {
            using var _ = new FileStream(log, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        if (spec.HasCapability("network"))
        {
            File.WriteAllText(layout.ResolvConfFile, $"nameserver {SandboxNetwork.Resolver}\n");
            File.SetUnixFileMode(layout.ResolvConfFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        // bubblewrap opens the bind sources as the member uid, which must be able to walk down to them.
        for (var directory = Path.GetDirectoryName(Path.GetDirectoryName(home)); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if ((File.GetUnixFileMode(directory) & UnixFileMode.OtherExecute) == UnixFileMode.None)
            {
                throw new SandboxStartException(
                    $"Sandboxes cannot reach {home}: {directory} is not searchable by other users; put Runtime:Local:DataDirectory where every uid can traverse (not under /root).");
            }
        }

        return home;
    }

    /// <summary>
    /// Writes Xvnc's password file into <c>vnc/</c> through a directory handle, then hands the directory to the member: while root
    /// writes there the member cannot plant anything in it, and a symlink would be refused anyway (<c>O_NOFOLLOW | O_EXCL</c>).
    /// With a gateway group, <c>vnc/</c> is setgid to it, so the socket Xvnc creates (mode 0660) is the gateway's to connect to.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private async Task PrepareSandboxDirectoryAsync(SessionSpec spec, SessionLayout layout, int? gatewayGid, CancellationToken cancellationToken)
    {
        using var directory = LibC.OpenDirectory(layout.SandboxDirectory);
        if (spec.UseVncAuth)
        {
            var password = await VncPassword.EnsureAsync(layout.SecretFile, gatewayGid, cancellationToken);
            await VncPassword.WriteObfuscatedAsync(_options.VncPasswdPath, password, directory, SessionLayout.PasswordName, spec.MemberUid, cancellationToken);
        }
        else
        {
            File.Delete(layout.SecretFile);
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        LibC.ChangeOwnerAndMode(
            directory,
            spec.MemberUid,
            gatewayGid ?? spec.MemberUid,
            gatewayGid is null ? Private : Private | UnixFileMode.GroupExecute | UnixFileMode.SetGroup);
    }

    private SandboxCgroup? Cgroup(SessionLayout layout) => SandboxCgroup.Locate(layout.SessionId, _options.CgroupParent);

    /// <summary>
    /// A <c>/bin/sh -c</c> prefix that writes its own pid into the cgroup before it execs the sandbox command, so that
    /// bubblewrap and everything below it start inside; a failure is the launcher's verdict in the sandbox log.
    /// </summary>
    private static List<string> JoinCgroup(SandboxCgroup cgroup, SessionLayout layout) =>
    [
        "-c",
        $$"""
        log=$1; shift
        while [ "$1" != -- ]; do
          echo $$ 2>/dev/null >"$1" || { echo "{{SandboxCommandLine.LauncherMarker}} cannot join the cgroup $1" >>"$log"; exit 125; }
          shift
        done
        shift; exec "$@"
        """,
        "streamspace-cgroup",
        layout.LogFile,
        .. cgroup.ProcsFiles,
        "--",
    ];

    [SupportedOSPlatform("linux")]
    private static void CreateDirectory(string path, UnixFileMode? mode) => MemberHome.CreateDirectory(path, mode);

    /// <summary>
    /// bubblewrap's report of the process it cloned, checked against the kernel: that process must live in a pid namespace of
    /// its own, since stopping the session signals everything in the recorded namespace.
    /// </summary>
    private async Task<SandboxInfo> WaitForSandboxInfoAsync(SessionLayout layout, Process process, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.ReadinessTimeout;
        SandboxInfo? info;
        while ((info = SandboxInfo.TryRead(layout.InfoFile)) is null)
        {
            if (process.HasExited)
            {
                throw new SandboxStartException($"The sandbox exited with code {ExitCode(process)} before bubblewrap reported it");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new SandboxStartException($"bubblewrap did not report the sandbox within {_options.ReadinessTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }

        var actual = ProcessTable.PidNamespace(info.ChildPid);
        if (actual != info.PidNamespace || actual == OwnPidNamespace || ProcessTable.Read(info.ChildPid)?.ParentPid != process.Id)
        {
            throw new SandboxStartException(
                $"The sandbox did not get a pid namespace of its own (bubblewrap reported {info.PidNamespace} for pid {info.ChildPid}, the kernel says {actual ?? "no such process"}).");
        }

        return info;
    }

    /// <summary>
    /// Loads the fence into the sandbox's network namespace, then starts slirp4netns (as root, in its own sandbox and seccomp
    /// filter: it must enter a namespace owned by the sandbox's user namespace) to give it a link; see <see cref="SandboxNetwork"/>.
    /// </summary>
    private async Task AttachNetworkAsync(Guid sessionId, SessionLayout layout, SandboxInfo info, CancellationToken cancellationToken)
    {
        var netns = $"/proc/{info.ChildPid}/ns/net";
        var fence = new ProcessStartInfo(_options.Network.NsenterPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            ArgumentList = { $"--net={netns}", "--", _options.Network.NftPath, "-f", "-" },
        };
        using (var nft = Process.Start(fence) ?? throw new SandboxStartException("nft could not be started."))
        {
            await nft.StandardInput.WriteAsync(SandboxNetwork.Ruleset(_options.Network.AllowedCidrs, SandboxNetwork.HostAddresses()));
            nft.StandardInput.Close();
            var error = await nft.StandardError.ReadToEndAsync(cancellationToken);
            await nft.WaitForExitAsync(cancellationToken);
            if (nft.ExitCode != 0)
            {
                throw new SandboxStartException($"The session's network rules could not be loaded: {error.Trim()}");
            }
        }

        var slirp = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = "/",
            ArgumentList =
            {
                "-c", """log=$1; shift; exec "$@" </dev/null >>"$log" 2>&1""", "streamspace-network", layout.NetworkLogFile,
                _options.Network.SlirpPath, "--configure", "--mtu=65520", "--disable-host-loopback", "--enable-sandbox",
                "--enable-seccomp", "--netns-type=path", netns, SandboxNetwork.Interface,
            },
        };
        var process = Process.Start(slirp) ?? throw new SandboxStartException("slirp4netns could not be started.");
        _networks[sessionId] = process;
        var started = ProcessTable.Read(process.Id)
            ?? throw new SandboxStartException($"slirp4netns exited at once with code {ExitCode(process)}.");
        new SandboxRecord(process.Id, started.StartTime, null).Save(layout.NetworkPidFile);
    }

    private async Task WaitForBannerAsync(SessionLayout layout, Process process, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.ReadinessTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new SandboxStartException($"The sandbox exited with code {ExitCode(process)} before the display was ready");
            }

            if (await RfbBanner.AnswersAsync(layout.SocketPath, ProbeTimeout, cancellationToken))
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new SandboxStartException(
                    $"Xvnc did not answer on its socket within {_options.ReadinessTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>An app that dies straight away (bad command, missing library) fails the start instead of leaving an empty desktop.</summary>
    private async Task WaitForSettleAsync(Process process, CancellationToken cancellationToken)
    {
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settle.CancelAfter(_options.StartupSettleTime);
        try
        {
            await process.WaitForExitAsync(settle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return;
        }

        throw new SandboxStartException($"The sandbox exited with code {ExitCode(process)} right after the display was ready");
    }

    private static string ExitCode(Process process) => process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";

    /// <summary>What failed, in words: the launcher's own verdict if it gave one, with the last lines of the relevant log.</summary>
    private static string FailureReason(SessionLayout layout, string fallback)
    {
        var sandboxLines = LogLines(layout.LogFile);
        var verdict = sandboxLines.LastOrDefault(line => line.StartsWith(SandboxCommandLine.LauncherMarker, StringComparison.Ordinal))
            ?[SandboxCommandLine.LauncherMarker.Length..].Trim();
        var details = verdict is not null && verdict.StartsWith("Xvnc", StringComparison.Ordinal)
            ? LogLines(layout.DisplayLogFile)
            : sandboxLines.Where(line => !line.StartsWith(SandboxCommandLine.LauncherMarker, StringComparison.Ordinal)).ToList();
        // X servers explain a fatal error on the lines after this one; the lines before are their banner.
        var fatal = details.FindLastIndex(line => line.StartsWith("Fatal server error", StringComparison.Ordinal));
        var tail = details.Skip(fatal + 1).TakeLast(FailureLogLines).ToList();
        var reason = verdict ?? fallback;
        var message = tail.Count == 0 ? reason : $"{reason}: {string.Join(" / ", tail)}";
        return message.Length <= 1000 ? message : message[..1000];
    }

    private static List<string> LogLines(string path)
    {
        try
        {
            return File.ReadLines(path)
                .Select(line => line.Replace("(EE)", "", StringComparison.Ordinal).Trim())
                .Where(line => line.Length > 0)
                .ToList();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    private async Task StopAsync(Guid sessionId, bool removeSecret, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = sessionId });
        var layout = new SessionLayout(_dataDirectory, sessionId);
        var gate = _gates.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await StopProcessesAsync(layout);
            await RemoveRunDirectoryAsync(layout);
            await ForgetChildAsync(sessionId);
            if (removeSecret && File.Exists(layout.SecretFile))
            {
                File.Delete(layout.SecretFile);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// SIGTERM to the launcher and everything it started, SIGKILL to what is left after the grace period, then checks that no
    /// process of the sandbox remains. Only processes proven to be the sandbox's are ever signalled (see <see cref="Remaining"/>).
    /// </summary>
    private async Task StopProcessesAsync(SessionLayout layout)
    {
        if (SandboxRecord.Load(layout.PidFile) is not { } record)
        {
            return;
        }

        var sandbox = new StoppingSandbox(record, SandboxNamespace(record, ProcessTable.Snapshot()), Cgroup(layout), SandboxRecord.Load(layout.NetworkPidFile));
        var remaining = Remaining(sandbox, ProcessTable.Snapshot());
        if (remaining.Count == 0)
        {
            return;
        }

        // bubblewrap exits by itself once the launcher (the namespace's init, which traps SIGTERM) has stopped the rest.
        Signal(remaining.Where(entry => entry.Pid != record.Pid), LibC.SigTerm);
        if (await WaitUntilGoneAsync(sandbox, _options.StopGracePeriod))
        {
            logger.LogInformation("Sandbox {Pid} stopped", record.Pid);
            return;
        }

        remaining = Remaining(sandbox, ProcessTable.Snapshot());
        logger.LogWarning("Sandbox {Pid} did not stop within {GracePeriod}; killing {Count} processes", record.Pid, _options.StopGracePeriod, remaining.Count);

        // The cgroup holds every process the sandbox started, frozen while they are killed, so not even a fork bomb is left.
        if (sandbox.Cgroup is { } cgroup)
        {
            await cgroup.KillAllAsync(KillTimeout, time);
        }

        // bubblewrap itself last: killed first, it could not reap the launcher, which would linger as a zombie.
        Signal(remaining.Where(entry => entry.Pid != record.Pid), LibC.SigKill);
        if (await WaitUntilGoneAsync(sandbox, KillTimeout))
        {
            return;
        }

        Signal(Remaining(sandbox, ProcessTable.Snapshot()), LibC.SigKill);
        if (!await WaitUntilGoneAsync(sandbox, KillTimeout))
        {
            var left = string.Join(", ", Remaining(sandbox, ProcessTable.Snapshot()).Select(entry => entry.Pid));
            throw new InvalidOperationException($"Processes {left} of sandbox {record.Pid} are still running after SIGKILL.");
        }
    }

    /// <summary>
    /// The sandbox's pid namespace: the one bubblewrap reported at start, or, for a sandbox recorded before that report, the
    /// namespace of the live bubblewrap's child. Never this process's own namespace, which would name every process on the host.
    /// </summary>
    private string? SandboxNamespace(SandboxRecord record, List<ProcessEntry> snapshot)
    {
        var pidNamespace = record.PidNamespace
            ?? (IsBubblewrap(record) && snapshot.FirstOrDefault(entry => entry.ParentPid == record.Pid && entry.IsLive) is { } launcher
                ? ProcessTable.PidNamespace(launcher.Pid)
                : null);
        if (pidNamespace is not null && pidNamespace == OwnPidNamespace)
        {
            logger.LogWarning("Sandbox {Pid} is recorded in the host's pid namespace {PidNamespace}; nothing in it is signalled", record.Pid, pidNamespace);
            return null;
        }

        return pidNamespace;
    }

    /// <summary>
    /// The live processes proven to be the sandbox's: bubblewrap and slirp4netns (same pid, start time and binary as recorded),
    /// those in the sandbox's own pid namespace and those in its cgroup, which only processes the sandbox started can be in.
    /// </summary>
    private List<ProcessEntry> Remaining(StoppingSandbox sandbox, List<ProcessEntry> snapshot)
    {
        var cgroupPids = sandbox.Cgroup?.Processes().ToHashSet() ?? [];
        return snapshot
            .Where(entry => entry.IsLive
                && ((entry.Pid == sandbox.Record.Pid && entry.StartTime == sandbox.Record.StartTime && IsBubblewrap(sandbox.Record))
                    || (sandbox.Network is { } network && entry.Pid == network.Pid && entry.StartTime == network.StartTime
                        && ProcessTable.Executable(network.Pid) == _slirp)
                    || cgroupPids.Contains(entry.Pid)
                    || (sandbox.PidNamespace is not null && ProcessTable.PidNamespace(entry.Pid) == sandbox.PidNamespace)))
            .ToList();
    }

    private bool IsBubblewrap(SandboxRecord record) => record.IsAlive && ProcessTable.Executable(record.Pid) == _bubblewrap;

    private static void Signal(IEnumerable<ProcessEntry> processes, int signal)
    {
        foreach (var entry in processes)
        {
            // Fails only for a process that has just exited, which is what we want anyway.
            _ = LibC.Kill(entry.Pid, signal);
        }
    }

    private async Task<bool> WaitUntilGoneAsync(StoppingSandbox sandbox, TimeSpan timeout)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (Remaining(sandbox, ProcessTable.Snapshot()).Count > 0)
        {
            if (time.GetUtcNow() > deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, time);
        }

        return true;
    }

    private async Task RemoveRunDirectoryAsync(SessionLayout layout)
    {
        if (Cgroup(layout) is { } cgroup)
        {
            await cgroup.RemoveAsync(KillTimeout, time);
        }

        if (HomeStorage.CheckRemembered(layout) is { } over)
        {
            logger.LogWarning("The stopped session's home uses {Usage}; its next launch will be refused", over);
        }

        // Recursive delete removes symlinks the session may have planted, never what they point to.
        if (Directory.Exists(layout.RunDirectory))
        {
            Directory.Delete(layout.RunDirectory, recursive: true);
        }
    }

    private async Task ForgetChildAsync(Guid sessionId)
    {
        foreach (var children in new[] { _children, _networks })
        {
            if (!children.TryRemove(sessionId, out var process))
            {
                continue;
            }

            // Waiting reaps the exited process; disposing before .NET has reaped it would leave a zombie behind.
            using var timeout = new CancellationTokenSource(KillTimeout, time);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("Process {Pid} of the sandbox has not been reaped", process.Id);
            }

            process.Dispose();
        }
    }
}
