using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>The tenant of the current request or job; null outside any tenant (landing page, sign-up, platform seeding).</summary>
public sealed class TenantContext
{
    public Tenant? Tenant { get; private set; }

    public Guid? TenantId => Tenant?.Id;

    public void Use(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Tenant is not null && Tenant.Id != tenant.Id)
        {
            throw new InvalidOperationException("The tenant of a request or job cannot change once set.");
        }

        Tenant = tenant;
    }
}
