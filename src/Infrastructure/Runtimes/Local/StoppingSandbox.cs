namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// A sandbox being stopped: its record, the pid namespace it may be signalled by (never the host's), its cgroup, and the
/// slirp4netns that gives it a network, if it has one.
/// </summary>
internal sealed record StoppingSandbox(SandboxRecord Record, string? PidNamespace, SandboxCgroup? Cgroup, SandboxRecord? Network);
