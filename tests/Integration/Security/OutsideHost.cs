using System.Diagnostics;
using System.Net.Sockets;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// A host "out there" for the network tests: a network namespace of the test's own, joined to this host by a veth pair, with
/// a public (documentation) address and a private one, and an HTTP server listening on both.
/// </summary>
public sealed class OutsideHost : IAsyncLifetime
{
    public const int Port = 8000;
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];
    private Process? _server;

    public const string PublicAddress = "198.51.100.2";

    public const string PrivateAddress = "10.99.77.2";

    private string Namespace => "ss-out-" + _tag;

    public async Task InitializeAsync()
    {
        var hostSide = "ssh" + _tag;
        var outside = "sso" + _tag;
        await IpAsync("netns", "add", Namespace);
        await IpAsync("link", "add", hostSide, "type", "veth", "peer", "name", outside, "netns", Namespace);
        await IpAsync("addr", "add", "198.51.100.1/24", "dev", hostSide);
        await IpAsync("addr", "add", "10.99.77.1/24", "dev", hostSide);
        await IpAsync("link", "set", hostSide, "up");
        await IpAsync("-n", Namespace, "addr", "add", PublicAddress + "/24", "dev", outside);
        await IpAsync("-n", Namespace, "addr", "add", PrivateAddress + "/24", "dev", outside);
        await IpAsync("-n", Namespace, "link", "set", outside, "up");
        await IpAsync("-n", Namespace, "link", "set", "lo", "up");
        _server = Process.Start(new ProcessStartInfo("/usr/sbin/ip")
        {
            ArgumentList = { "netns", "exec", Namespace, "/usr/bin/python3", "-m", "http.server", "--bind", "0.0.0.0", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        }) ?? throw new InvalidOperationException("The outside host's server did not start.");
        await LocalRuntime.Eventually.TrueAsync(() => Answers(PublicAddress) && Answers(PrivateAddress), "the outside host answers on both its addresses");
    }

    /// <summary>Whether this host (not a sandbox) can connect to the outside host at <paramref name="address"/>.</summary>
    public bool Answers(string address)
    {
        if (_server is not { HasExited: false })
        {
            return false;
        }

        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(address, Port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        // Deleting the namespace removes the veth pair with it.
        await ExternalTool.RunAsync("/usr/sbin/ip", ["netns", "delete", Namespace]);
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await ExternalTool.RunAsync("/usr/sbin/ip", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {result.Error}");
        }
    }
}
