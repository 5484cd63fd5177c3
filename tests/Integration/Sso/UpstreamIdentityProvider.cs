using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Support;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>
/// A tenant's identity provider for the tests: a second OpenIddict server on Kestrel (127.0.0.1, a free port) with its own
/// database. It signs in whoever <see cref="User"/> says, without a login form, as a provider with a remembered session would.
/// </summary>
public sealed class UpstreamIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "streamspace";
    public const string ClientSecret = "upstream-secret-for-tests";

    private WebApplication? _app;
    private TestDatabase? _database;

    /// <summary>The user the provider signs in next: subject, e-mail and groups.</summary>
    public (string Subject, string Email, string[] Groups) User { get; set; } = ("user-1", "eve@acme.test", []);

    public Uri Issuer { get; private set; } = null!;

    public static async Task<UpstreamIdentityProvider> StartAsync()
    {
        var provider = new UpstreamIdentityProvider { _database = await TestDatabase.CreateAsync("upstream") };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddDbContext<StreamSpaceDb>(options => StreamSpaceDbOptions.Configure(options, provider._database.ConnectionString));
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<StreamSpaceDb>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("authorize").SetTokenEndpointUris("token");
                options.AllowAuthorizationCodeFlow();
                options.RegisterScopes(Scopes.Email, Scopes.Profile, "groups");
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                options.DisableAccessTokenEncryption();
                options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        builder.Services.AddAuthentication();
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/authorize", (HttpContext http) => provider.Authorize(http));
        app.MapPost("/token", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        provider._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Issuer = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    /// <summary>Registers StreamSpace as a client, with the redirect URI of each tenant host that may use it.</summary>
    public async Task RegisterClientAsync(params Uri[] redirectUris)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "groups",
            },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor);
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, User.Subject).SetClaim(Claims.Email, User.Email).SetClaim(Claims.Name, User.Email.Split('@')[0]);
        identity.SetClaims("groups", [.. User.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
