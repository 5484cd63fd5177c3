using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Portal;

/// <summary>The Web app in-process against its own fresh PostgreSQL database; one per test class.</summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>What a scraper sends to read <c>/metrics</c> on Web's own port (<c>Metrics:ScrapeToken</c>).</summary>
    public const string MetricsScrapeToken = "test-scrape-token-0123456789";

    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The factory is not initialised yet.");

    /// <summary>The local runtime's homes and run directories; under /tmp so every sandbox uid can reach it.</summary>
    public string DataDirectory { get; } = Path.Combine("/tmp", "ss-it-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Sign-in POSTs allowed per minute; high so that only the rate-limit test meets the limit.</summary>
    protected virtual int SignInAttemptsPerMinute => 10_000;

    /// <summary>The tests speak plain http to the token server and the SSO callback, as <c>make run</c> does.</summary>
    protected virtual bool AllowsInsecureHttp => true;

    public virtual async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    /// <summary>The portal's database, on the server every test uses unless a portal needs its own.</summary>
    protected virtual Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateAsync(GetType().Name);

    public new async Task DisposeAsync()
    {
        // Sandboxes outlive their starter by design; a failed test must not leave one running for the next run.
        var runtime = Services.GetRequiredService<StreamSpace.Domain.Sessions.ISessionRuntime>();
        foreach (var session in await runtime.ObserveAsync(CancellationToken.None))
        {
            await runtime.TerminateAsync(session.Address, CancellationToken.None);
        }

        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>A browser-like client on <c>{tenant}.localhost</c> (or the bare host), keeping cookies, not following redirects.</summary>
    public HttpClient ClientFor(string? tenant) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri(tenant is null ? "http://localhost" : $"http://{tenant}.localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });

    /// <summary>Creates an organisation directly (not through the page) and returns its tenant id and admin.</summary>
    public async Task<SignupResult> CreateTenantAsync(string slug, string email, string password = Passwords.Good)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TenantSignup>()
            .SignUpAsync(new SignupRequest($"{slug} Inc.", slug, email, password), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result;
    }

    /// <summary>A client signed in as the platform operator (created on first use, as <c>setup</c> does).</summary>
    public async Task<HttpClient> OperatorClientAsync()
    {
        var operatorAccount = await Services.GetRequiredService<PlatformSetup>()
            .EnsureAccountAsync("platform", "StreamSpace platform", "op@platform.test", MemberRole.PlatformAdmin, null, CancellationToken.None);
        var client = ClientFor("platform");
        await client.SignInAsync(operatorAccount.Email, operatorAccount.Password);
        return client;
    }

    /// <summary>Adds a member with the <c>user</c> role to an existing organisation.</summary>
    public async Task AddMemberAsync(SignupResult tenant, string email, string role = MemberRole.User)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant.Tenant!);
        var created = await scope.ServiceProvider.GetRequiredService<UserManager<Member>>()
            .CreateAsync(Member.Create(email, email, role, null, DateTimeOffset.UtcNow), Passwords.Good);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting("ConnectionStrings:StreamSpace", Database.ConnectionString);
        builder.UseSetting("Runtime:Local:DataDirectory", DataDirectory);
        builder.UseSetting("Metrics:ScrapeToken", MetricsScrapeToken);
        builder.UseSetting("Runtime:Local:StopGracePeriod", "00:00:03");
        builder.UseSetting("Identity:AllowInsecureHttp", AllowsInsecureHttp ? "true" : "false");
        builder.UseSetting("SignInLimits:AttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
