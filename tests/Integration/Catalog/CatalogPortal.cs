using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Catalog;

/// <summary>The portal with the whole shipped catalog loaded, and organisations whose admins sign in with <see cref="Passwords.Good"/>.</summary>
public sealed class CatalogPortal : PortalFactory
{
    public SignupResult Acme { get; private set; } = null!;

    public SignupResult Initech { get; private set; } = null!;

    public SignupResult Globex { get; private set; } = null!;

    public const string AcmeAdmin = "ada@acme.test";
    public const string AcmeMember = "max@acme.test";
    public const string InitechAdmin = "bill@initech.test";
    public const string GlobexAdmin = "hank@globex.test";

    /// <summary>A machine without Docker or Podman: image templates cannot launch here (the E2E journeys run with an engine).</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Runtime:Containers:Enabled", "false");
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Services.GetRequiredService<PlatformSetup>().SeedTemplatesAsync(CancellationToken.None);
        Acme = await CreateTenantAsync("acme", AcmeAdmin);
        Initech = await CreateTenantAsync("initech", InitechAdmin);
        Globex = await CreateTenantAsync("globex", GlobexAdmin);
        await AddMemberAsync(Acme, AcmeMember);
    }

    public async Task<HttpClient> SignedInAsync(string tenant, string email)
    {
        var client = ClientFor(tenant);
        var response = await client.SignInAsync(email, Passwords.Good);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public StreamSpaceDb ContextOf(SignupResult tenant)
    {
        var context = new TenantContext();
        context.Use(tenant.Tenant!);
        return Database.CreateContext(context);
    }
}
