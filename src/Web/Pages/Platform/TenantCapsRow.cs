using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Pages.Platform;

/// <summary>
/// A tenant's row while its caps are edited: what was typed, the error per field, and the warning per field whose cap is below what
/// the tenant uses now (saved only when the operator confirms).
/// </summary>
public sealed record TenantCapsRow(TenantOverview Tenant, CapsForm Caps, Dictionary<string, string> Errors, Dictionary<string, string>? Warnings = null);
