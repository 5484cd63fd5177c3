using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Web;

public sealed class SignInLimits
{
    public const string Section = "SignInLimits";

    /// <summary>Sign-in and sign-up POSTs allowed per client address per minute, on top of per-account lockout.</summary>
    [Range(1, 10_000)]
    public int AttemptsPerMinute { get; set; } = 10;
}
