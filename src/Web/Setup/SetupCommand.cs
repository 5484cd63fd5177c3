using System.Globalization;
using System.Text.Json;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Features.Platform;

namespace StreamSpace.Web.Setup;

/// <summary>
/// <c>StreamSpace.Web setup [--demo] [--credentials FILE] [--port N]</c>: migrates the database, loads the templates, makes sure
/// the first operator (and with --demo the demo tenant's admin) can sign in, and prints where and how. Used by <c>make run</c>.
/// </summary>
public static class SetupCommand
{
    public const string OperatorEmail = "operator@streamspace.local";
    public const string DemoTenant = "demo";
    public const string DemoAdminEmail = "admin@demo.local";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "setup";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        var credentialsFile = Option(args, "--credentials");
        var port = Option(args, "--port") ?? "8080";
        var known = ReadKnownPasswords(credentialsFile);
        var setup = app.Services.GetRequiredService<PlatformSetup>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        await setup.MigrateAsync(stop.Token);
        var catalog = await setup.SeedTemplatesAsync(stop.Token);
        var skipped = catalog.Skipped.Count > 0 ? "; skipped (name used by a tenant): " + string.Join(", ", catalog.Skipped) : string.Empty;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Catalog       {catalog.Added} templates added, {catalog.Updated} updated, {catalog.Unchanged} unchanged{skipped}"));
        var accounts = new List<SeededAccount>
        {
            await setup.EnsureAccountAsync("platform", "StreamSpace platform", OperatorEmail, MemberRole.PlatformAdmin, known.GetValueOrDefault("platform"), stop.Token),
        };
        if (args.Contains("--demo"))
        {
            accounts.Add(await setup.EnsureAccountAsync(DemoTenant, "Demo Organisation", DemoAdminEmail, MemberRole.TenantAdmin, known.GetValueOrDefault(DemoTenant), stop.Token));
        }

        if (credentialsFile is not null)
        {
            WriteKnownPasswords(credentialsFile, accounts);
        }

        foreach (var account in accounts)
        {
            var role = account.TenantSlug == "platform" ? "Operator    " : "Tenant admin";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{role}  http://{account.TenantSlug}.localhost:{port}/login   {account.Email} / {account.Password}"));
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static Dictionary<string, string> ReadKnownPasswords(string? file) =>
        file is not null && File.Exists(file)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? []
            : [];

    private static void WriteKnownPasswords(string file, List<SeededAccount> accounts)
    {
        var passwords = ReadKnownPasswords(file);
        foreach (var account in accounts)
        {
            passwords[account.TenantSlug] = account.Password;
        }

        File.WriteAllText(file, JsonSerializer.Serialize(passwords));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
