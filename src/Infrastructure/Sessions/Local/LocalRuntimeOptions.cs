using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Sessions.Local;

public sealed class LocalRuntimeOptions
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

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);
}
