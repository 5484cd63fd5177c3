using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>The runtime a template's session would get, or (when null) the reason it cannot launch here.</summary>
public sealed record Placement(SessionRuntimeKind? Runtime, string? Refusal)
{
    public bool CanLaunch => Runtime is not null;
}
