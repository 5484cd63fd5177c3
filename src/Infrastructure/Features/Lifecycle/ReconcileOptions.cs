using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Features.Lifecycle;

public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>A session in Pending/Starting/Hibernating/Resuming/Terminating longer than this gets its job re-run once, then fails.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A Running session whose processes are gone is only called lost once it has been Running this long (a start in flight is not drift).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromSeconds(30);
}
