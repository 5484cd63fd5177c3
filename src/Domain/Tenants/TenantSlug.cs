using System.Text.RegularExpressions;

namespace StreamSpace.Domain.Tenants;

/// <summary>A tenant id: a DNS label, because it becomes a host name and a Kubernetes namespace.</summary>
public static partial class TenantSlug
{
    public const int MinLength = 3;

    // ss-{slug} must stay a valid namespace name (63 characters).
    public const int MaxLength = 40;

    /// <summary>Names that would clash with our own hosts, routes or well-known services.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "www", "api", "admin", "app", "auth", "connect", "login", "signup", "logout", "platform",
        "static", "assets", "cdn", "mail", "smtp", "imap", "ftp", "ns", "dns", "status", "metrics",
        "healthz", "grafana", "prometheus", "system", "default", "kube", "localhost", "streamspace", "t",
    };

    /// <summary>Returns null when <paramref name="value"/> is a usable tenant id, otherwise why it is not.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "Choose a tenant id.";
        }

        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return $"A tenant id has {MinLength} to {MaxLength} characters.";
        }

        if (!DnsLabel().IsMatch(value))
        {
            return "Use lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.";
        }

        if (value.Contains("--", StringComparison.Ordinal))
        {
            return "A tenant id cannot contain two hyphens in a row.";
        }

        return Reserved.Contains(value) || value.StartsWith("kube-", StringComparison.Ordinal)
            ? $"\"{value}\" is reserved; choose another tenant id."
            : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DnsLabel();
}
