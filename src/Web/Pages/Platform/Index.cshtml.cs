using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Pages.Platform;

/// <summary>The operator console: every tenant with its caps and usage, inline cap edits, suspend and reactivate, capacity.</summary>
public sealed class IndexModel(PlatformOverview overview, TenantOperations operations) : PageModel
{
    public IReadOnlyList<TenantOverview> Tenants { get; private set; } = [];

    public Capacity? Capacity { get; private set; }

    /// <summary>The tenant whose caps are being edited without JavaScript (<c>?edit=acme</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Edit { get; set; }

    [BindProperty]
    public CapsForm Caps { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Tenants = await overview.TenantsAsync(cancellationToken);
        Capacity = await overview.CapacityAsync(cancellationToken);
    }

    /// <summary>One tenant's row, read-only or as the caps form (<c>edit=true</c>), for htmx.</summary>
    public async Task<IActionResult> OnGetRowAsync(string slug, bool edit, CancellationToken cancellationToken)
    {
        var tenant = await overview.TenantAsync(slug, cancellationToken);
        if (tenant is null)
        {
            return NotFound();
        }

        return edit ? Partial("_TenantCapsRow", new TenantCapsRow(tenant, CapsForm.Of(tenant.Plan), new())) : Partial("_TenantRow", tenant);
    }

    public async Task<IActionResult> OnPostCapsAsync(string slug, CancellationToken cancellationToken)
    {
        var tenant = await overview.TenantAsync(slug, cancellationToken);
        if (tenant is null)
        {
            return NotFound();
        }

        var (plan, errors) = Caps.Read();
        if (plan is null)
        {
            if (Request.IsHtmx())
            {
                return Partial("_TenantCapsRow", new TenantCapsRow(tenant, Caps, errors));
            }

            Edit = slug;
            CapErrors = errors;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        if (!Caps.BelowUseConfirmed && CapsForm.BelowUse(tenant, plan) is { Count: > 0 } warnings)
        {
            if (Request.IsHtmx())
            {
                return Partial("_TenantCapsRow", new TenantCapsRow(tenant, Caps, [], warnings));
            }

            Edit = slug;
            CapWarnings = warnings;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        await operations.ChangePlanAsync(slug, plan, cancellationToken);
        return await RowOrRedirectAsync(slug, cancellationToken);
    }

    public async Task<IActionResult> OnPostSuspendAsync(string slug, CancellationToken cancellationToken)
    {
        if (slug == Tenant.PlatformSlug)
        {
            return BadRequest("The platform's own organisation cannot be suspended.");
        }

        return await operations.SuspendAsync(slug, cancellationToken) ? await RowOrRedirectAsync(slug, cancellationToken) : NotFound();
    }

    public async Task<IActionResult> OnPostReactivateAsync(string slug, CancellationToken cancellationToken) =>
        await operations.ReactivateAsync(slug, cancellationToken) ? await RowOrRedirectAsync(slug, cancellationToken) : NotFound();

    /// <summary>Field errors of a caps form posted without JavaScript, shown in the edited row.</summary>
    public Dictionary<string, string> CapErrors { get; private set; } = [];

    /// <summary>Caps below current use posted without JavaScript, waiting for "Save anyway".</summary>
    public Dictionary<string, string> CapWarnings { get; private set; } = [];

    public TenantCapsRow EditRow(TenantOverview tenant) =>
        new(tenant, CapErrors.Count > 0 || CapWarnings.Count > 0 ? Caps : CapsForm.Of(tenant.Plan), CapErrors, CapWarnings);

    private async Task<IActionResult> RowOrRedirectAsync(string slug, CancellationToken cancellationToken) =>
        Request.IsHtmx()
            ? Partial("_TenantRow", (await overview.TenantAsync(slug, cancellationToken))!)
            : RedirectToPage();

    public static string Bytes(long bytes) => Quantity.FormatBytes(bytes);
}
