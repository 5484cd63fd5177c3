using System.Globalization;

namespace StreamSpace.Infrastructure.Features.Audit;

/// <summary>Where the next page of the log starts: the (at, id) of the last event shown, as text for a link.</summary>
public sealed record AuditCursor(DateTimeOffset At, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}-{Id}");

    public static AuditCursor? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var ticks, var id]
               && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks)
               && utcTicks <= DateTimeOffset.MaxValue.UtcTicks
               && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId)
            ? new AuditCursor(new DateTimeOffset(utcTicks, TimeSpan.Zero), eventId)
            : null;
    }
}
