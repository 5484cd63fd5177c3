using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// One member's standing against their quota and the plan, read once; answers "would one more session of this size
/// fit?" for every catalog card without another query. Admission itself re-reads it under the tenant lock.
/// </summary>
public sealed record QuotaPreview(
    QuotaUsage Member,
    EffectiveQuota Quota,
    QuotaUsage Tenant,
    PlanCaps Plan,
    bool NeedsNewHome,
    long AllocatedStorage)
{
    public QuotaRefusal? Check(long memoryBytes, int cpuMillicores) =>
        QuotaCheck.Admit(memoryBytes, cpuMillicores, Member, Quota, Tenant, Plan)
        ?? (NeedsNewHome ? QuotaCheck.AdmitHome(Quota.StorageBytes, AllocatedStorage, Plan) : null);
}
