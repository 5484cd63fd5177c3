using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Infrastructure.Runtimes.Containers;

/// <summary>
/// Runs a template's image as one container per session under Docker or Podman (their common Docker Engine API): the
/// member's home bind-mounted at the image's home, the session's memory, CPU and pids as the container's limits, no new
/// privileges and only the capabilities the image kind needs, the app port published on loopback for the portal alone, and
/// each tenant on a bridge network of its own. Hibernate removes the container and keeps the home; the image it ran is
/// remembered, so Resume re-creates the same one.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerSessionRuntime(
    ContainerEngine engine,
    IOptions<ContainerRuntimeOptions> options,
    IOptions<LocalRuntimeOptions> local,
    TimeProvider time,
    ILogger<ContainerSessionRuntime> logger) : ISessionRuntime
{
    public const string ProtocolLabel = "stream.space/protocol";
    public const string PortLabel = "stream.space/port";

    /// <summary>Which installation made the container (its data directory), so two on one engine never adopt or stop each other's.</summary>
    public const string InstallationLabel = "stream.space/installation";
    private const int FailureLogLines = 4;
    private const int PortAttempts = 5;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private readonly ContainerRuntimeOptions _options = options.Value;
    private readonly string _dataDirectory = local.Value.ResolvedDataDirectory;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly string _installation = Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(local.Value.ResolvedDataDirectory)))[..12];

    private DockerClient Docker => engine.Client;

    /// <summary>The container's name: the tenant and the session's name, as <c>docker ps</c> shows them.</summary>
    public static string ContainerName(SessionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return string.IsNullOrEmpty(spec.SessionName)
            ? $"streamspace-{spec.TenantSlug}-{spec.SessionId:N}"
            : $"streamspace-{spec.TenantSlug}-{spec.SessionName}";
    }

    public async Task<SessionEndpoint> EnsureStartedAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        if (string.IsNullOrWhiteSpace(spec.Image))
        {
            throw new ContainerStartException($"Template {spec.TemplateName} has no image; the container runtime runs images.");
        }

        if (spec.MemberUid <= 0)
        {
            throw new ContainerStartException($"Session uid {spec.MemberUid} is not a member uid; sessions never run as root.");
        }

        var gate = _gates.GetOrAdd(spec.SessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await FindAsync(spec.SessionId, cancellationToken) is { } existing)
            {
                if (existing.State == "running" && Endpoint(existing) is { } running
                    && await AnswersAsync(running, cancellationToken))
                {
                    progress.Report("Ready");
                    return running;
                }

                // Left by a crashed start or a stopped engine: a new container replaces it (the home is kept).
                await RemoveAsync(existing.ID, graceful: false, cancellationToken);
            }

            return await StartAsync(spec, progress, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task HibernateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        StopAsync(session ?? throw new ArgumentNullException(nameof(session)), forget: false, cancellationToken);

    public Task TerminateAsync(SessionAddress session, CancellationToken cancellationToken) =>
        StopAsync(session ?? throw new ArgumentNullException(nameof(session)), forget: true, cancellationToken);

    public async Task<IReadOnlyList<ObservedSession>> ObserveAsync(CancellationToken cancellationToken)
    {
        if (!engine.IsConfigured)
        {
            return [];
        }

        var observed = new List<ObservedSession>();
        foreach (var container in await ListAsync(null, cancellationToken))
        {
            if (!Guid.TryParse(Label(container, SessionLabels.Session), out var sessionId))
            {
                continue;
            }

            var address = new SessionAddress(Label(container, SessionLabels.Tenant) ?? string.Empty, sessionId, SessionRuntimeKind.Container);
            var running = container.State == "running";
            observed.Add(new ObservedSession(
                address, running, running ? Endpoint(container) : null, running ? null : await StoppedReasonAsync(container.ID, cancellationToken)));
        }

        return observed;
    }

    public Task<string?> ReadVncPasswordAsync(SessionAddress session, CancellationToken cancellationToken) =>
        VncPassword.ReadAsync(new SessionLayout(_dataDirectory, session?.SessionId ?? throw new ArgumentNullException(nameof(session))).SecretFile, cancellationToken);

    private async Task<SessionEndpoint> StartAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var image = await EnsureImageAsync(spec, progress, cancellationToken);
        var home = MemberHome.Prepare(_dataDirectory, spec.TenantSlug, spec.MemberId, spec.MemberUid);
        HomeStorage.EnsureWithin(home, spec.HomeStorageBytes);
        var network = await EnsureNetworkAsync(spec.TenantSlug, cancellationToken);
        string? password = null;
        if (spec.Protocol == StreamProtocol.Rfb && spec.UseVncAuth)
        {
            var gatewayGid = UnixGroups.Resolve(local.Value.GatewayGroup);
            MemberHome.PrepareSecrets(_dataDirectory, gatewayGid);
            password = await VncPassword.EnsureAsync(new SessionLayout(_dataDirectory, spec.SessionId).SecretFile, gatewayGid, cancellationToken);
        }

        progress.Report("Starting container…");
        for (var attempt = 1; ; attempt++)
        {
            var hostPort = FreePublishPort();
            var created = await Docker.Containers.CreateContainerAsync(Definition(spec, image, home, network, password, hostPort), cancellationToken);
            try
            {
                if (!await Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken))
                {
                    throw new ContainerStartException("The container engine did not start the container.");
                }

                logger.LogInformation("Started container {Container} of {Image} for {Template} as uid {Uid}", ContainerName(spec), spec.Image, spec.TemplateName, spec.MemberUid);
                progress.Report($"Starting {spec.TemplateDisplayName}…");
                var endpoint = await WaitUntilAnsweringAsync(spec, created.ID, cancellationToken);
                progress.Report("Ready");
                logger.LogInformation("Session is ready at {Endpoint}", endpoint.Address);
                return endpoint;
            }
            catch (DockerApiException e) when (IsPortTaken(e))
            {
                // Another start took the port between our look and the engine's bind: another free one.
                await RemoveAsync(created.ID, graceful: false, CancellationToken.None);
                if (attempt == PortAttempts)
                {
                    throw new ContainerStartException(
                        $"No free port to publish the session on: {PortAttempts} ports of {_options.PublishAddress}:{_options.PublishPortFirst}–{_options.PublishPortLast} were taken when the engine bound them ({EngineMessage(e)}).", e);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await RemoveAsync(created.ID, graceful: false, CancellationToken.None);
                throw;
            }
        }
    }

    /// <summary>
    /// A port of the publish range nothing listens on, from a random place in it. The engine could pick one itself, but
    /// from the kernel's ephemeral range, where the port a stopped session gives back is handed to the next program that
    /// asks for any free port while the engine's forwarding rule for it still exists.
    /// </summary>
    private int FreePublishPort()
    {
        var first = _options.PublishPortFirst;
        var count = _options.PublishPortLast - first + 1;
        var address = IPAddress.Parse(_options.PublishAddress);
        var start = System.Security.Cryptography.RandomNumberGenerator.GetInt32(count);
        for (var i = 0; i < count; i++)
        {
            var port = first + ((start + i) % count);
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
            finally
            {
                listener.Stop();
            }
        }

        throw new ContainerStartException(
            $"No free port to publish the session on: every port of {_options.PublishAddress}:{first}–{_options.PublishPortLast} is in use (Runtime:Containers:PublishPortFirst/PublishPortLast bound how many container sessions run at once).");
    }

    private static bool IsPortTaken(DockerApiException e) =>
        EngineMessage(e) is var message
        && (message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            || message.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase));

    private CreateContainerParameters Definition(SessionSpec spec, string image, string home, string network, string? password, int hostPort)
    {
        var linuxServer = ImageConventions.IsLinuxServerImage(spec.Image);
        var env = ImageConventions.Environment(spec, spec.MemberUid).Select(pair => $"{pair.Key}={pair.Value}").ToList();
        if (!linuxServer && !env.Exists(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
        {
            env.Add("HOME=" + ImageConventions.DefaultHome);
        }

        if (password is not null)
        {
            env.Add($"{ImageConventions.VncPasswordVariable}={password}");
        }

        var port = $"{spec.Port.ToString(CultureInfo.InvariantCulture)}/tcp";
        return new CreateContainerParameters
        {
            Name = ContainerName(spec),
            Image = image,
            Env = env,

            // LinuxServer.io images start as root for s6-overlay, which drops to PUID; every other image runs as the member.
            User = linuxServer ? string.Empty : $"{spec.MemberUid}:{spec.MemberUid}",
            Labels = new Dictionary<string, string>
            {
                [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue,
                [InstallationLabel] = _installation,
                [SessionLabels.Tenant] = spec.TenantSlug,
                [SessionLabels.Member] = spec.MemberId.ToString("D"),
                [SessionLabels.Session] = spec.SessionId.ToString("D"),
                [SessionLabels.Template] = spec.TemplateName,
                [ProtocolLabel] = spec.Protocol == StreamProtocol.Rfb ? "rfb" : "http",
                [PortLabel] = spec.Port.ToString(CultureInfo.InvariantCulture),
            },
            ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [port] = [new PortBinding { HostIP = _options.PublishAddress, HostPort = hostPort.ToString(CultureInfo.InvariantCulture) }],
                },
                Binds = [$"{home}:{ImageConventions.HomeMountPath(spec.Image)}"],
                Memory = spec.MemoryBytes,
                MemorySwap = spec.MemoryBytes,
                NanoCPUs = spec.CpuMillicores * 1_000_000L,
                PidsLimit = _options.PidsLimit,
                ShmSize = Math.Min(_options.SharedMemoryBytes, spec.MemoryBytes / 2),
                SecurityOpt = ["no-new-privileges"],
                CapDrop = ["ALL"],
                CapAdd = linuxServer ? [.. ImageConventions.LinuxServerCapabilities] : [],
                Ulimits =
                [
                    new Ulimit { Name = "nofile", Soft = _options.OpenFilesLimit, Hard = _options.OpenFilesLimit },
                    new Ulimit { Name = "nproc", Soft = _options.ProcessesLimit, Hard = _options.ProcessesLimit },
                ],
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            },
        };
    }

    /// <summary>
    /// The image to run: the one this session ran before (its id, so Resume runs the same build), else the template's image,
    /// pulled when the engine does not have it, with the pull's progress in words.
    /// </summary>
    private async Task<string> EnsureImageAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var remembered = ImageRecord(spec.SessionId);
        if (File.Exists(remembered) && (await File.ReadAllTextAsync(remembered, cancellationToken)).Trim() is { Length: > 0 } id
            && await InspectImageAsync(id, cancellationToken) is not null)
        {
            return id;
        }

        var image = await InspectImageAsync(spec.Image, cancellationToken) ?? await PullAsync(spec.Image, progress, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(remembered)!);
        await File.WriteAllTextAsync(remembered, image.ID + "\n", cancellationToken);
        return image.ID;
    }

    private async Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await Docker.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<ImageInspectResponse> PullAsync(string image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report($"Pulling {image}…");
        var pull = new PullProgress(image, progress, time, ProgressInterval);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PullTimeout);
        var (name, tag) = SplitTag(image);
        try
        {
            await Docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, null, pull, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ContainerStartException(
                $"Pulling {image} took longer than {Quantity.FormatDuration(_options.PullTimeout)}{pull.LastWords}; the session was stopped.", e);
        }
        catch (DockerApiException e)
        {
            throw new ContainerStartException($"The image {image} could not be pulled: {EngineMessage(e)}", e);
        }

        return await InspectImageAsync(image, cancellationToken)
            ?? throw new ContainerStartException($"The image {image} could not be pulled: {pull.Error ?? "the engine did not say why"}.");
    }

    /// <summary><c>registry:5000/name:tag</c> → (<c>registry:5000/name</c>, <c>tag</c>); no tag means <c>latest</c>.</summary>
    public static (string Name, string Tag) SplitTag(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private async Task<string> EnsureNetworkAsync(string tenantSlug, CancellationToken cancellationToken)
    {
        var name = _options.NetworkPrefix + tenantSlug;
        var existing = await Docker.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } } },
            cancellationToken);
        if (existing.Any(n => n.Name == name))
        {
            return name;
        }

        try
        {
            // Docker keeps bridge networks apart by default; Podman does when asked (isolate).
            await Docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                Driver = "bridge",
                Labels = new Dictionary<string, string> { [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue, [SessionLabels.Tenant] = tenantSlug },
                Options = await engine.IsPodmanAsync(cancellationToken) ? new Dictionary<string, string> { ["isolate"] = "true" } : [],
            }, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another start for the same tenant created it first.
        }

        return name;
    }

    private async Task<SessionEndpoint> WaitUntilAnsweringAsync(SessionSpec spec, string containerId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.ReadinessTimeout;
        while (true)
        {
            var container = await Docker.Containers.InspectContainerAsync(containerId, cancellationToken);
            if (container.State is not { Running: true })
            {
                throw new ContainerStartException(await StoppedReasonAsync(containerId, cancellationToken) ?? "The container stopped while starting.");
            }

            var hostPort = container.NetworkSettings?.Ports is { } ports && ports.TryGetValue($"{spec.Port}/tcp", out var bindings)
                ? bindings?.FirstOrDefault()?.HostPort
                : null;
            if (int.TryParse(hostPort, CultureInfo.InvariantCulture, out var published))
            {
                var endpoint = EndpointAt(spec.Protocol, published);
                if (await AnswersAsync(endpoint, cancellationToken))
                {
                    return endpoint;
                }
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new ContainerStartException(
                    $"{spec.TemplateDisplayName} did not answer on port {spec.Port} within {Quantity.FormatDuration(_options.ReadinessTimeout)}.{await LogTailAsync(containerId, cancellationToken)}");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private SessionEndpoint EndpointAt(StreamProtocol protocol, int port) => protocol == StreamProtocol.Rfb
        ? new SessionEndpoint(StreamProtocol.Rfb, $"tcp:{_options.PublishAddress}:{port}")
        : new SessionEndpoint(StreamProtocol.Http, $"http://{_options.PublishAddress}:{port}");

    private SessionEndpoint? Endpoint(ContainerListResponse container)
    {
        if (!int.TryParse(Label(container, PortLabel), CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var published = container.Ports?.FirstOrDefault(p => p.PrivatePort == port && p.PublicPort > 0)?.PublicPort;
        var protocol = Label(container, ProtocolLabel) == "rfb" ? StreamProtocol.Rfb : StreamProtocol.Http;
        return published is { } hostPort ? EndpointAt(protocol, hostPort) : null;
    }

    /// <summary>RFB: the server's <c>RFB 003.00x</c> greeting; http: any HTTP answer to a GET of <c>/</c>.</summary>
    private static async Task<bool> AnswersAsync(SessionEndpoint endpoint, CancellationToken cancellationToken)
    {
        var (host, port) = endpoint.Protocol == StreamProtocol.Rfb
            ? ParseTcp(endpoint.Address["tcp:".Length..])
            : (new Uri(endpoint.Address).Host, new Uri(endpoint.Address).Port);
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, probe.Token);
            var stream = client.GetStream();
            if (endpoint.Protocol == StreamProtocol.Http)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n"), probe.Token);
            }

            var greeting = new byte[4];
            var read = 0;
            while (read < greeting.Length)
            {
                var n = await stream.ReadAsync(greeting.AsMemory(read), probe.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(greeting) is "RFB " or "HTTP";
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static (string Host, int Port) ParseTcp(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Why a container that is not running stopped, in the member's words; null when it never ran.</summary>
    private async Task<string?> StoppedReasonAsync(string containerId, CancellationToken cancellationToken)
    {
        ContainerInspectResponse container;
        try
        {
            container = await Docker.Containers.InspectContainerAsync(containerId, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }

        var limit = container.HostConfig?.Memory ?? 0;
        if (container.State is null)
        {
            return null;
        }

        if (container.State.OOMKilled)
        {
            return $"The app ran out of memory (limit {Quantity.FormatBytes(limit)}) and was stopped. Use less at once or ask for a larger tier; your files are kept.";
        }

        // SIGKILL that we did not send (we remove what we stop): on cgroup v1 hosts Podman does not flag the kernel's OOM kill.
        if (container.State.ExitCode == 137 && limit > 0)
        {
            return $"The app was killed (signal 9), most likely because it ran out of memory (limit {Quantity.FormatBytes(limit)}). Use less at once or ask for a larger tier; your files are kept.";
        }

        return string.IsNullOrEmpty(container.State.Error)
            ? $"The app exited with code {container.State.ExitCode}.{await LogTailAsync(containerId, cancellationToken)}"
            : $"The container failed: {container.State.Error}";
    }

    private async Task<string> LogTailAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            using var logs = await Docker.Containers.GetContainerLogsAsync(
                containerId, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = FailureLogLines.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken);
            var tail = string.Join(" / ", (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(FailureLogLines));
            return tail.Length == 0 ? string.Empty : $" Its last output: {tail}";
        }
        catch (DockerApiException)
        {
            return string.Empty;
        }
    }

    private async Task StopAsync(SessionAddress session, bool forget, CancellationToken cancellationToken)
    {
        if (engine.IsConfigured)
        {
            foreach (var container in await ListAsync(session.SessionId, cancellationToken))
            {
                await RemoveAsync(container.ID, graceful: container.State == "running", cancellationToken);
            }
        }

        if (forget)
        {
            File.Delete(new SessionLayout(_dataDirectory, session.SessionId).SecretFile);
            File.Delete(ImageRecord(session.SessionId));
        }
    }

    private async Task<ContainerListResponse?> FindAsync(Guid sessionId, CancellationToken cancellationToken) =>
        (await ListAsync(sessionId, cancellationToken)).FirstOrDefault();

    private async Task<IList<ContainerListResponse>> ListAsync(Guid? sessionId, CancellationToken cancellationToken)
    {
        var label = new Dictionary<string, bool>
        {
            [$"{SessionLabels.ManagedBy}={SessionLabels.ManagedByValue}"] = true,
            [$"{InstallationLabel}={_installation}"] = true,
        };
        if (sessionId is { } id)
        {
            label[$"{SessionLabels.Session}={id:D}"] = true;
        }

        return await Docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = label } },
            cancellationToken);
    }

    /// <summary>Stops (letting the app save its files first when <paramref name="graceful"/>) and removes one container.</summary>
    private async Task RemoveAsync(string containerId, bool graceful, CancellationToken cancellationToken)
    {
        try
        {
            if (graceful)
            {
                try
                {
                    await Docker.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }, cancellationToken);
                }
                catch (DockerApiException e) when (e is not DockerContainerNotFoundException)
                {
                    // A stop the engine could not finish still ends in the forced removal below, which must succeed.
                    logger.LogWarning("Stopping container {Container} failed ({Reason}); removing it", containerId, EngineMessage(e));
                }
            }

            await Docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: what stopping wants.
        }
    }

    private static string? Label(ContainerListResponse container, string name) =>
        container.Labels is { } labels && labels.TryGetValue(name, out var value) ? value : null;

    private string ImageRecord(Guid sessionId) => Path.Combine(_dataDirectory, "containers", $"{sessionId:D}.image");

    private static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return e.Message;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}
