using System.Diagnostics;
using Npgsql;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Platform;

/// <summary><c>make run</c>'s set-up step against a server that has no StreamSpace database yet, as the built program runs it.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task The_first_setup_creates_the_database_and_prints_no_failure()
    {
        var database = "t_first_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.Server) { Database = database }.ConnectionString;
        var dataDirectory = Path.Combine("/tmp", "ss-first-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (exitCode, output) = await RunSetupAsync(connectionString, dataDirectory);

            Assert.True(exitCode == 0, output);
            Assert.Contains("Tenant admin", output, StringComparison.Ordinal);
            Assert.Contains("Applying migration", output, StringComparison.Ordinal);
            var failures = output.Split('\n').Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
            Assert.Empty(failures);

            // A second start finds everything in place and is just as quiet.
            var (again, secondOutput) = await RunSetupAsync(connectionString, dataDirectory);
            Assert.True(again == 0, secondOutput);
            Assert.DoesNotContain("fail:", secondOutput, StringComparison.Ordinal);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.Server) { Database = "postgres", Pooling = false }.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunSetupAsync(string connectionString, string dataDirectory)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var web = Path.Combine(Repository.Root, "src", "Web");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(web, "bin", configuration, "net10.0", "StreamSpace.Web.dll"));
        startInfo.ArgumentList.Add("setup");
        startInfo.ArgumentList.Add("--demo");
        startInfo.Environment["ConnectionStrings__StreamSpace"] = connectionString;
        startInfo.Environment["Runtime__Local__DataDirectory"] = dataDirectory;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
