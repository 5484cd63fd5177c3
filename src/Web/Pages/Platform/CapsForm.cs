using System.Globalization;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Pages.Platform;

/// <summary>A tenant's plan caps as typed: Kubernetes quantities for memory and storage, whole numbers for counts.</summary>
public sealed class CapsForm
{
    public string? Memory { get; set; }

    public string? RunningSessions { get; set; }

    public string? Members { get; set; }

    public string? Storage { get; set; }

    /// <summary>Set by "Save anyway": the operator has seen that a cap is below current use.</summary>
    public bool BelowUseConfirmed { get; set; }

    public static CapsForm Of(PlanCaps plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new CapsForm
        {
            Memory = Quantity.FormatBytes(plan.MemoryBytes),
            RunningSessions = plan.RunningSessions.ToString(CultureInfo.InvariantCulture),
            Members = plan.Members.ToString(CultureInfo.InvariantCulture),
            Storage = Quantity.FormatBytes(plan.StorageBytes),
        };
    }

    /// <summary>A warning per cap of <paramref name="plan"/> below what <paramref name="tenant"/> uses now.</summary>
    public static Dictionary<string, string> BelowUse(TenantOverview tenant, PlanCaps plan)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(plan);
        var warnings = new Dictionary<string, string>();
        const string Effect = "nothing running stops, but new launches are refused until use falls below it.";
        if (plan.MemoryBytes < tenant.MemoryReservedBytes)
        {
            warnings[nameof(Memory)] = $"Below the {Quantity.FormatBytes(tenant.MemoryReservedBytes)} in use now: {Effect}";
        }

        if (plan.RunningSessions < tenant.RunningSessions)
        {
            warnings[nameof(RunningSessions)] = string.Create(CultureInfo.InvariantCulture, $"Below the {tenant.RunningSessions} running now: {Effect}");
        }

        if (plan.Members < tenant.Members)
        {
            warnings[nameof(Members)] = string.Create(CultureInfo.InvariantCulture, $"Below the {tenant.Members} members now: no one is removed, but no one new can join.");
        }

        if (plan.StorageBytes < tenant.StorageAllocatedBytes)
        {
            warnings[nameof(Storage)] = $"Below the {Quantity.FormatBytes(tenant.StorageAllocatedBytes)} allocated now: {Effect}";
        }

        return warnings;
    }

    /// <summary>The caps, or null and a message per field that is not right.</summary>
    public (PlanCaps? Plan, Dictionary<string, string> Errors) Read()
    {
        var errors = new Dictionary<string, string>();
        if (!Quantity.TryParseBytes(Memory, out var memory) || memory <= 0)
        {
            errors[nameof(Memory)] = "Enter a memory size such as 64Gi or 512Mi.";
        }
        else if (memory > QuantityLimits.MaxPlanBytes)
        {
            errors[nameof(Memory)] = QuantityLimits.TooLarge(Memory, Quantity.FormatBytes(QuantityLimits.MaxPlanBytes));
        }

        if (!int.TryParse(RunningSessions, NumberStyles.None, CultureInfo.InvariantCulture, out var sessions) || sessions > QuantityLimits.MaxPlanSessions)
        {
            errors[nameof(RunningSessions)] = string.Create(CultureInfo.InvariantCulture, $"Enter a whole number of sessions from 0 to {QuantityLimits.MaxPlanSessions:N0}.");
        }

        if (!int.TryParse(Members, NumberStyles.None, CultureInfo.InvariantCulture, out var members) || members < 1 || members > QuantityLimits.MaxPlanMembers)
        {
            errors[nameof(Members)] = string.Create(CultureInfo.InvariantCulture, $"Enter a whole number of members from 1 to {QuantityLimits.MaxPlanMembers:N0}.");
        }

        if (!Quantity.TryParseBytes(Storage, out var storage) || storage <= 0)
        {
            errors[nameof(Storage)] = "Enter a storage size such as 500Gi or 1Ti.";
        }
        else if (storage > QuantityLimits.MaxPlanBytes)
        {
            errors[nameof(Storage)] = QuantityLimits.TooLarge(Storage, Quantity.FormatBytes(QuantityLimits.MaxPlanBytes));
        }

        return errors.Count > 0 ? (null, errors) : (new PlanCaps(memory, sessions, members, storage), errors);
    }
}
