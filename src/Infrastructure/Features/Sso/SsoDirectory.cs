using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>
/// Every tenant's upstream provider, held in memory for the OpenIddict client's (synchronous) options. <see cref="ReloadAsync"/>
/// re-reads the table and, when anything changed, fires the change token so the client rebuilds its registrations.
/// </summary>
public sealed class SsoDirectory(IServiceScopeFactory scopes, IDataProtectionProvider protection) : IDisposable
{
    public const string SecretPurpose = "StreamSpace.Sso.ClientSecret";

    private readonly IDataProtector _protector = protection.CreateProtector(SecretPurpose);
    private readonly Lock _lock = new();
    private CancellationTokenSource _changed = new();

    public IReadOnlyList<SsoRegistration> Registrations { get; private set; } = [];

    public IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public SsoRegistration? ForTenant(Guid tenantId) => Registrations.SingleOrDefault(r => r.TenantId == tenantId);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>();

        // Installation-wide on purpose: the OpenIddict client holds every tenant's registration in one options object.
        var rows = await db.IdentityProviders.IgnoreQueryFilters([StreamSpaceDb.TenantFilter]).AsNoTracking()
            .Join(db.Tenants, p => p.TenantId, t => t.Id, (p, t) => new { Provider = p, t.Slug })
            .OrderBy(r => r.Slug)
            .ToListAsync(cancellationToken);
        var loaded = rows.Select(r => new SsoRegistration(
                r.Provider.TenantId, r.Slug, r.Provider.DisplayName, r.Provider.Issuer, r.Provider.ClientId,
                _protector.Unprotect(r.Provider.ProtectedClientSecret), r.Provider.Scopes, r.Provider.LocalPasswordsDisabled, r.Provider.UpdatedAt))
            .ToList();

        CancellationTokenSource previous;
        lock (_lock)
        {
            if (loaded.Select(r => (r.TenantId, r.UpdatedAt, r.TenantSlug)).SequenceEqual(Registrations.Select(r => (r.TenantId, r.UpdatedAt, r.TenantSlug))))
            {
                return;
            }

            Registrations = loaded;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: options monitors may still be registering on its token.
        await previous.CancelAsync();
    }

    public string Protect(string secret) => _protector.Protect(secret);

    public void Dispose() => _changed.Dispose();
}
