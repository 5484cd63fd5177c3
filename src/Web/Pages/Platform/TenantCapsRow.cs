using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Pages.Platform;

/// <summary>A tenant's row while its caps are edited: what was typed and the message per field.</summary>
public sealed record TenantCapsRow(TenantOverview Tenant, CapsForm Caps, Dictionary<string, string> Errors);
