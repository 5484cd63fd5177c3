using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Web.Pages.Admin.Sso;

/// <summary>The tenant's identity provider: issuer, client, scopes and how its groups map to role and tier.</summary>
public sealed class IndexModel(TenantSso sso) : PageModel
{
    [BindProperty]
    public SsoForm Form { get; set; } = new();

    public bool Configured { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Set by Save for the page it redirects to, shown once.</summary>
    [TempData]
    public string? Saved { get; set; }

    /// <summary>Set after Test connection: empty means the discovery document looked right.</summary>
    public IReadOnlyList<string>? TestProblems { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var provider = await sso.GetAsync(cancellationToken);
        Configured = provider is not null;
        if (provider is not null)
        {
            Form = new SsoForm
            {
                DisplayName = provider.DisplayName,
                Issuer = provider.Issuer,
                ClientId = provider.ClientId,
                Scopes = string.Join(' ', provider.Scopes),
                GroupsClaim = provider.GroupsClaim,
                AdminGroup = provider.AdminGroup,
                TierGroups = string.Join('\n', provider.TierGroups),
                LocalPasswordsDisabled = provider.LocalPasswordsDisabled,
            };
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await sso.SaveAsync(Form.ToSettings(), cancellationToken);
            Saved = "Single sign-on settings saved.";
            return RedirectToPage();
        }
        catch (FieldException e)
        {
            FieldErrors[e.Field] = e.Message;
            Configured = await sso.GetAsync(cancellationToken) is not null;
            return Page();
        }
        catch (DomainException e)
        {
            Error = e.Message;
            Configured = await sso.GetAsync(cancellationToken) is not null;
            return Page();
        }
    }

    /// <summary>Problems by field (<c>DisplayName</c>, <c>Issuer</c>, <c>ClientId</c>), shown under each.</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public FieldMessage MessageFor(string field, string id) => new(id, FieldErrors.GetValueOrDefault(field));

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        TestProblems = await sso.TestConnectionAsync(Form.Issuer ?? string.Empty, cancellationToken);
        Configured = await sso.GetAsync(cancellationToken) is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        await sso.RemoveAsync(cancellationToken);
        return RedirectToPage();
    }
}
