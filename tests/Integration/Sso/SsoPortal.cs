using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Client.AspNetCore;
using StreamSpace.Infrastructure.Features.Sso;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>
/// The Web app on Kestrel (real sockets, so the upstream provider's redirects reach it), two organisations and an upstream
/// provider that knows the redirect URIs of both tenant hosts.
/// </summary>
public sealed partial class SsoPortal : PortalFactory, IAsyncLifetime
{
    public SignupResult Acme { get; private set; } = null!;

    public SignupResult Initech { get; private set; } = null!;

    public UpstreamIdentityProvider Upstream { get; private set; } = null!;

    public int Port { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(0);
        StartServer();
        var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Port = address.Port;
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
        Initech = await CreateTenantAsync("initech", "bill@initech.test");
        Upstream = await UpstreamIdentityProvider.StartAsync();
        await Upstream.RegisterClientAsync(Host("acme", "/sso/callback"), Host("initech", "/sso/callback"));
    }

    public Uri Host(string tenant, string path) => new($"http://{tenant}.localhost:{Port}{path}");

    /// <summary>Where a sign-in starts on <paramref name="tenant"/>'s host for any registration (see <see cref="ForeignChallengeFilter"/>).</summary>
    public Uri ForeignChallenge(string tenant, string registrationId) => Host(tenant, $"{ForeignChallengeFilter.Path}?registration={Uri.EscapeDataString(registrationId)}");

    /// <summary>A browser: keeps cookies per host, follows redirects across both servers, resolves *.localhost to loopback.</summary>
    public static HttpClient Browser(bool followRedirects = true, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

    /// <summary>What a person does at the provider's login form: types the account's username and password and submits it.</summary>
    public static async Task<HttpResponseMessage> SubmitUpstreamLoginAsync(HttpClient browser, HttpResponseMessage loginPage, UpstreamAccount account)
    {
        var html = await loginPage.Content.ReadAsStringAsync();
        var page = loginPage.RequestMessage!.RequestUri!;
        Assert.True(page.AbsolutePath == UpstreamIdentityProvider.LoginPath, $"expected the provider's login form, got {(int)loginPage.StatusCode} at {page}: {html}");
        var fields = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = account.Username;
        fields["password"] = account.Password;
        return await browser.PostAsync(new Uri(page, UpstreamIdentityProvider.LoginPath), new FormUrlEncodedContent(fields));
    }

    /// <summary>Saves <see cref="Upstream"/> as <paramref name="tenant"/>'s provider (admins in <c>ops-admins</c>), as its admin page would.</summary>
    public async Task ConfigureProviderAsync(SignupResult tenant, string displayName)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant.Tenant!);
        await scope.ServiceProvider.GetRequiredService<TenantSso>().SaveAsync(
            new SsoSettings(displayName, Upstream.Issuer.ToString(), UpstreamIdentityProvider.ClientId, UpstreamIdentityProvider.ClientSecret,
                ["openid", "email", "profile", "groups"], "groups", "ops-admins", [], LocalPasswordsDisabled: false),
            CancellationToken.None);
    }

    /// <summary>Starts at <c>/sso/login</c> on <paramref name="tenant"/>'s host and signs in at the provider; returns where that ended.</summary>
    public async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser, string tenant, UpstreamAccount account)
    {
        using var loginForm = await browser.GetAsync(Host(tenant, "/sso/login"));
        return await SubmitUpstreamLoginAsync(browser, loginForm, account);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Sso:PollInterval", "00:00:01");

        // The upstream provider listens on 127.0.0.1, which a tenant's authority may not be unless the operator allows it.
        builder.UseSetting("Sso:AllowPrivateAuthorities", "true");

        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ForeignChallengeFilter>());
    }

    /// <summary>
    /// <c>/test-only/sso-challenge?registration=…</c>: starts a sign-in on this host with any registration, which the portal never
    /// does; the callback's registration check is the only thing left to refuse what comes back.
    /// </summary>
    private sealed class ForeignChallengeFilter : IStartupFilter
    {
        public const string Path = "/test-only/sso-challenge";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not Map: it would move the path into PathBase, and the relative redirect URI with it.
            app.MapWhen(http => http.Request.Path == Path, branch => branch.UseAuthentication().Run(http => http.ChallengeAsync(
                OpenIddictClientAspNetCoreDefaults.AuthenticationScheme,
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = http.Request.Query["registration"],
                })
                {
                    RedirectUri = "/",
                })));
            next(app);
        };
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    public new async Task DisposeAsync()
    {
        await Upstream.DisposeAsync();
        await base.DisposeAsync();
    }
}
