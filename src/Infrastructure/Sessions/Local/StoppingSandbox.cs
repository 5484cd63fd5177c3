namespace StreamSpace.Infrastructure.Sessions.Local;

/// <summary>A sandbox being stopped: its record, the pid namespace it may be signalled by (never the host's), its cgroup.</summary>
internal sealed record StoppingSandbox(SandboxRecord Record, string? PidNamespace, SandboxCgroup? Cgroup);
