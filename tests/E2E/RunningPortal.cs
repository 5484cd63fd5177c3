using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// Web and Workers started as real processes, the way <c>make run</c> starts them, on a fresh database and a free port,
/// plus one Debian Chromium shared by every test (launching several on two cores is slow).
/// </summary>
public sealed class RunningPortal : IAsyncLifetime
{
    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly List<Process> _processes = [];
    private Dictionary<string, string> _environment = [];
    private Process? _web;
    private TestDatabase? _database;
    private IPlaywright? _playwright;

    public int Port { get; private set; }

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    /// <summary>Where the local runtime keeps homes and run directories; under /tmp so every sandbox uid can reach it.</summary>
    public string DataDirectory { get; } = Path.Combine("/tmp", "ss-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public IBrowser Browser { get; private set; } = null!;

    public static string RepositoryRoot => StreamSpace.Tests.Support.Repository.Root;

    public string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot, "tests", "E2E", "artifacts");

    public Uri BareUrl => new($"http://localhost:{Port}/");

    public Uri TenantUrl(string tenant) => new($"http://{tenant}.localhost:{Port}/");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        _database = await TestDatabase.CreateAsync("e2e");
        Port = StreamSpace.Tests.Support.FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__StreamSpace"] = _database.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://localhost:{Port}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Runtime__Local__DataDirectory"] = DataDirectory,
            ["Hibernation__CheckInterval"] = "5s",

            // Production, but over plain http: the sign-in with a tenant's provider needs its correlation cookie relaxed.
            ["Identity__AllowInsecureHttp"] = "true",

            // The journeys' upstream identity provider listens on 127.0.0.1.
            ["Sso__AllowPrivateAuthorities"] = "true",
        };
        Directory.CreateDirectory(DataDirectory);
        _environment = environment;

        var setup = Start("setup", "Web", environment, "setup", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await setup.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.True(setup.ExitCode == 0, $"setup exited with {setup.ExitCode}; see {ArtifactsDirectory}/setup.log");
        _processes.Remove(setup);
        setup.Dispose();

        Start("workers", "Workers", environment);
        _web = Start("web", "Web", environment);
        await WaitUntilReadyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumFlags,
        });
    }

    /// <summary>
    /// Kills the Web process with SIGKILL (no shutdown hook runs), runs <paramref name="whileDown"/>, starts Web again on the
    /// same port and waits until it is ready. Sandboxes and Workers are left alone, as a crash would leave them.
    /// </summary>
    public async Task KillAndRestartWebAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        var web = _web ?? throw new InvalidOperationException("Not started.");
        web.Kill(entireProcessTree: false);
        await web.WaitForExitAsync();
        _processes.Remove(web);
        web.Dispose();
        await whileDown();
        _web = Start("web-restarted", "Web", _environment);
        await WaitUntilReadyAsync();
    }

    /// <summary>A database context acting as the tenant <paramref name="slug"/>, for arranging and checking.</summary>
    public async Task<StreamSpaceDb> TenantDbAsync(string slug)
    {
        await using var platform = Database.CreateContext();
        var context = new TenantContext();
        context.Use(await platform.Tenants.SingleAsync(t => t.Slug == slug));
        return Database.CreateContext(context);
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            await StopLeftoverSandboxesAsync();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>Sandboxes outlive the Workers process by design; a failed test must not leave one running.</summary>
    private async Task StopLeftoverSandboxesAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:Local:DataDirectory"] = DataDirectory })
            .Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddLocalSessionRuntime()
            .BuildServiceProvider();
        var runtime = services.GetRequiredService<ISessionRuntime>();
        foreach (var session in await runtime.ObserveAsync(CancellationToken.None))
        {
            await runtime.TerminateAsync(session.Address, CancellationToken.None);
        }
    }

    private Process Start(string name, string project, Dictionary<string, string> environment, params string[] arguments)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var projectDirectory = Path.Combine(RepositoryRoot, "src", project);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(projectDirectory, "bin", configuration, "net10.0", $"StreamSpace.{project}.dll"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {name}.");
        var log = new StreamWriter(Path.Combine(ArtifactsDirectory, name + ".log")) { AutoFlush = true };
        var open = 2;

        // The log closes when both streams ended (a null line each), not when Exited is raised: that can come before the
        // last lines are delivered, and setup's last lines are the accounts the journeys sign in with.
        void Write(string? line)
        {
            lock (log)
            {
                if (open == 0)
                {
                    return;
                }

                if (line is not null)
                {
                    log.WriteLine(line);
                }
                else if (--open == 0)
                {
                    log.Dispose();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(new Uri(BareUrl, "healthz/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(_processes.Any(p => p.HasExited), $"A portal process exited during start-up; see {ArtifactsDirectory}");
            await Task.Delay(200);
        }

        Assert.Fail($"The portal did not become ready within a minute; see {ArtifactsDirectory}/web.log");
    }
}
