using System.Globalization;

namespace StreamSpace.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test's own, from the installed server binaries, so the test can stop and start it (a
/// restart under traffic) without touching the server every other test uses. Run as the postgres user when we are root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private PrivatePostgres(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Server connection string without a database, as <see cref="TestPostgres.Server"/>.</summary>
    public string Server => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=streamspace;Password={_password}";

    private string Data => Path.Combine(_directory, "data");

    private static string Bin => Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
        .Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "initdb")));

    public static async Task<PrivatePostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("ss-pg-").FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var cluster = new PrivatePostgres(directory, FreePort.Next());
        var passwordFile = Path.Combine(directory, "password");
        await File.WriteAllTextAsync(passwordFile, cluster._password);
        Directory.CreateDirectory(cluster.Data);
        if (Environment.UserName == "root")
        {
            await MustAsync("chown", ["-R", "postgres:", directory]);
        }

        await AsOwnerAsync("initdb", ["-D", cluster.Data, "-U", "streamspace", "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale"]);
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts the stopped cluster on the same port, as after a restart.</summary>
    public Task StartAgainAsync() => AsOwnerAsync(
        "pg_ctl",
        ["-D", Data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k {Data} -c fsync=off -c max_connections=200", "start"]);

    /// <summary>A fast shutdown: every client connection is cut, as when an operator restarts the server.</summary>
    public Task StopAsync() => AsOwnerAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static Task AsOwnerAsync(string tool, IEnumerable<string> arguments) =>
        Environment.UserName == "root"
            ? MustAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments])
            : MustAsync(Path.Combine(Bin, tool), arguments);

    private static async Task MustAsync(string file, IEnumerable<string> arguments)
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(file, arguments, workingDirectory: "/tmp");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {exitCode}: {output}{error}");
        }
    }
}
