using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Tests.Support;

/// <summary>
/// A tenant's identity provider for the Integration and E2E suites: a second OpenIddict server on Kestrel (127.0.0.1, a free
/// port, plain http) with its own database and a login form. Whoever signs in there is remembered by a cookie, and every
/// authorization request describes them as their <see cref="UpstreamAccount"/> says at that moment (so groups can change
/// between two sign-ins, as they do in a real directory).
/// </summary>
public sealed class UpstreamIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "streamspace";
    public const string ClientSecret = "upstream-secret-for-tests";
    public const string LoginPath = "/login";

    private const string SessionScheme = "upstream-session";

    private readonly ConcurrentDictionary<string, UpstreamAccount> _accounts = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private TestDatabase? _database;

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
        builder.Services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, options =>
        {
            options.LoginPath = LoginPath;
            options.ReturnUrlParameter = "returnUrl";
        });
        builder.Services.AddAntiforgery();
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/authorize", (Func<HttpContext, Task<IResult>>)provider.AuthorizeAsync);
        app.MapPost("/token", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapGet(LoginPath, (HttpContext http, IAntiforgery antiforgery, string? returnUrl) => LoginForm(http, antiforgery, returnUrl, error: null));
        app.MapPost(LoginPath, provider.SignInAsync);
        await app.StartAsync();
        provider._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Issuer = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    /// <summary>Adds the account, or replaces the one with the same username (new groups take effect at the next authorization).</summary>
    public void Enrol(UpstreamAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _accounts[account.Username] = account;
    }

    /// <summary>Registers StreamSpace as a confidential client, with the redirect URI of each tenant host that may use it.</summary>
    public async Task RegisterClientAsync(params Uri[] redirectUris)
    {
        ArgumentNullException.ThrowIfNull(redirectUris);
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

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var session = await http.AuthenticateAsync(SessionScheme);
        if (!session.Succeeded || !_accounts.TryGetValue(session.Principal!.Identity!.Name!, out var account))
        {
            // Not signed in here (or no longer known): the login form, then this same authorization request again.
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString }, [SessionScheme]);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Subject).SetClaim(Claims.Email, account.Email).SetClaim(Claims.Name, account.Name);
        identity.SetClaims("groups", [.. account.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.BadRequest("The form expired; go back and try again.");
        }

        var form = await http.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        if (!_accounts.TryGetValue(form["username"].ToString(), out var account) || account.Password != form["password"].ToString())
        {
            return LoginForm(http, antiforgery, returnUrl, "Wrong username or password.");
        }

        var identity = new ClaimsIdentity(SessionScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, account.Username));
        await http.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    private static IResult LoginForm(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Sign in · Upstream</title></head>
            <body>
              <h1>Sign in to Upstream</h1>
              {(error is null ? "" : $"<p role=\"alert\" id=\"error\">{WebUtility.HtmlEncode(error)}</p>")}
              <form method="post" action="{LoginPath}">
                <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
                <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}">
                <label for="username">Username</label> <input id="username" name="username" autocomplete="username">
                <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
                <button type="submit">Sign in</button>
              </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
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
