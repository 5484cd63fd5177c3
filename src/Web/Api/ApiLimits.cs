using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Web.Api;

/// <summary>Requests per minute that one API client (or, without a token, one address) may make.</summary>
public sealed class ApiLimits
{
    public const string Section = "ApiLimits";

    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;
}
