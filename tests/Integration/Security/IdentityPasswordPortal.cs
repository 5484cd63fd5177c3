using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>One organisation, <c>acme</c>, whose password checks are counted by <see cref="IdentityCountingPasswordHasher"/>.</summary>
public sealed class IdentityPasswordPortal : PortalFactory
{
    public SignupResult Acme { get; private set; } = null!;

    public IdentityCountingPasswordHasher Hasher => Services.GetRequiredService<IdentityCountingPasswordHasher>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IdentityCountingPasswordHasher>();
            services.AddScoped<IPasswordHasher<Member>>(sp => sp.GetRequiredService<IdentityCountingPasswordHasher>());
        });
    }
}
