namespace StreamSpace.Web.Identity;

/// <summary>
/// <c>Identity:AllowInsecureHttp</c>: whether the token server and the sign-in with a tenant's provider accept plain http.
/// Off by default, because production sits behind TLS; <c>make run</c> (http://localhost) and the tests turn it on. An
/// explicit setting rather than the environment's name, so a Production build on a laptop and a staging cluster behave
/// as configured.
/// </summary>
public sealed class IdentityTransportOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The token server answers over http, and the sign-in's correlation cookie becomes <c>SameSite=Lax</c> without
    /// <c>Secure</c> (else the browser drops it and the callback fails with ID2129). Never on behind a public address.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }
}
