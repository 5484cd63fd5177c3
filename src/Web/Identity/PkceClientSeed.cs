using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using StreamSpace.Infrastructure.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Identity;

/// <summary>Registers (or brings up to date) each configured public client of the authorization code flow, PKCE required.</summary>
public sealed class PkceClientSeed(IServiceScopeFactory scopes, IOptions<PkceClientOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PkceClients.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var (clientId, client) in options.Value.PkceClients)
        {
            var descriptor = Describe(clientId, client);
            try
            {
                if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
                {
                    await applications.UpdateAsync(existing, descriptor, cancellationToken);
                }
                else
                {
                    await applications.CreateAsync(descriptor, cancellationToken);
                }
            }
            catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or OpenIddictExceptions.ConcurrencyException)
            {
                // Another replica registered it at the same moment.
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static OpenIddictApplicationDescriptor Describe(string clientId, PkceClient client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            DisplayName = client.DisplayName ?? clientId,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var apiScope in ApiScopes.All)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + apiScope);
        }

        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        return descriptor;
    }
}
