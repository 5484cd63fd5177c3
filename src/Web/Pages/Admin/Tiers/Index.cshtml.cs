using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Tiers;

namespace StreamSpace.Web.Pages.Admin.Tiers;

/// <summary>
/// The organisation's tiers, edited inline: each row opens into a form whose changes are previewed against the sessions
/// running now before they are saved. A refused form comes back to htmx as a 200 partial (the page without JavaScript answers 422).
/// </summary>
public sealed class IndexModel(StreamSpaceDb db, TenantTiers tiers) : PageModel
{
    [BindProperty]
    public TierForm Form { get; set; } = new();

    public IReadOnlyList<TierRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rows = await RowsAsync(null, cancellationToken);
        Form = new TierForm { Memory = "4Gi", Cpu = "2", MaxSessions = "1", Storage = "10Gi", MaxSessionDuration = "8h", IdleTimeout = "30m", ClipboardIn = true };
    }

    public async Task<IActionResult> OnGetRowAsync(Guid id, CancellationToken cancellationToken) =>
        (await RowsAsync(id, cancellationToken)) is [var row] ? Partial("_TierRow", row) : NotFound();

    /// <summary>The tier being edited when the page is used without htmx.</summary>
    public Guid? Editing { get; private set; }

    public async Task<IActionResult> OnGetEditAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await RowsAsync(id, cancellationToken) is not [var row])
        {
            return NotFound();
        }

        if (Request.IsHtmx())
        {
            return Partial("_TierEditor", row);
        }

        await OnGetAsync(cancellationToken);
        Editing = id;
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(Guid id, CancellationToken cancellationToken)
    {
        // Another tenant's tier is not found even when the form is incomplete: the tenant filter hides it.
        if (!await db.Tiers.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return NotFound();
        }

        if (Form.ReadLimits() is not { } limits)
        {
            return Partial("_TierImpact", new TierImpactView(id, null, Form.Errors.Values.ToList()));
        }

        try
        {
            return Partial("_TierImpact", new TierImpactView(id, await tiers.PreviewAsync(id, limits, cancellationToken), []));
        }
        catch (TierNotFoundException)
        {
            return NotFound();
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        Form.Id = id;
        if (Form.ReadLimits() is { } limits)
        {
            try
            {
                await tiers.UpdateAsync(id, limits, Form.Dlp, cancellationToken);
                return Request.IsHtmx() ? await RowPartialAsync(id, null, cancellationToken) : RedirectToPage();
            }
            catch (TierNotFoundException)
            {
                return NotFound();
            }
            catch (DomainException e)
            {
                Form.Problem = e.Message;
            }
        }

        if (await RowsAsync(id, cancellationToken) is not [var row])
        {
            return NotFound();
        }

        Form.Name = row.Tier.Name;
        return await RefusedAsync("_TierEditor", row with { Tier = Form }, cancellationToken);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (Form.ReadLimits() is { } limits)
        {
            try
            {
                await tiers.CreateAsync(Form.Name, limits, Form.Dlp, cancellationToken);
                return Navigate();
            }
            catch (FieldException e) when (e.Field == "name")
            {
                Form.Errors[nameof(TierForm.Name)] = e.Message;
            }
            catch (DomainException e)
            {
                Form.Problem = e.Message;
            }
        }

        return await RefusedAsync("_TierCreate", this, cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await tiers.DeleteAsync(id, cancellationToken);
        }
        catch (TierNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            return Request.IsHtmx() ? await RowPartialAsync(id, e.Message, cancellationToken) : await FullPageAsync(e.Message, cancellationToken);
        }

        return Request.IsHtmx() ? Content(string.Empty, "text/html") : RedirectToPage();
    }

    private async Task<IActionResult> RowPartialAsync(Guid id, string? problem, CancellationToken cancellationToken) =>
        (await RowsAsync(id, cancellationToken)) is [var row] ? Partial("_TierRow", row with { Problem = problem }) : NotFound();

    private async Task<IActionResult> RefusedAsync(string partial, object model, CancellationToken cancellationToken)
    {
        if (Request.IsHtmx())
        {
            return Partial(partial, model);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Rows = await RowsAsync(null, cancellationToken);
        return Page();
    }

    private async Task<IActionResult> FullPageAsync(string problem, CancellationToken cancellationToken)
    {
        Rows = await RowsAsync(null, cancellationToken);
        Form.Problem = problem;
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private IActionResult Navigate()
    {
        var list = Url.Page("/Admin/Tiers/Index")!;
        if (!Request.IsHtmx())
        {
            return Redirect(list);
        }

        Response.Htmx(headers => headers.Redirect(list));
        return new EmptyResult();
    }

    private async Task<List<TierRow>> RowsAsync(Guid? id, CancellationToken cancellationToken)
    {
        var all = await db.Tiers.AsNoTracking().Where(t => id == null || t.Id == id).OrderBy(t => t.MemoryBytes).ThenBy(t => t.Name).ToListAsync(cancellationToken);
        var counts = await db.Users.Where(m => m.TierId != null).GroupBy(m => m.TierId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var untiered = await db.Users.CountAsync(m => m.TierId == null, cancellationToken);
        return all.Select(t => new TierRow(
                TierForm.Of(t),
                (counts.SingleOrDefault(c => c.Key == t.Id)?.Count ?? 0) + (t.IsDefault ? untiered : 0),
                t.IsDefault))
            .ToList();
    }
}
