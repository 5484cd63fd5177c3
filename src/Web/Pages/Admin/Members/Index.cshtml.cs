using System.Text;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Features.Tiers;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Tenancy;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>
/// The organisation's members: invite, change role, tier and overrides inline, disable and enable, export as User YAML.
/// A refused change comes back to htmx as a 200 partial carrying its message (the page without JavaScript answers 422).
/// </summary>
public sealed class IndexModel(
    StreamSpaceDb db,
    TenantMembers members,
    MemberInvitations invitations,
    TenantContext tenantContext,
    TenantLinks links,
    ILogger<IndexModel> logger) : PageModel
{
    [BindProperty]
    public MemberForm Form { get; set; } = new();

    [BindProperty]
    public InviteForm Invite { get; set; } = new();

    public IReadOnlyList<MemberRow> Rows { get; private set; } = [];

    public IReadOnlyList<TierChoice> Tiers { get; private set; } = [];

    /// <summary>The member being edited when the page is used without htmx.</summary>
    public Guid? Editing { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rows = await RowsAsync(null, cancellationToken);
        Invite = new InviteForm { Tiers = Tiers };
    }

    public async Task<IActionResult> OnGetRowAsync(Guid id, CancellationToken cancellationToken) =>
        await RowAsync(id, "_MemberRow", null, cancellationToken);

    public async Task<IActionResult> OnGetEditAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Request.IsHtmx())
        {
            return await RowAsync(id, "_MemberEditor", null, cancellationToken);
        }

        await OnGetAsync(cancellationToken);
        Editing = id;
        return Rows.Any(r => r.Id == id) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        string? problem = null;
        if (Form.ReadOverrides() is { } overrides)
        {
            try
            {
                await members.ChangeAsync(id, new MemberChange(Form.Role, Form.TierId, overrides), cancellationToken);
                return Request.IsHtmx() ? await RowAsync(id, "_MemberRow", null, cancellationToken) : RedirectToPage();
            }
            catch (MemberNotFoundException)
            {
                return NotFound();
            }
            catch (DomainException e)
            {
                problem = e.Message;
            }
        }

        var rows = await RowsAsync(id, cancellationToken);
        if (rows is not [var row])
        {
            return NotFound();
        }

        var refused = row with { Form = Form, Problem = problem };
        if (Request.IsHtmx())
        {
            return Partial("_MemberEditor", refused);
        }

        Rows = [.. (await RowsAsync(null, cancellationToken)).Select(r => r.Id == id ? refused : r)];
        Invite = new InviteForm { Tiers = Tiers };
        Editing = id;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public Task<IActionResult> OnPostDisableAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => members.DisableAsync(id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => members.EnableAsync(id, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        await LoadTiersAsync(cancellationToken);
        Invite.Tiers = Tiers;
        try
        {
            var issued = await invitations.InviteAsync(Invite.Email, Invite.Role, Invite.TierId, cancellationToken);
            Invite.Link = new Uri(links.PortalRoot(tenantContext.Tenant!.Slug), "invite/" + issued.Token);
            Invite.ExpiresAt = issued.ExpiresAt;

            // No mail server: the admin hands the link over, and the log keeps it for the operator. This is the only line that holds a token.
            logger.LogInformation("Invitation link for {Email} (expires {ExpiresAt:u}): {InvitationLink}", issued.Email, issued.ExpiresAt, Invite.Link);
        }
        catch (FieldException e) when (e.Field == "email")
        {
            Invite.EmailError = e.Message;
        }
        catch (DomainException e)
        {
            Invite.Problem = e.Message;
        }

        if (Request.IsHtmx())
        {
            return Partial("_InviteForm", Invite);
        }

        Rows = await RowsAsync(null, cancellationToken);
        if (Invite.Problem is not null || Invite.EmailError is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    /// <summary>One member (<paramref name="id"/>) or everyone as User YAML documents.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid? id, CancellationToken cancellationToken)
    {
        var yaml = await members.ExportAsync(id, cancellationToken);
        return yaml is null ? NotFound() : File(Encoding.UTF8.GetBytes(yaml), "application/yaml", id is null ? "members.yaml" : "member.yaml");
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task> action, CancellationToken cancellationToken)
    {
        string? problem = null;
        try
        {
            await action();
        }
        catch (MemberNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            problem = e.Message;
        }

        if (Request.IsHtmx())
        {
            return await RowAsync(id, "_MemberRow", problem, cancellationToken);
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

    private async Task<IActionResult> RowAsync(Guid id, string partial, string? problem, CancellationToken cancellationToken) =>
        await RowsAsync(id, cancellationToken) is [var row] ? Partial(partial, row with { Problem = problem }) : NotFound();

    private async Task LoadTiersAsync(CancellationToken cancellationToken) =>
        Tiers = await db.Tiers.OrderBy(t => t.MemoryBytes).ThenBy(t => t.Name).Select(t => new TierChoice(t.Id, t.Name)).ToListAsync(cancellationToken);

    private async Task<List<MemberRow>> RowsAsync(Guid? id, CancellationToken cancellationToken)
    {
        await LoadTiersAsync(cancellationToken);
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        var all = await db.Users.AsNoTracking().Where(m => id == null || m.Id == id).OrderBy(m => m.Email).ToListAsync(cancellationToken);
        var ids = all.Select(m => m.Id).ToList();
        var live = await db.Sessions
            .Where(s => ids.Contains(s.MemberId) && SessionStateMachine.LiveStates.Contains(s.State))
            .GroupBy(s => s.MemberId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return all.Select(m => new MemberRow(
                m.Id,
                m.Email!,
                m.DisplayName,
                Tier.Resolve(m.TierId, tiers).Name,
                m.IsDisabled,
                live.GetValueOrDefault(m.Id),
                MemberForm.Of(m.Role, m.TierId, m.Overrides),
                Tiers))
            .ToList();
    }
}
