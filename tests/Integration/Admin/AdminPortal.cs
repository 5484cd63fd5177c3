using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary>
/// Two organisations for the admin pages: <c>acme</c> (admin ada, members added per test) and <c>initech</c> (admin bill),
/// with the global xterm template to make sessions of.
/// </summary>
public sealed class AdminPortal : PortalFactory
{
    public const string AcmeAdmin = "ada@acme.test";
    public const string InitechAdmin = "bill@initech.test";

    public SignupResult Acme { get; private set; } = null!;

    public SignupResult Initech { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", AcmeAdmin);
        Initech = await CreateTenantAsync("initech", InitechAdmin);
        await using var platform = Database.CreateContext();
        platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
        await platform.SaveChangesAsync();
    }

    public StreamSpaceDb ContextOf(SignupResult tenant)
    {
        var context = new TenantContext();
        context.Use(tenant.Tenant!);
        return Database.CreateContext(context);
    }

    public async Task<HttpClient> SignedInAsync(string tenant, string email)
    {
        var client = ClientFor(tenant);
        var response = await client.SignInAsync(email, Passwords.Good);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>A new member of acme with a unique e-mail; returns its id and e-mail.</summary>
    public async Task<(Guid Id, string Email)> NewAcmeMemberAsync(string name, string role = Domain.Members.MemberRole.User)
    {
        var email = $"{name}-{Guid.NewGuid().ToString("N")[..6]}@acme.test";
        await AddMemberAsync(Acme, email, role);
        await using var db = ContextOf(Acme);
        return (await db.Users.Where(m => m.Email == email).Select(m => m.Id).SingleAsync(), email);
    }

    /// <summary>A session of the member in the given state (Running ones started <paramref name="startedAgo"/> ago).</summary>
    public async Task<Guid> AddSessionAsync(SignupResult tenant, Guid memberId, SessionState state, string? endpoint = null, TimeSpan? startedAgo = null)
    {
        await using var db = ContextOf(tenant);
        var template = await db.Templates.FirstAsync();
        var started = DateTimeOffset.UtcNow - (startedAgo ?? TimeSpan.FromMinutes(1));
        var session = Session.Create(memberId, template.Id, $"xterm-{Guid.NewGuid().ToString("N")[..6]}", 256L << 20, 250, started.AddSeconds(-5));
        if (state != SessionState.Pending)
        {
            session.Start("Starting", started);
            session.MarkRunning(endpoint ?? "unix:/nonexistent/vnc.sock", started, TimeSpan.FromHours(8));
            if (state == SessionState.Hibernated)
            {
                session.BeginHibernate("user", started);
                session.MarkHibernated(started);
            }
        }

        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    /// <summary>The audit events of acme with this action and target.</summary>
    public async Task<List<AuditEvent>> EventsAsync(SignupResult tenant, string action, string target)
    {
        await using var db = ContextOf(tenant);
        return await db.AuditEvents.Where(e => e.Action == action && e.Target == target).ToListAsync();
    }
}
