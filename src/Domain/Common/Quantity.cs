using System.Globalization;

namespace StreamSpace.Domain.Common;

/// <summary>
/// Kubernetes quantities and durations, the units of the product's YAML (<c>2Gi</c>, <c>2000m</c>, <c>8h</c>). A well-formed
/// amount too large for its type reads as the type's maximum, so a caller's range check (<see cref="QuantityLimits"/>) refuses it
/// with the maximum instead of an <see cref="OverflowException"/>.
/// </summary>
public static class Quantity
{
    private static readonly (string Suffix, long Factor)[] ByteSuffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
    ];

    private static readonly long MaxDurationSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    public static bool TryParseBytes(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        foreach (var (suffix, factor) in ByteSuffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && TryParseAmount(text[..^suffix.Length], out var scaled))
            {
                bytes = scaled >= long.MaxValue / (decimal)factor ? long.MaxValue : (long)(scaled * factor);
                return true;
            }
        }

        if (IsDigits(text))
        {
            bytes = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) ? plain : long.MaxValue;
            return true;
        }

        return false;
    }

    public static long ParseBytes(string text) =>
        TryParseBytes(text, out var bytes) ? bytes : throw new DomainException($"\"{text}\" is not a size such as 512Mi or 2Gi.");

    /// <summary>Formats with the largest binary suffix that divides exactly, as Kubernetes prints it.</summary>
    public static string FormatBytes(long bytes)
    {
        foreach (var (suffix, factor) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (bytes != 0 && bytes % factor == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / factor}{suffix}");
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>For reading, not for YAML: the largest binary unit with at most one decimal, such as <c>256 MiB</c> or <c>23.5 GiB</c>.</summary>
    public static string FormatReadable(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var value = (double)bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value, 1, MidpointRounding.AwayFromZero):0.#} {units[unit]}");
    }

    public static bool TryParseMillicores(string? text, out int millicores)
    {
        millicores = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.EndsWith('m'))
        {
            if (!IsDigits(text[..^1]))
            {
                return false;
            }

            millicores = int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var plain) ? plain : int.MaxValue;
            return true;
        }

        if (TryParseAmount(text, out var cores))
        {
            millicores = cores >= int.MaxValue / 1000m ? int.MaxValue : (int)(cores * 1000);
            return true;
        }

        return false;
    }

    public static int ParseMillicores(string text) =>
        TryParseMillicores(text, out var value) ? value : throw new DomainException($"\"{text}\" is not a CPU amount such as 500m or 2.");

    public static string FormatMillicores(int millicores) =>
        millicores % 1000 == 0
            ? (millicores / 1000).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{millicores}m");

    /// <summary>Durations such as <c>30m</c>, <c>8h</c>, <c>1h30m</c>, <c>90s</c>.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        var totalSeconds = 0L;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            {
                digits++;
            }

            if (digits == 0 || digits == span.Length)
            {
                return false;
            }

            long unit = span[digits] switch
            {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                's' => 1,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            var amount = long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;
            totalSeconds = amount > (MaxDurationSeconds - totalSeconds) / unit ? MaxDurationSeconds : totalSeconds + (amount * unit);
            span = span[(digits + 1)..];
        }

        duration = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }

    /// <summary>A non-negative decimal amount such as <c>2</c> or <c>1.5</c>; one too large for a decimal reads as its maximum.</summary>
    private static bool TryParseAmount(string text, out decimal amount)
    {
        amount = 0;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        if (!IsDigits(whole) || (point >= 0 && !IsDigits(text[(point + 1)..])))
        {
            return false;
        }

        amount = decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : decimal.MaxValue;
        return true;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    public static TimeSpan ParseDuration(string text) =>
        TryParseDuration(text, out var value) ? value : throw new DomainException($"\"{text}\" is not a duration such as 30m or 8h.");

    public static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>(4);
        if (duration.Days > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Days}d"));
        if (duration.Hours > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Hours}h"));
        if (duration.Minutes > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m"));
        if (duration.Seconds > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Seconds}s"));
        return string.Concat(parts);
    }
}
