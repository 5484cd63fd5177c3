using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// Issue 15 item 4: a <c>network</c> session used to share the host's network namespace and reach PostgreSQL, Workers and Web
/// on 127.0.0.1, the LAN and 169.254.169.254. Each test connects from inside a real session and reads what it could reach.
/// </summary>
[Collection(SharedOutsideHost.Name)]
public sealed class SandboxNetworkTests(RuntimeFixture fixture, OutsideHost outside)
    : IClassFixture<RuntimeFixture>, IDisposable
{
    // A service of this host listening on every address, as Web does on its port.
    private readonly TcpListener _hostService = StartHostService();

    private int HostPort => ((IPEndPoint)_hostService.LocalEndpoint).Port;

    [Fact]
    public async Task A_network_session_reaches_a_public_host_but_not_the_host_s_loopback_services_or_private_addresses()
    {
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(TestPostgres.Server).Port;
        var hostAddress = HostAddresses().First();
        Assert.True(outside.Answers(OutsideHost.PrivateAddress), "the private outside address answers this host, so only the fence can refuse it");
        var targets = new Dictionary<string, string>
        {
            ["public"] = $"{OutsideHost.PublicAddress}:{OutsideHost.Port}",
            ["private"] = $"{OutsideHost.PrivateAddress}:{OutsideHost.Port}",
            ["host loopback PostgreSQL"] = $"10.0.2.2:{postgres}",
            ["host loopback service"] = $"10.0.2.2:{HostPort}",
            ["own loopback PostgreSQL"] = $"127.0.0.1:{postgres}",
            ["host address service"] = $"{hostAddress}:{HostPort}",
            ["metadata"] = "169.254.169.254:80",
        };

        var reached = await ProbeFromSessionAsync(fixture, targets.Values);

        Assert.Equal("open", reached[targets["public"]]);
        foreach (var (what, target) in targets.Where(pair => pair.Key != "public"))
        {
            Assert.True(reached[target] == "closed", $"the session reached {what} at {target}");
        }
    }

    [Fact]
    public async Task A_network_session_sees_only_its_own_interfaces_and_resolves_through_the_session_resolver()
    {
        var spec = Specs.Session(
            Specs.NextUid(),
            "cp /etc/resolv.conf $HOME/resolv.txt && cat /proc/net/dev > $HOME/dev.tmp && mv $HOME/dev.tmp $HOME/dev.txt; exec sleep infinity",
            capabilities: ["network"]);

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var devices = Path.Combine(fixture.HomeOf(spec), "dev.txt");
        await Eventually.TrueAsync(() => File.Exists(devices), "the app has listed its network devices");
        var lines = await File.ReadAllLinesAsync(Path.Combine(fixture.HomeOf(spec), "resolv.txt"));
        var names = (await File.ReadAllLinesAsync(devices)).Skip(2).Select(line => line.Split(':')[0].Trim()).Order().ToList();
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.Equal(["lo", "tap0"], names);
        Assert.Contains("nameserver 10.0.2.3", lines);
    }

    [Fact]
    public async Task Stopping_a_network_session_stops_its_slirp4netns()
    {
        var spec = Specs.Session(Specs.NextUid(), capabilities: ["network"]);
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var slirp = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId), "network.pid");
        Assert.True(HostProcesses.IsRunning(slirp));

        await fixture.Runtime.HibernateAsync(spec.Address, CancellationToken.None);

        Assert.False(HostProcesses.IsRunning(slirp), "slirp4netns outlived its session");
    }

    public void Dispose() => _hostService.Dispose();

    /// <summary>Runs a session that tries each <c>address:port</c> and says <c>open</c> or <c>closed</c> for each.</summary>
    internal static async Task<Dictionary<string, string>> ProbeFromSessionAsync(RuntimeFixture fixture, IEnumerable<string> targets)
    {
        var list = string.Join(' ', targets);
        var probe = "for t in " + list + "; do "
            + "if timeout 3 bash -c \"exec 3<>/dev/tcp/${t%:*}/${t##*:}\" 2>/dev/null; then echo \"$t open\"; else echo \"$t closed\"; fi; "
            + "done > $HOME/probe.tmp; mv $HOME/probe.tmp $HOME/probe.txt; exec sleep infinity";
        var spec = Specs.Session(Specs.NextUid(), probe, capabilities: ["network"]);
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var results = Path.Combine(fixture.HomeOf(spec), "probe.txt");
        await Eventually.TrueAsync(() => File.Exists(results), "the session has tried every address", TimeSpan.FromSeconds(60));
        var lines = await File.ReadAllLinesAsync(results);
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
        return lines.Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => parts[1]);
    }

    private static List<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(networkInterface => networkInterface.OperationalStatus == OperationalStatus.Up)
            .SelectMany(networkInterface => networkInterface.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address)
                && !address.ToString().StartsWith("198.51.100.", StringComparison.Ordinal) && !address.ToString().StartsWith("10.99.77.", StringComparison.Ordinal))
            .ToList();

    private static TcpListener StartHostService()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return listener;
    }
}
