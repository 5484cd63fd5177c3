using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Admin.Sessions;

/// <summary>
/// Every session of the organisation: owner, template, state, idle time, resources; force hibernate or terminate through
/// the members' own paths (<see cref="MemberSessions"/>), and read-only watching when the organisation allows it.
/// </summary>
public sealed class IndexModel(
    StreamSpaceDb db, MemberSessions sessions, TenantContext tenantContext, TenantStore tenants, AuditTrail audit, TimeProvider time) : PageModel
{
    public IReadOnlyList<TenantSessionRow> Rows { get; private set; } = [];

    public bool AdminViewing { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        AdminViewing = await AdminViewingAsync(cancellationToken);
        Rows = await RowsAsync(null, cancellationToken);
    }

    public async Task<IActionResult> OnGetRowAsync(Guid id, CancellationToken cancellationToken)
    {
        Response.Headers.Vary = "HX-Request";
        return await RowAsync(id, null, cancellationToken);
    }

    public Task<IActionResult> OnPostHibernateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.AdminHibernateAsync(id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostTerminateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.AdminTerminateAsync(id, cancellationToken), cancellationToken);

    /// <summary>The organisation's setting for read-only watching; off by default.</summary>
    public async Task<IActionResult> OnPostAdminViewingAsync(bool on, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantContext.TenantId, cancellationToken);
        if (tenant.AdminViewing != on)
        {
            tenant.AllowAdminViewing(on);
            audit.Record(AuditActions.TenantSettingChanged, $"tenant/{tenant.Slug}", $"admin read-only viewing {(on ? "on" : "off")}");
            await db.SaveChangesAsync(cancellationToken);
            tenants.Forget(tenant.Slug);
        }

        return RedirectToPage();
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task> action, CancellationToken cancellationToken)
    {
        string? problem = null;
        try
        {
            await action();
        }
        catch (SessionNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            problem = e.Message;
        }

        if (Request.IsHtmx())
        {
            return await RowAsync(id, problem, cancellationToken);
        }

        if (problem is null)
        {
            return RedirectToPage();
        }

        await OnGetAsync(cancellationToken);
        Rows = [.. Rows.Select(r => r.Id == id ? r with { Problem = problem } : r)];
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<IActionResult> RowAsync(Guid id, string? problem, CancellationToken cancellationToken)
    {
        AdminViewing = await AdminViewingAsync(cancellationToken);
        return await RowsAsync(id, cancellationToken) is [var row] ? Partial("_TenantSessionRow", row with { Problem = problem }) : NotFound();
    }

    private async Task<bool> AdminViewingAsync(CancellationToken cancellationToken) =>
        await db.Tenants.Where(t => t.Id == tenantContext.TenantId).Select(t => t.AdminViewing).SingleAsync(cancellationToken);

    private async Task<List<TenantSessionRow>> RowsAsync(Guid? id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await db.Sessions
            .Where(s => (id == null && s.State != SessionState.Terminated) || s.Id == id)
            .OrderByDescending(s => s.CreatedAt)
            .Join(db.Users, s => s.MemberId, m => m.Id, (s, m) => new { Session = s, m.Email })
            .Join(db.Templates, x => x.Session.TemplateId, t => t.Id, (x, t) => new { x.Session, x.Email, t.DisplayName })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.Select(x => new TenantSessionRow(
                x.Session.Id,
                x.Session.Name,
                x.Email!,
                x.DisplayName,
                x.Session.State,
                x.Session.IdleSince is { } since ? now - since : null,
                x.Session.MemoryBytes,
                x.Session.CpuMillicores,
                x.Session.HibernateReason,
                AdminViewing && x.Session.State == SessionState.Running))
            .ToList();
    }
}
