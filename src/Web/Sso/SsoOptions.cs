namespace StreamSpace.Web.Sso;

public sealed class SsoOptions
{
    public const string Section = "Sso";

    /// <summary>How often each Web replica re-reads the tenants' identity providers.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
