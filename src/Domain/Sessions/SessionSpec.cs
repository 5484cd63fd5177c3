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
    public bool HasCapability(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}
