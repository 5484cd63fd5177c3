namespace StreamSpace.Domain.Tenants;

public enum TenantStatus
{
    Active,
    Suspended,
}
