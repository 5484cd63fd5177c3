using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Tiers;

/// <summary>A named bundle of quota and data-loss-prevention rules that members of a tenant are put in.</summary>
public sealed class Tier : ITenantOwned
{
    /// <summary>The tier members without one are treated as being in; every tenant starts with it and cannot delete it.</summary>
    public const string DefaultName = "free";

    private Tier()
    {
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; }

    public long MemoryBytes { get; private set; }

    public int CpuMillicores { get; private set; }

    public int MaxSessions { get; private set; }

    public long StorageBytes { get; private set; }

    public TimeSpan MaxSessionDuration { get; private set; }

    public TimeSpan IdleTimeout { get; private set; }

    public bool ClipboardIn { get; private set; }

    public bool ClipboardOut { get; private set; }

    public bool FileTransfer { get; private set; }

    public bool Watermark { get; private set; }

    public TierLimits Limits => new(MemoryBytes, CpuMillicores, MaxSessions, StorageBytes, MaxSessionDuration, IdleTimeout);

    public TierDlp Dlp => new(ClipboardIn, ClipboardOut, FileTransfer, Watermark);

    public bool IsDefault => Name == DefaultName;

    /// <summary>
    /// Which tier a member is in: their own among the tenant's <paramref name="tiers"/>, else the tenant's default tier,
    /// else the built-in default (a tenant whose tiers are not seeded yet).
    /// </summary>
    public static Tier Resolve(Guid? tierId, IReadOnlyCollection<Tier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return (tierId is { } id ? tiers.SingleOrDefault(t => t.Id == id) : null)
            ?? tiers.SingleOrDefault(t => t.IsDefault)
            ?? Defaults()[0];
    }

    public static Tier Create(string name, TierLimits limits, TierDlp dlp)
    {
        var tier = new Tier { Id = Guid.CreateVersion7(), Name = name };
        tier.Change(limits, dlp);
        return tier;
    }

    /// <summary>The two tiers every new tenant starts with.</summary>
    public static IReadOnlyList<Tier> Defaults() =>
    [
        Create(
            DefaultName,
            new TierLimits(Quantity.ParseBytes("4Gi"), 2000, 1, Quantity.ParseBytes("10Gi"), TimeSpan.FromHours(2), TimeSpan.FromMinutes(15)),
            new TierDlp(ClipboardIn: true, ClipboardOut: false, FileTransfer: false, Watermark: true)),
        Create(
            "pro",
            new TierLimits(Quantity.ParseBytes("16Gi"), 8000, 5, Quantity.ParseBytes("100Gi"), TimeSpan.FromHours(8), TimeSpan.FromMinutes(30)),
            new TierDlp(ClipboardIn: true, ClipboardOut: true, FileTransfer: true, Watermark: false)),
    ];

    public void Change(TierLimits limits, TierDlp dlp)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dlp);
        if (limits.MemoryBytes <= 0 || limits.CpuMillicores <= 0 || limits.MaxSessions < 0 || limits.StorageBytes <= 0)
        {
            throw new DomainException("Tier limits must be positive.");
        }

        MemoryBytes = limits.MemoryBytes;
        CpuMillicores = limits.CpuMillicores;
        MaxSessions = limits.MaxSessions;
        StorageBytes = limits.StorageBytes;
        MaxSessionDuration = limits.MaxSessionDuration;
        IdleTimeout = limits.IdleTimeout;
        ClipboardIn = dlp.ClipboardIn;
        ClipboardOut = dlp.ClipboardOut;
        FileTransfer = dlp.FileTransfer;
        Watermark = dlp.Watermark;
    }
}
