using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// A client-credentials client of the REST API, created by a tenant admin. It acts as that admin's member with the scopes
/// chosen here; its secret lives (hashed) only in OpenIddict's application row.
/// </summary>
public sealed class ApiClient : ITenantOwned
{
    private ApiClient()
    {
        ClientId = string.Empty;
        DisplayName = string.Empty;
        Scopes = [];
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>The member whose sessions the client manages and whose role limits it.</summary>
    public Guid MemberId { get; private set; }

    public string ClientId { get; private set; }

    public string DisplayName { get; private set; }

    public string[] Scopes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static ApiClient Create(Guid memberId, string displayName, IReadOnlyCollection<string> scopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Trim().Length > 100)
        {
            throw new DomainException("Give the API client a name of at most 100 characters.");
        }

        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.IsKnown(s)))
        {
            throw new DomainException($"Choose at least one scope of {string.Join(", ", ApiScopes.All)}.");
        }

        var id = Guid.CreateVersion7(now);
        return new ApiClient
        {
            Id = id,
            MemberId = memberId,
            ClientId = "ss_" + id.ToString("N"),
            DisplayName = displayName.Trim(),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            CreatedAt = now,
        };
    }
}
