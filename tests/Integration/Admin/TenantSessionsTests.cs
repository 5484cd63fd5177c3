using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

public sealed class TenantSessionsTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task The_page_lists_every_members_sessions_with_owner_state_and_resources()
    {
        var (member, email) = await portal.NewAcmeMemberAsync("listed");
        var session = await portal.AddSessionAsync(portal.Acme, member, SessionState.Running, startedAgo: TimeSpan.FromMinutes(10));
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var html = await admin.GetStringAsync("/admin/sessions");

        Assert.Contains($"id=\"admin-session-{session}\"", html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains("256Mi · 250m CPU", html, StringComparison.Ordinal);
        Assert.Contains(">10m", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_hibernate_moves_a_members_session_through_the_hibernation_path_with_one_admin_event()
    {
        var (member, _) = await portal.NewAcmeMemberAsync("hibernated");
        var id = await portal.AddSessionAsync(portal.Acme, member, SessionState.Running);
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await admin.PostFormAsync("/admin/sessions", new Dictionary<string, string>(), $"?handler=Hibernate&id={id}", htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await SessionAsync(id);
        Assert.Equal(SessionState.Hibernating, session.State);
        Assert.Equal("admin", session.HibernateReason);
        var forced = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.AdminHibernated, $"session/{session.Name}"));
        Assert.Equal(AdminPortal.AcmeAdmin, forced.Actor);
        Assert.Equal("admin", forced.Details);
        Assert.Empty(await portal.EventsAsync(portal.Acme, AuditActions.SessionHibernated, $"session/{session.Name}"));
    }

    [Fact]
    public async Task Force_terminate_ends_a_members_session_with_one_admin_event()
    {
        var (member, _) = await portal.NewAcmeMemberAsync("terminated");
        var id = await portal.AddSessionAsync(portal.Acme, member, SessionState.Hibernated);
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        await admin.PostFormAsync("/admin/sessions", new Dictionary<string, string>(), $"?handler=Terminate&id={id}");

        var session = await SessionAsync(id);
        Assert.Equal(SessionState.Terminating, session.State);
        Assert.Equal(AdminPortal.AcmeAdmin, Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.AdminTerminated, $"session/{session.Name}")).Actor);
    }

    [Fact]
    public async Task A_plain_member_gets_403_and_another_organisations_session_404()
    {
        var (_, email) = await portal.NewAcmeMemberAsync("curious");
        var plain = await portal.SignedInAsync("acme", email);
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var foreign = await portal.AddSessionAsync(portal.Initech, portal.Initech.Admin!.Id, SessionState.Running);

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/admin/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/sessions", new Dictionary<string, string>(), $"?handler=Hibernate&id={foreign}", htmx: true)).StatusCode);
        Assert.Equal(SessionState.Running, (await SessionOfInitechAsync(foreign)).State);
    }

    [Fact]
    public async Task With_viewing_off_an_admin_gets_404_on_another_members_viewer_and_stream()
    {
        var (member, _) = await portal.NewAcmeMemberAsync("private");
        var id = await portal.AddSessionAsync(portal.Acme, member, SessionState.Running);
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/sessions/{id}/view")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/sessions/{id}/stream")).StatusCode);
        Assert.DoesNotContain("Watch", await admin.GetStringAsync("/admin/sessions"), StringComparison.Ordinal);
    }

    private async Task<Session> SessionAsync(Guid id)
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    private async Task<Session> SessionOfInitechAsync(Guid id)
    {
        await using var db = portal.ContextOf(portal.Initech);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }
}
