using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Runtimes.Local;

public sealed class LocalRuntimeOptions : IValidatableObject
{
    public const string Section = "Runtime:Local";

    /// <summary>Holds <c>homes/</c>, <c>run/</c> and <c>secrets/</c>; relative paths resolve against the current directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Used when a session asks for no particular screen size.</summary>
    [Range(320, 8192)]
    public int DefaultWidth { get; set; } = 1280;

    [Range(200, 8192)]
    public int DefaultHeight { get; set; } = 800;

    /// <summary>How long a stopping session gets to exit on SIGTERM before it is killed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the RFB banner on the session's socket.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>An app that exits this soon after the display is up counts as a failed start.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StartupSettleTime { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Puts each sandbox in a cgroup holding the session's memory and CPU and <see cref="PidsLimit"/>; off only where the host has no cgroups to give.</summary>
    public bool EnforceResourceLimits { get; set; } = true;

    /// <summary>Where the sandboxes' cgroups go: an absolute cgroup path, or one relative to the Workers process's own cgroup.</summary>
    [Required]
    [RegularExpression(@"^/?[A-Za-z0-9_.@-]+(/[A-Za-z0-9_.@-]+)*$")]
    public string CgroupParent { get; set; } = "/streamspace";

    /// <summary>Most processes and threads one session may have at once; a fork bomb stops here.</summary>
    [Range(16, 1_000_000)]
    public int PidsLimit { get; set; } = 1024;

    /// <summary>
    /// The group (name or gid) of the Web process's user: session sockets and VNC secrets are shared with it, so Web need not
    /// run as root. Unset: only root can reach them.
    /// </summary>
    public string? GatewayGroup { get; set; }

    // Binaries run inside the sandbox, which only sees /usr and /etc of the host.
    [Required]
    public string XvncPath { get; set; } = "/usr/bin/Xvnc";

    [Required]
    public string WindowManagerPath { get; set; } = "/usr/bin/matchbox-window-manager";

    [Required]
    public string BwrapPath { get; set; } = "/usr/bin/bwrap";

    [Required]
    public string SetprivPath { get; set; } = "/usr/bin/setpriv";

    [Required]
    public string SetsidPath { get; set; } = "/usr/bin/setsid";

    [Required]
    public string VncPasswdPath { get; set; } = "/usr/bin/vncpasswd";

    [Required]
    public string BashPath { get; set; } = "/usr/bin/bash";

    /// <summary>What sessions with the <c>network</c> capability may reach.</summary>
    public LocalNetworkOptions Network { get; set; } = new();

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SandboxNetwork.FirstInvalid(Network.AllowedCidrs) is { } invalid)
        {
            yield return new ValidationResult(
                $"{Section}:Network:AllowedCidrs: '{invalid}' is not a network in CIDR notation (e.g. 10.1.2.0/24).",
                [nameof(Network)]);
        }
    }
}
