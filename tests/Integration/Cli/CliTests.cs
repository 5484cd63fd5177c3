extern alias cli;
using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Sso;
using CliCommands = cli::StreamSpace.Cli.CliCommands;

namespace StreamSpace.Tests.Integration.Cli;

/// <summary>The <c>streamspace</c> CLI against the Web app on Kestrel: device login, launch, list, terminate.</summary>
public sealed partial class CliTests(CliTests.CliPortal portal) : IClassFixture<CliTests.CliPortal>
{
    public sealed class CliPortal : PortalFactory
    {
        public int Port { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            UseKestrel(0);
            StartServer();
            Port = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            var acme = await CreateTenantAsync("acme", "ada@acme.test");
            await AddMemberAsync(acme, "carol@acme.test");
            await using var db = Database.CreateContext();
            db.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
            await db.SaveChangesAsync();
        }
    }

    private readonly string _credentials = Path.Combine(Path.GetTempPath(), "ss-cli-" + Guid.NewGuid().ToString("N"), "credentials.json");

    [Fact]
    public async Task A_member_logs_in_with_the_device_flow_then_launches_lists_and_terminates_a_session()
    {
        var acme = new Uri($"http://acme.localhost:{portal.Port}/");
        var login = RunAsync("login", "--url", acme.ToString());

        // The member approves the printed code in the portal, signed in on their organisation's host.
        var code = await CodeAsync(login.Output);
        using var browser = SsoPortal.Browser(followRedirects: false);
        browser.BaseAddress = acme;
        await browser.SignInAsync("carol@acme.test", Passwords.Good);
        using (var approved = await browser.PostFormAsync($"/device?user_code={Uri.EscapeDataString(code)}", new Dictionary<string, string> { ["user_code"] = code }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, approved.StatusCode);
        }

        Assert.Equal(0, await login.Exit);
        Assert.Contains("Signed in.", login.Output.ToString(), StringComparison.Ordinal);

        var launch = RunAsync("sessions", "launch", BuiltInTemplates.All[0].Name, "--json");
        Assert.Equal(0, await launch.Exit);
        var id = System.Text.Json.JsonDocument.Parse(launch.Output.ToString()).RootElement.GetProperty("id").GetGuid();

        var list = RunAsync("sessions", "list");
        Assert.Equal(0, await list.Exit);
        Assert.Matches($@"{id}\s+\S+\s+{Regex.Escape(BuiltInTemplates.All[0].Name)}\s+pending", list.Output.ToString());

        var terminate = RunAsync("sessions", "terminate", id.ToString());
        Assert.Equal(0, await terminate.Exit);
        Assert.Contains("terminating", terminate.Output.ToString(), StringComparison.Ordinal);

        await using var db = portal.Database.CreateContext();
        Assert.Equal(StreamSpace.Domain.Sessions.SessionState.Terminating, (await db.Sessions.IgnoreQueryFilters().SingleAsync(s => s.Id == id)).State);
    }

    [Fact]
    public async Task A_member_disabled_after_signing_in_is_told_why_the_cli_stops_working()
    {
        var acme = new Uri($"http://acme.localhost:{portal.Port}/");
        var acmeTenant = (await portal.Services.GetRequiredService<StreamSpace.Infrastructure.Tenancy.TenantStore>().FindBySlugAsync("acme", CancellationToken.None))!;
        var signup = new StreamSpace.Infrastructure.Features.Tenants.SignupResult(acmeTenant, null, new Dictionary<string, string>());
        await portal.AddMemberAsync(signup, "dave@acme.test");
        var login = RunAsync("login", "--url", acme.ToString());
        var code = await CodeAsync(login.Output);
        using var browser = SsoPortal.Browser(followRedirects: false);
        browser.BaseAddress = acme;
        await browser.SignInAsync("dave@acme.test", Passwords.Good);
        using (await browser.PostFormAsync($"/device?user_code={Uri.EscapeDataString(code)}", new Dictionary<string, string> { ["user_code"] = code }))
        {
        }

        Assert.Equal(0, await login.Exit);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Tenancy.TenantContext>().Use(acmeTenant);
            await using var db = portal.Database.CreateContext();
            var dave = await db.Users.IgnoreQueryFilters().SingleAsync(m => m.Email == "dave@acme.test");
            await scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Features.Members.TenantMembers>().DisableAsync(dave.Id, CancellationToken.None);
        }

        var list = RunAsync("sessions", "list");
        Assert.Equal(1, await list.Exit);
        Assert.Contains("disabled", list.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_before_login_say_how_to_sign_in()
    {
        var list = RunAsync("sessions", "list");
        Assert.Equal(1, await list.Exit);
        Assert.Contains("streamspace login", list.Error.ToString(), StringComparison.Ordinal);
    }

    private (Task<int> Exit, StringWriter Output, StringWriter Error) RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = CliCommands.Build(_credentials, SsoPortal.Browser(followRedirects: false));
        var exit = root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Synchronized(output), Error = TextWriter.Synchronized(error) });
        return (exit, output, error);
    }

    private static async Task<string> CodeAsync(StringWriter output)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            lock (output)
            {
                if (ApproveLine().Match(output.ToString()) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The CLI printed no code: {output}");
    }

    [GeneratedRegex(@"approve the code (\S+)\.")]
    private static partial Regex ApproveLine();
}
