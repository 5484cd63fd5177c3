using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// One organisation, <c>acme</c>, on a Web app with the operator's default SSO rule (no private authorities), and a real
/// upstream provider on 127.0.0.1 for it to be kept away from.
/// </summary>
public sealed class IdentityAuthorityPortal : PortalFactory, IAsyncLifetime
{
    public SignupResult Acme { get; private set; } = null!;

    public UpstreamIdentityProvider Upstream { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
        Upstream = await UpstreamIdentityProvider.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        await Upstream.DisposeAsync();
        await base.DisposeAsync();
    }
}
