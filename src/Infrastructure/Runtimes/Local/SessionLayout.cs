namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// Where one session's files live. The run directory is root's; only its <c>vnc/</c> child is owned by the session uid and
/// mounted into the sandbox, so nothing the session can write decides which pid the runtime signals or which file it reads.
/// </summary>
internal sealed class SessionLayout(string dataDirectory, Guid sessionId)
{
    public const string SandboxRunPath = "/run/vnc";
    public const string SocketName = "vnc.sock";
    public const string PasswordName = "passwd";

    public Guid SessionId => sessionId;

    public string RunDirectory { get; } = Path.Combine(RunRoot(dataDirectory), sessionId.ToString("D"));

    public string SandboxDirectory => Path.Combine(RunDirectory, "vnc");

    public string SocketPath => Path.Combine(SandboxDirectory, SocketName);

    public string VncPasswordFile => Path.Combine(SandboxDirectory, PasswordName);

    public string PidFile => Path.Combine(RunDirectory, "sandbox.pid");

    /// <summary>bubblewrap's own report of the sandbox it started (<c>--info-fd</c>).</summary>
    public string InfoFile => Path.Combine(RunDirectory, "sandbox.json");

    /// <summary>slirp4netns, which gives a <c>network</c> session its outbound access, as <see cref="SandboxRecord"/>.</summary>
    public string NetworkPidFile => Path.Combine(RunDirectory, "network.pid");

    public string NetworkLogFile => Path.Combine(RunDirectory, "network.log");

    /// <summary>Bound over <c>/etc/resolv.conf</c> in a <c>network</c> session: the host's resolver may be an address it cannot reach.</summary>
    public string ResolvConfFile => Path.Combine(RunDirectory, "resolv.conf");

    public string LogFile => Path.Combine(RunDirectory, "sandbox.log");

    public string DisplayLogFile => Path.Combine(RunDirectory, "display.log");

    public string HomeStorageFile => Path.Combine(RunDirectory, "home-storage");

    /// <summary>The tenant slug the session was started for, so drift repair can address a sandbox the database forgot.</summary>
    public string TenantFile => Path.Combine(RunDirectory, "tenant");

    /// <summary>The recorded tenant slug; empty for a run directory written before it was recorded (stopping needs only the id).</summary>
    public string ReadTenantSlug()
    {
        try
        {
            return File.ReadAllText(TenantFile).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    public string SecretFile { get; } = Path.Combine(SecretsRoot(dataDirectory), sessionId.ToString("D") + ".vncpass");

    public static string RunRoot(string dataDirectory) => Path.Combine(dataDirectory, "run");

    public static string SecretsRoot(string dataDirectory) => Path.Combine(dataDirectory, "secrets");

    public static string HomeDirectory(string dataDirectory, string tenantSlug, Guid memberId) =>
        Path.Combine(dataDirectory, "homes", tenantSlug, memberId.ToString("D"));
}
