using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Tests.Integration.Portal;

/// <summary>Two organisations, <c>acme</c> and <c>initech</c>, each with an admin and one session of the global xterm template.</summary>
public class TwoTenantsPortal : PortalFactory
{
    public SignupResult Acme { get; private set; } = null!;

    public SignupResult Initech { get; private set; } = null!;

    public Guid AcmeSession { get; private set; }

    public Guid InitechSession { get; private set; }

    public const string AcmeAdmin = "ada@acme.test";
    public const string InitechAdmin = "bill@initech.test";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", AcmeAdmin);
        Initech = await CreateTenantAsync("initech", InitechAdmin);
        await using (var platform = Database.CreateContext())
        {
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
            await platform.SaveChangesAsync();
        }

        AcmeSession = await AddSessionAsync(Acme);
        InitechSession = await AddSessionAsync(Initech);
    }

    public StreamSpaceDb ContextOf(SignupResult tenant)
    {
        var context = new TenantContext();
        context.Use(tenant.Tenant!);
        return Database.CreateContext(context);
    }

    private async Task<Guid> AddSessionAsync(SignupResult tenant)
    {
        await using var db = ContextOf(tenant);
        var template = db.Templates.First();
        var session = Session.Create(tenant.Admin!.Id, template.Id, $"{tenant.Tenant!.Slug}-xterm", 256L << 20, 250, DateTimeOffset.UtcNow);
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }
}
