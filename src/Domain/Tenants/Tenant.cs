using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Tenants;

public sealed class Tenant
{
    /// <summary>The reserved tenant that holds the platform operators.</summary>
    public const string PlatformSlug = "platform";

    private Tenant()
    {
        Slug = string.Empty;
        DisplayName = string.Empty;
        Plan = PlanCaps.Default;
    }

    public Guid Id { get; private set; }

    public string Slug { get; private set; }

    public string DisplayName { get; private set; }

    public TenantStatus Status { get; private set; }

    public PlanCaps Plan { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Tenant admins may watch a member's running session read-only (audited, and the member is told); off by default.</summary>
    public bool AdminViewing { get; private set; }

    public bool IsPlatform => Slug == PlatformSlug;

    public static Tenant Create(string slug, string displayName, DateTimeOffset now)
    {
        if (TenantSlug.Validate(slug) is { } problem)
        {
            throw new DomainException(problem);
        }

        return NewTenant(slug, displayName, now);
    }

    /// <summary>The operators' tenant; its slug is reserved so nobody can sign up with it.</summary>
    public static Tenant CreatePlatform(DateTimeOffset now) => NewTenant(PlatformSlug, "StreamSpace platform", now);

    public void Suspend()
    {
        if (IsPlatform)
        {
            throw new DomainException("The platform's own organisation cannot be suspended.");
        }

        Status = TenantStatus.Suspended;
    }

    public void ChangePlan(PlanCaps plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.MemoryBytes <= 0 || plan.RunningSessions < 0 || plan.Members <= 0 || plan.StorageBytes <= 0)
        {
            throw new DomainException("Plan caps must be positive.");
        }

        Plan = plan;
    }

    public void Reactivate() => Status = TenantStatus.Active;

    public void AllowAdminViewing(bool allowed) => AdminViewing = allowed;

    private static Tenant NewTenant(string slug, string displayName, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new DomainException("An organisation needs a name.");
        }

        return new Tenant
        {
            Id = Guid.CreateVersion7(now),
            Slug = slug,
            DisplayName = displayName.Trim(),
            Status = TenantStatus.Active,
            Plan = PlanCaps.Default,
            CreatedAt = now,
        };
    }
}
