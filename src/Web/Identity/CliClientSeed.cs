using OpenIddict.Abstractions;
using StreamSpace.Infrastructure.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Identity;

/// <summary>Registers the CLI's public client once: it signs in with the device flow and keeps a refresh token.</summary>
public sealed class CliClientSeed(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(TokenServerExtensions.CliClientId, cancellationToken) is not null)
        {
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = TokenServerExtensions.CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "StreamSpace CLI",
            Permissions =
            {
                Permissions.Endpoints.DeviceAuthorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.DeviceCode, Permissions.GrantTypes.RefreshToken,
            },
        };
        foreach (var apiScope in ApiScopes.All)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + apiScope);
        }

        descriptor.Permissions.Add(Permissions.Prefixes.Scope + Scopes.OfflineAccess);
        try
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or OpenIddictExceptions.ConcurrencyException)
        {
            // Another replica registered it at the same moment.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
