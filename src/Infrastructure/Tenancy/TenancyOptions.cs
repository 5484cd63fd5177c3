using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>Tenants live at <c>{tenant}.{BaseDomain}</c>; <c>localhost</c> works in Chromium with no DNS set-up.</summary>
    [Required]
    public string BaseDomain { get; set; } = "localhost";
}
