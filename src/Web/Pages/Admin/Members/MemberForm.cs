using System.Globalization;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>A member's role, tier and overrides as typed into the form; an empty override keeps the tier's value.</summary>
public sealed class MemberForm
{
    public string Role { get; set; } = Domain.Members.MemberRole.User;

    public Guid? TierId { get; set; }

    public string? Memory { get; set; }

    public string? MaxSessions { get; set; }

    public string? Storage { get; set; }

    public string? MaxSessionDuration { get; set; }

    public Dictionary<string, string> Errors { get; } = [];

    public static MemberForm Of(string role, Guid? tierId, QuotaOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new MemberForm
        {
            Role = role,
            TierId = tierId,
            Memory = overrides.MemoryBytes is { } memory ? Quantity.FormatBytes(memory) : null,
            MaxSessions = overrides.MaxSessions?.ToString(CultureInfo.InvariantCulture),
            Storage = overrides.StorageBytes is { } storage ? Quantity.FormatBytes(storage) : null,
            MaxSessionDuration = overrides.MaxSessionDuration is { } duration ? Quantity.FormatDuration(duration) : null,
        };
    }

    /// <summary>The overrides the form describes, or null with a message per field that does not read.</summary>
    public QuotaOverrides? ReadOverrides()
    {
        Errors.Clear();
        long? memory = null;
        if (!string.IsNullOrWhiteSpace(Memory))
        {
            memory = !Quantity.TryParseBytes(Memory, out var bytes) || bytes <= 0 ? Refuse<long>(nameof(Memory), $"\"{Memory}\" is not a memory size such as 8Gi.")
                : bytes > QuantityLimits.MaxMemoryBytes ? Refuse<long>(nameof(Memory), QuantityLimits.TooLarge(Memory, Quantity.FormatBytes(QuantityLimits.MaxMemoryBytes)))
                : bytes;
        }

        int? sessions = null;
        if (!string.IsNullOrWhiteSpace(MaxSessions))
        {
            sessions = int.TryParse(MaxSessions, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= QuantityLimits.MaxSessions
                ? count
                : Refuse<int>(nameof(MaxSessions), $"\"{MaxSessions}\" is not a number of sessions from 0 to {QuantityLimits.MaxSessions}.");
        }

        long? storage = null;
        if (!string.IsNullOrWhiteSpace(Storage))
        {
            storage = !Quantity.TryParseBytes(Storage, out var bytes) || bytes <= 0 ? Refuse<long>(nameof(Storage), $"\"{Storage}\" is not a storage size such as 100Gi.")
                : bytes > QuantityLimits.MaxStorageBytes ? Refuse<long>(nameof(Storage), QuantityLimits.TooLarge(Storage, Quantity.FormatBytes(QuantityLimits.MaxStorageBytes)))
                : bytes;
        }

        TimeSpan? duration = null;
        if (!string.IsNullOrWhiteSpace(MaxSessionDuration))
        {
            duration = !Quantity.TryParseDuration(MaxSessionDuration, out var span) || span <= TimeSpan.Zero
                ? Refuse<TimeSpan>(nameof(MaxSessionDuration), $"\"{MaxSessionDuration}\" is not a duration such as 8h.")
                : span > QuantityLimits.MaxDuration ? Refuse<TimeSpan>(nameof(MaxSessionDuration), QuantityLimits.TooLarge(MaxSessionDuration, Quantity.FormatDuration(QuantityLimits.MaxDuration)))
                : span;
        }

        return Errors.Count == 0 ? new QuotaOverrides(memory, sessions, storage, duration) : null;
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var error) ? error : null;

    private T? Refuse<T>(string field, string message)
        where T : struct
    {
        Errors[field] = message;
        return null;
    }
}
