using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Infrastructure.Features.ApiClients;

/// <summary>
/// Tenant admins' client-credentials clients of the REST API. The OpenIddict application carries the tenant and member it
/// acts for (the token endpoint has no tenant of its own); our row lets the admin page list a tenant's clients.
/// </summary>
public sealed class TenantApiClients(
    StreamSpaceDb db,
    IOpenIddictApplicationManager applications,
    AuditTrail audit,
    TenantContext tenantContext,
    TimeProvider time)
{
    public const string TenantIdProperty = "tenant_id";
    public const string TenantSlugProperty = "tenant";
    public const string MemberIdProperty = "member_id";

    public async Task<IReadOnlyList<ApiClient>> ListAsync(CancellationToken cancellationToken) =>
        await db.Set<ApiClient>().AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Creates a client acting as <paramref name="memberId"/>; the secret is returned now and never again.</summary>
    public async Task<(ApiClient Client, string Secret)> CreateAsync(Guid memberId, string displayName, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.Tenant ?? throw new InvalidOperationException("API clients are created inside a tenant.");
        var member = await db.Users.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new DomainException("Only a member of this organisation can own an API client.");
        if (scopes.Contains(ApiScopes.Admin) && member.Role != Domain.Members.MemberRole.TenantAdmin)
        {
            throw new DomainException("Only a tenant admin's client can have the admin scope.");
        }

        var client = ApiClient.Create(memberId, displayName, scopes, time.GetUtcNow());
        // A tenant has a handful of clients: compare their names here, without case, rather than teach the query a collation.
        var names = await db.Set<ApiClient>().Select(c => c.DisplayName).ToListAsync(cancellationToken);
        if (names.Contains(client.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ApiClientNameTakenException(client.DisplayName);
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = $"{tenant.Slug}: {client.DisplayName}",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        descriptor.Properties[TenantIdProperty] = JsonSerializer.SerializeToElement(tenant.Id);
        descriptor.Properties[TenantSlugProperty] = JsonSerializer.SerializeToElement(tenant.Slug);
        descriptor.Properties[MemberIdProperty] = JsonSerializer.SerializeToElement(memberId);

        db.Set<ApiClient>().Add(client);
        audit.Record(AuditActions.ApiClientCreated, Target(client), string.Join(' ', client.Scopes));

        // OpenIddict's store shares this DbContext: its SaveChanges commits the client row and the audit event too.
        await applications.CreateAsync(descriptor, cancellationToken);
        return (client, secret);
    }

    /// <summary>Deletes the client; OpenIddict deletes its tokens with it, so they stop working at once.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var client = await db.Set<ApiClient>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new ApiClientNotFoundException(id);
        db.Set<ApiClient>().Remove(client);
        audit.Record(AuditActions.ApiClientDeleted, Target(client));
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } application)
        {
            await applications.DeleteAsync(application, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Target(ApiClient client) => $"api-client/{client.ClientId}";

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
