namespace StreamSpace.Web.Sso;

public sealed class SsoOptions
{
    public const string Section = "Sso";

    /// <summary>How often each Web replica re-reads the tenants' identity providers.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Lets the sign-in with a provider run over plain http (<c>make run</c>, tests): the correlation cookie becomes
    /// <c>SameSite=Lax</c> without <c>Secure</c> (else the browser drops it and the callback fails with ID2129) and the callback
    /// no longer requires https. Off by default; never on behind a public address.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }
}
