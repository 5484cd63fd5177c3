using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Features.ApiClients;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Pages.Admin.ApiClients;

public sealed class IndexModel(TenantApiClients clients) : PageModel
{
    public IReadOnlyList<ApiClient> Clients { get; private set; } = [];

    [BindProperty]
    [Required(ErrorMessage = "Give the client a name.")]
    [StringLength(100)]
    [Display(Name = "Name")]
    public string? Name { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [ApiScopes.Sessions, ApiScopes.Templates];

    /// <summary>Set only on the response that created the client: the secret is shown this once.</summary>
    public CreatedClient? Created { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Clients = await clients.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
                var (client, secret) = await clients.CreateAsync(memberId, Name!, Scopes, cancellationToken);
                Created = new CreatedClient(client.ClientId, secret);

                // The input shows the posted value from ModelState, not the property: the next client starts with an empty name.
                ModelState.Remove(nameof(Name));
                Name = null;
            }
            catch (ApiClientNameTakenException e)
            {
                ModelState.AddModelError(nameof(Name), e.Message);
            }
            catch (DomainException e)
            {
                Error = e.Message;
            }
        }

        // Rendered, not redirected: the secret must not travel through a cookie or a URL to be shown after a redirect.
        Clients = await clients.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await clients.DeleteAsync(id, cancellationToken);
        }
        catch (ApiClientNotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage();
    }
}
