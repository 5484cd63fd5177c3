using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>
/// What an operator does to a tenant: suspend, reactivate, change its plan caps. Each change is audited in the affected
/// tenant's log (the operator as actor), so the tenant's admins see who did it; it runs in a scope of that tenant.
/// </summary>
public sealed class TenantOperations(TenantScope tenants, TenantStore store, IBackgroundJobClient jobs)
{
    public const string OperatorNote = "by platform operator";

    /// <summary>Suspends the tenant and hibernates its running sessions; false when there is no such tenant.</summary>
    public async Task<bool> SuspendAsync(string slug, CancellationToken cancellationToken)
    {
        Guid? suspended = null;
        var found = await ChangeAsync(slug, (tenant, audit) =>
        {
            if (tenant.Status == TenantStatus.Suspended)
            {
                return;
            }

            tenant.Suspend();
            audit.Record(AuditActions.TenantSuspended, Target(tenant), OperatorNote);
            suspended = tenant.Id;
        }, cancellationToken);

        if (suspended is { } tenantId)
        {
            await RevokeApiTokensAsync(tenantId, cancellationToken);
            jobs.Enqueue<ITenantJobs>(j => j.HibernateSuspendedAsync(tenantId, CancellationToken.None));
        }

        return found;
    }

    public Task<bool> ReactivateAsync(string slug, CancellationToken cancellationToken) =>
        ChangeAsync(slug, (tenant, audit) =>
        {
            if (tenant.Status == TenantStatus.Active)
            {
                return;
            }

            tenant.Reactivate();
            audit.Record(AuditActions.TenantReactivated, Target(tenant), OperatorNote);
        }, cancellationToken);

    public Task<bool> ChangePlanAsync(string slug, PlanCaps plan, CancellationToken cancellationToken) =>
        ChangeAsync(slug, (tenant, audit) =>
        {
            var changes = Describe(tenant.Plan, plan);
            if (changes.Length == 0)
            {
                return;
            }

            tenant.ChangePlan(plan);
            audit.Record(AuditActions.TenantCapsChanged, Target(tenant), $"{changes} ({OperatorNote})");
        }, cancellationToken);

    private Task<bool> RevokeApiTokensAsync(Guid tenantId, CancellationToken cancellationToken) =>
        tenants.RunAsync(tenantId, services => services.GetRequiredService<ApiTokenRevocation>().RevokeTenantAsync(cancellationToken), cancellationToken);

    /// <summary>Loads the tenant in a scope of its own (its audit log is that tenant's), applies the change, saves both together.</summary>
    private async Task<bool> ChangeAsync(string slug, Action<Tenant, AuditTrail> change, CancellationToken cancellationToken)
    {
        var found = await tenants.RunAsync(slug, async (services, tenant) =>
        {
            change(tenant, services.GetRequiredService<AuditTrail>());
            await services.GetRequiredService<StreamSpaceDb>().SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        if (found)
        {
            store.Forget(slug);
        }

        return found;
    }

    private static string Target(Tenant tenant) => $"tenant/{tenant.Slug}";

    private static string Describe(PlanCaps before, PlanCaps after)
    {
        var changes = new List<string>();
        if (before.MemoryBytes != after.MemoryBytes)
        {
            changes.Add($"memory {Quantity.FormatBytes(before.MemoryBytes)} → {Quantity.FormatBytes(after.MemoryBytes)}");
        }

        if (before.RunningSessions != after.RunningSessions)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"running sessions {before.RunningSessions} → {after.RunningSessions}"));
        }

        if (before.Members != after.Members)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"members {before.Members} → {after.Members}"));
        }

        if (before.StorageBytes != after.StorageBytes)
        {
            changes.Add($"storage {Quantity.FormatBytes(before.StorageBytes)} → {Quantity.FormatBytes(after.StorageBytes)}");
        }

        return string.Join(", ", changes);
    }
}
