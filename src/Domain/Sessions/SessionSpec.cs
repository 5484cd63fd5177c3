using StreamSpace.Domain.Templates;

namespace StreamSpace.Domain.Sessions;

/// <summary>Everything a runtime needs to start one session, resolved from the session, its template, tier and member.</summary>
public sealed record SessionSpec(
    Guid SessionId,
    Guid TenantId,
    string TenantSlug,
    Guid MemberId,
    int MemberUid,
    string TemplateName,
    string TemplateDisplayName,
    string Image,
    string? LocalCommand,
    StreamProtocol Protocol,
    int Port,
    long MemoryBytes,
    int CpuMillicores,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Environment,
    ScreenSize Screen,
    bool ClipboardIn,
    bool ClipboardOut,
    bool UseVncAuth)
{
    /// <summary>The session's name in the portal and in Kubernetes (the Session resource's <c>metadata.name</c>).</summary>
    public string SessionName { get; init; } = string.Empty;

    /// <summary>The member's user name (the Session resource's <c>spec.user</c>).</summary>
    public string MemberName { get; init; } = string.Empty;

    /// <summary>How long this running period may last (the member's maximum session duration); the deadline is start + this.</summary>
    public TimeSpan RunningPeriod { get; init; }

    /// <summary>Size of the member's home volume (the tier's storage with their override); 0 when the runtime decides.</summary>
    public long HomeStorageBytes { get; init; }

    /// <summary>The runtime recorded on the session (a one-machine installation runs sandboxes and containers side by side).</summary>
    public SessionRuntimeKind Runtime { get; init; }

    /// <summary>The session as runtimes are asked about it once it runs.</summary>
    public SessionAddress Address => new(TenantSlug, SessionId, Runtime);

    public bool HasCapability(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}
