using Docker.DotNet.Models;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Containers;

/// <summary>The container runtime against a real engine: what a session's container is, how it stops, how it comes back.</summary>
public sealed class ContainerRuntimeTests(ContainerFixture fixture) : IClassFixture<ContainerFixture>
{
    [ContainerEngineFact]
    public async Task An_image_session_serves_rfb_on_a_loopback_port_with_its_vnc_password_and_the_sessions_limits()
    {
        var spec = ContainerFixture.Rfb();
        var progress = new RecordedProgress();

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);

        Assert.Matches(@"^tcp:127\.0\.0\.1:\d+$", endpoint.Address);
        Assert.Equal("Ready", progress.Reports[^1]);
        var password = await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);
        Assert.NotNull(password);
        Assert.Equal((1024, 768), await RfbClient.HandshakeAsync(endpoint.Address, password));
        await Assert.ThrowsAsync<RfbRefusedException>(() => RfbClient.HandshakeAsync(endpoint.Address, "wrong123"));

        var container = Assert.Single(await fixture.ContainersOfAsync(spec.SessionId));
        Assert.Equal(ContainerSessionRuntime.ContainerName(spec), container.Names.Single().TrimStart('/'));
        Assert.Equal("acme", container.Labels[SessionLabels.Tenant]);
        Assert.Equal(spec.MemberId.ToString("D"), container.Labels[SessionLabels.Member]);
        Assert.Equal("test-rfb", container.Labels[SessionLabels.Template]);
        var inspected = await fixture.Docker.Containers.InspectContainerAsync(container.ID);
        Assert.Equal($"{spec.MemberUid}:{spec.MemberUid}", inspected.Config!.User);
        Assert.Equal(spec.MemoryBytes, inspected.HostConfig!.Memory);
        Assert.Equal(500_000_000, inspected.HostConfig.NanoCPUs);
        Assert.Contains("no-new-privileges", string.Join(",", inspected.HostConfig.SecurityOpt!));

        // What the kernel says of the app's process, whatever the engine reports: no capabilities, no privilege gain.
        var status = await File.ReadAllLinesAsync($"/proc/{inspected.State!.Pid}/status");
        Assert.Contains("CapEff:\t0000000000000000", status);
        Assert.Contains("CapPrm:\t0000000000000000", status);
        Assert.Contains("NoNewPrivs:\t1", status);
        Assert.All(inspected.NetworkSettings!.Ports!.Values.SelectMany(p => p!), binding => Assert.Equal("127.0.0.1", binding.HostIP));

        // Below the kernel's ephemeral ports: never the port a test server or any program asking for "a free port" gets.
        Assert.InRange(int.Parse(endpoint.Address.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture), 20000, 29999);
    }

    [ContainerEngineFact]
    public async Task A_session_is_published_on_a_free_port_of_the_range_and_the_range_full_says_so()
    {
        // Two ports: the first held by another program, so the first session gets the second and a second session none.
        var (taken, listener) = ListenerOnFreePortPair();
        using var held = listener;
        var narrow = new ContainerFixture(new Dictionary<string, string?>
        {
            [nameof(ContainerRuntimeOptions.PublishPortFirst)] = taken.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [nameof(ContainerRuntimeOptions.PublishPortLast)] = (taken + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            var first = await narrow.Runtime.EnsureStartedAsync(ContainerFixture.Rfb(), new RecordedProgress(), CancellationToken.None);
            Assert.Equal($"tcp:127.0.0.1:{taken + 1}", first.Address);

            var second = ContainerFixture.Rfb();
            var refused = await Assert.ThrowsAsync<ContainerStartException>(() => narrow.Runtime.EnsureStartedAsync(second, new RecordedProgress(), CancellationToken.None));
            Assert.Contains($"127.0.0.1:{taken}–{taken + 1}", refused.Message, StringComparison.Ordinal);
            Assert.Empty(await narrow.ContainersOfAsync(second.SessionId));
        }
        finally
        {
            await narrow.DisposeAsync();
        }
    }

    /// <summary>A port of the default range whose next port is free too, the first held by a listener.</summary>
    private static (int Port, System.Net.Sockets.TcpListener Listener) ListenerOnFreePortPair()
    {
        for (var port = 20000 + System.Security.Cryptography.RandomNumberGenerator.GetInt32(9000); ; port += 2)
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            var next = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 1);
            try
            {
                listener.Start();
                next.Start();
                next.Stop();
                return (port, listener);
            }
            catch (System.Net.Sockets.SocketException)
            {
                listener.Stop();
                next.Stop();
            }
        }
    }

    [ContainerEngineFact]
    public async Task An_http_image_session_serves_its_web_client_on_a_loopback_port_and_its_websocket_input_lands_in_the_members_home()
    {
        var spec = ContainerFixture.Http();

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Equal(StreamProtocol.Http, endpoint.Protocol);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", endpoint.Address);
        using var http = new HttpClient();
        Assert.Contains("Selkies stand-in", await http.GetStringAsync(endpoint.Address + "/"), StringComparison.Ordinal);
        await TypeAsync(endpoint.Address, "hi");
        var typed = Path.Combine(fixture.HomeOf(spec), "typed.txt");
        await Eventually.TrueAsync(() => File.Exists(typed) && File.ReadAllText(typed) == "hi", "the app wrote the typed keys into typed.txt");
        var owner = await ExternalTool.RunAsync("stat", ["-c", "%u", typed]);
        Assert.Equal(spec.MemberUid.ToString(System.Globalization.CultureInfo.InvariantCulture), owner.Output.Trim());

        // Hibernate and resume: the same home, a new container on a new port, the file grows.
        await fixture.Runtime.HibernateAsync(spec.Address, CancellationToken.None);
        Assert.Empty(await fixture.ContainersOfAsync(spec.SessionId));
        Assert.Equal("hi", await File.ReadAllTextAsync(typed));
        var resumed = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await TypeAsync(resumed.Address, "!");
        await Eventually.TrueAsync(() => File.ReadAllText(typed) == "hi!", "the resumed app appended to the same typed.txt");
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
    }

    /// <summary>Sends what the Selkies client sends for each character: "kd,&lt;keysym&gt;" then "ku,&lt;keysym&gt;".</summary>
    private static async Task TypeAsync(string address, string text)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/websocket"), CancellationToken.None);
        foreach (var character in text)
        {
            foreach (var message in new[] { $"kd,{(int)character}", $"ku,{(int)character}" })
            {
                await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(message), System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }

        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "typed", CancellationToken.None);
    }

    [ContainerEngineFact]
    public async Task The_app_writes_into_the_members_home_on_the_host_as_the_member()
    {
        var spec = ContainerFixture.Rfb(appCommand: "echo written-in-the-container > \"$HOME/hello.txt\"; exec xterm");

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        var file = Path.Combine(fixture.HomeOf(spec), "hello.txt");
        await Eventually.TrueAsync(() => File.Exists(file), "the app wrote hello.txt into the home");
        Assert.Equal("written-in-the-container", (await File.ReadAllTextAsync(file)).Trim());
        var owner = await ExternalTool.RunAsync("stat", ["-c", "%u", file]);
        Assert.Equal(spec.MemberUid.ToString(System.Globalization.CultureInfo.InvariantCulture), owner.Output.Trim());
    }

    [ContainerEngineFact]
    public async Task Hibernate_removes_the_container_keeps_the_home_and_resume_runs_the_same_image_even_after_its_tag_moved()
    {
        // A tag of our own, so moving it affects no other test.
        var tag = $"localhost/streamspace-test-moved:{Guid.NewGuid():N}"[..56];
        var (repository, version) = ContainerSessionRuntime.SplitTag(tag);
        await fixture.Docker.Images.TagImageAsync(ContainerFixture.RfbImage, new ImageTagParameters { RepositoryName = repository, Tag = version });
        try
        {
            var spec = ContainerFixture.Rfb(appCommand: "date +%s%N >> \"$HOME/starts.txt\"; exec xterm", image: tag);
            await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
            var starts = Path.Combine(fixture.HomeOf(spec), "starts.txt");
            await Eventually.TrueAsync(() => File.Exists(starts), "the first start wrote starts.txt");

            await fixture.Runtime.HibernateAsync(spec.Address, CancellationToken.None);

            Assert.Empty(await fixture.ContainersOfAsync(spec.SessionId));
            Assert.Single(await File.ReadAllLinesAsync(starts));
            Assert.DoesNotContain(await fixture.Runtime.ObserveAsync(CancellationToken.None), o => o.SessionId == spec.SessionId);

            // The tag now names an image that cannot serve a session; Resume still runs the image the session ran.
            await fixture.Docker.Images.TagImageAsync("localhost/streamspace-test-base:1", new ImageTagParameters { RepositoryName = repository, Tag = version });
            var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

            await RfbClient.HandshakeAsync(endpoint.Address, await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
            await Eventually.TrueAsync(() => File.ReadAllLines(starts).Length == 2, "the resumed container appended to the same starts.txt");
            await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
            Assert.Empty(await fixture.ContainersOfAsync(spec.SessionId));
            Assert.Null(await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
            Assert.True(File.Exists(starts));
        }
        finally
        {
            await fixture.Docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
        }
    }

    [ContainerEngineFact]
    public async Task An_app_that_allocates_past_the_memory_limit_is_killed_and_the_session_says_why()
    {
        var spec = ContainerFixture.Rfb(
            appCommand: "sleep 2; exec python3 -c 'b = bytearray(400 << 20); import time; time.sleep(60)'", memoryBytes: 128L << 20);

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        ObservedSession? observed = null;
        await Eventually.TrueAsync(
            () => (observed = fixture.Runtime.ObserveAsync(CancellationToken.None).GetAwaiter().GetResult().SingleOrDefault(o => o.SessionId == spec.SessionId)) is { Running: false },
            "the container stopped", TimeSpan.FromSeconds(30));
        Assert.Contains("out of memory (limit 128Mi)", observed!.StoppedReason, StringComparison.Ordinal);
        Assert.Equal(SessionRuntimeKind.Container, observed.Address.Runtime);
    }

    [ContainerEngineFact]
    public async Task An_image_that_cannot_be_pulled_fails_the_start_with_the_engines_reason_within_a_minute()
    {
        var spec = ContainerFixture.Rfb(image: "registry.invalid/streamspace/nothing:1");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var progress = new RecordedProgress();

        var failure = await Assert.ThrowsAsync<ContainerStartException>(() => fixture.Runtime.EnsureStartedAsync(spec, progress, bound.Token));

        Assert.Contains("registry.invalid/streamspace/nothing:1 could not be pulled", failure.Message, StringComparison.Ordinal);
        Assert.Contains(progress.Reports, r => r.StartsWith("Pulling", StringComparison.Ordinal));
        Assert.Empty(await fixture.ContainersOfAsync(spec.SessionId));
    }

    [ContainerEngineFact]
    public async Task A_start_cut_off_after_its_container_was_created_is_finished_by_the_next_start_with_exactly_one_container()
    {
        var spec = ContainerFixture.Rfb(appCommand: "sleep 1; exec xterm");
        using var cut = new CancellationTokenSource();
        var progress = new CutAt("Starting Test terminal…", cut);

        // The process that was starting it dies (as a killed Workers would) once its container exists.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Runtime.EnsureStartedAsync(spec, progress, cut.Token));
        Assert.Single(await fixture.ContainersOfAsync(spec.SessionId));

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Single(await fixture.ContainersOfAsync(spec.SessionId));
        await RfbClient.HandshakeAsync(endpoint.Address, await fixture.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
    }

    [ContainerEngineFact]
    public async Task Drift_repair_sees_a_container_session_and_stopping_one_leaves_sandboxes_and_other_sessions_alone()
    {
        var first = ContainerFixture.Rfb();
        var second = ContainerFixture.Rfb(tenant: "globex");
        await Task.WhenAll(
            fixture.Runtime.EnsureStartedAsync(first, new RecordedProgress(), CancellationToken.None),
            fixture.Runtime.EnsureStartedAsync(second, new RecordedProgress(), CancellationToken.None));

        var observed = await fixture.Runtime.ObserveAsync(CancellationToken.None);
        var seen = Assert.Single(observed, o => o.SessionId == first.SessionId);
        Assert.True(seen.Running);
        Assert.Equal(new SessionAddress("acme", first.SessionId, SessionRuntimeKind.Container), seen.Address);
        Assert.StartsWith("tcp:127.0.0.1:", seen.Endpoint!.Address, StringComparison.Ordinal);

        await fixture.Runtime.TerminateAsync(first.Address, CancellationToken.None);

        Assert.Empty(await fixture.ContainersOfAsync(first.SessionId));
        Assert.Single(await fixture.ContainersOfAsync(second.SessionId));
    }

    [ContainerEngineFact]
    public async Task A_session_reaches_its_own_tenants_sessions_but_not_another_tenants_nor_the_hosts_postgresql()
    {
        var target = ContainerFixture.Rfb(tenant: "acme");
        await fixture.Runtime.EnsureStartedAsync(target, new RecordedProgress(), CancellationToken.None);
        var container = Assert.Single(await fixture.ContainersOfAsync(target.SessionId));
        var address = (await fixture.Docker.Containers.InspectContainerAsync(container.ID)).NetworkSettings!.Networks!["streamspace-it-acme"].IPAddress;
        var postgres = int.Parse(TestPostgresPort(), System.Globalization.CultureInfo.InvariantCulture);

        var neighbour = await ProbeAsync("acme", address, postgres);
        var stranger = await ProbeAsync("globex", address, postgres);

        Assert.Equal("open", neighbour[$"{address}:5900"]);
        Assert.NotEqual("open", stranger[$"{address}:5900"]);
        Assert.All(stranger.Where(p => p.Key != $"{address}:5900").Concat(neighbour.Where(p => p.Key != $"{address}:5900")), p => Assert.NotEqual("open", p.Value));
    }

    /// <summary>
    /// From a new session of <paramref name="tenant"/>: can it connect to the target's VNC port, and to PostgreSQL through the
    /// bridge's gateway (the host as the container sees it) and through loopback?
    /// </summary>
    private async Task<Dictionary<string, string>> ProbeAsync(string tenant, string target, int postgres)
    {
        const string Probe = """
            import os, socket, struct
            gateway = next(socket.inet_ntoa(struct.pack("<L", int(f[2], 16)))
                           for f in (line.split() for line in open("/proc/net/route")) if f[1] == "00000000")
            with open(os.environ["HOME"] + "/probe.partial", "w") as out:
                for spec in os.environ["PROBE"].split():
                    name, port = spec.rsplit(":", 1)
                    host = gateway if name == "gateway" else name
                    s = socket.socket(); s.settimeout(3)
                    try:
                        s.connect((host, int(port))); result = "open"
                    except Exception as e:
                        result = type(e).__name__
                    out.write(spec + " " + result + "\n")
            os.rename(os.environ["HOME"] + "/probe.partial", os.environ["HOME"] + "/probe.txt")
            """;
        var script = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Probe));
        var spec = ContainerFixture.Rfb(tenant: tenant, appCommand: $"echo {script} | base64 -d | python3; exec xterm");
        spec = spec with
        {
            Environment = new Dictionary<string, string>(spec.Environment) { ["PROBE"] = $"{target}:5900 gateway:{postgres} 127.0.0.1:{postgres}" },
        };

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        var results = Path.Combine(fixture.HomeOf(spec), "probe.txt");
        await Eventually.TrueAsync(() => File.Exists(results), "the probe wrote its results", TimeSpan.FromSeconds(30));
        return (await File.ReadAllLinesAsync(results)).Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => parts[1]);
    }

    private static string TestPostgresPort() =>
        System.Text.RegularExpressions.Regex.Match(Environment.GetEnvironmentVariable("STREAMSPACE_TEST_PG") ?? "Port=5432", @"Port=(\d+)").Groups[1].Value;

    /// <summary>Cancels the start when it reports <paramref name="step"/>: the container exists by then.</summary>
    private sealed class CutAt(string step, CancellationTokenSource cut) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value == step)
            {
                cut.Cancel();
            }
        }
    }
}
