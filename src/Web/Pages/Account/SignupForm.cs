namespace StreamSpace.Web.Pages.Account;

public sealed class SignupForm
{
    public string? OrganisationName { get; set; }

    public string? TenantId { get; set; }

    public string? Email { get; set; }

    public string? Password { get; set; }
}
