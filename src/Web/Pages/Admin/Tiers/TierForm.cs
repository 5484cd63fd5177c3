using System.Globalization;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Web.Pages.Admin.Tiers;

/// <summary>A tier as typed into the form, in the product's units (<c>16Gi</c>, <c>2000m</c>, <c>8h</c>, <c>30m</c>).</summary>
public sealed class TierForm
{
    public Guid? Id { get; set; }

    public string? Name { get; set; }

    public string? Memory { get; set; }

    public string? Cpu { get; set; }

    public string? MaxSessions { get; set; }

    public string? Storage { get; set; }

    public string? MaxSessionDuration { get; set; }

    public string? IdleTimeout { get; set; }

    public bool ClipboardIn { get; set; }

    public bool ClipboardOut { get; set; }

    public bool FileTransfer { get; set; }

    public bool Watermark { get; set; }

    /// <summary>Problems by field name (this class's property names); empty when the form reads.</summary>
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>A problem that belongs to no one field.</summary>
    public string? Problem { get; set; }

    public static TierForm Of(Tier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return new TierForm
        {
            Id = tier.Id,
            Name = tier.Name,
            Memory = Quantity.FormatBytes(tier.MemoryBytes),
            Cpu = Quantity.FormatMillicores(tier.CpuMillicores),
            MaxSessions = tier.MaxSessions.ToString(CultureInfo.InvariantCulture),
            Storage = Quantity.FormatBytes(tier.StorageBytes),
            MaxSessionDuration = Quantity.FormatDuration(tier.MaxSessionDuration),
            IdleTimeout = Quantity.FormatDuration(tier.IdleTimeout),
            ClipboardIn = tier.ClipboardIn,
            ClipboardOut = tier.ClipboardOut,
            FileTransfer = tier.FileTransfer,
            Watermark = tier.Watermark,
        };
    }

    /// <summary>The limits the form describes, or null with a message per field that does not read.</summary>
    public TierLimits? ReadLimits()
    {
        Errors.Clear();
        if (!Quantity.TryParseBytes(Memory, out var memory) || memory <= 0)
        {
            Errors[nameof(Memory)] = $"\"{Memory}\" is not a memory size such as 4Gi or 512Mi.";
        }
        else if (memory > QuantityLimits.MaxMemoryBytes)
        {
            Errors[nameof(Memory)] = QuantityLimits.TooLarge(Memory, Quantity.FormatBytes(QuantityLimits.MaxMemoryBytes));
        }

        if (!Quantity.TryParseMillicores(Cpu, out var cpu) || cpu <= 0)
        {
            Errors[nameof(Cpu)] = $"\"{Cpu}\" is not a CPU amount such as 2000m or 2.";
        }
        else if (cpu > QuantityLimits.MaxMillicores)
        {
            Errors[nameof(Cpu)] = QuantityLimits.TooLarge(Cpu, $"{Quantity.FormatMillicores(QuantityLimits.MaxMillicores)} cores");
        }

        if (!int.TryParse(MaxSessions, NumberStyles.None, CultureInfo.InvariantCulture, out var sessions) || sessions > QuantityLimits.MaxSessions)
        {
            Errors[nameof(MaxSessions)] = $"\"{MaxSessions}\" is not a number of sessions from 0 to {QuantityLimits.MaxSessions}.";
        }

        if (!Quantity.TryParseBytes(Storage, out var storage) || storage <= 0)
        {
            Errors[nameof(Storage)] = $"\"{Storage}\" is not a storage size such as 10Gi or 100Gi.";
        }
        else if (storage > QuantityLimits.MaxStorageBytes)
        {
            Errors[nameof(Storage)] = QuantityLimits.TooLarge(Storage, Quantity.FormatBytes(QuantityLimits.MaxStorageBytes));
        }

        if (!Quantity.TryParseDuration(MaxSessionDuration, out var duration) || duration <= TimeSpan.Zero)
        {
            Errors[nameof(MaxSessionDuration)] = $"\"{MaxSessionDuration}\" is not a duration such as 8h or 90m.";
        }
        else if (duration > QuantityLimits.MaxDuration)
        {
            Errors[nameof(MaxSessionDuration)] = QuantityLimits.TooLarge(MaxSessionDuration, Quantity.FormatDuration(QuantityLimits.MaxDuration));
        }

        if (!Quantity.TryParseDuration(IdleTimeout, out var idle) || idle <= TimeSpan.Zero)
        {
            Errors[nameof(IdleTimeout)] = $"\"{IdleTimeout}\" is not a duration such as 30m or 1h.";
        }
        else if (idle > QuantityLimits.MaxDuration)
        {
            Errors[nameof(IdleTimeout)] = QuantityLimits.TooLarge(IdleTimeout, Quantity.FormatDuration(QuantityLimits.MaxDuration));
        }

        return Errors.Count == 0 ? new TierLimits(memory, cpu, sessions, storage, duration, idle) : null;
    }

    public TierDlp Dlp => new(ClipboardIn, ClipboardOut, FileTransfer, Watermark);

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var error) ? error : null;
}
