using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>Links a member to a user of the tenant's provider: matched by (tenant, issuer, subject), never by e-mail.</summary>
public sealed class ExternalLogin : ITenantOwned
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public string Issuer { get; init; } = string.Empty;

    public string Subject { get; init; } = string.Empty;

    public Guid MemberId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
