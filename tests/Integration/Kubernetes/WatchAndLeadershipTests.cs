extern alias workers;

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;
using CustomResourceWatch = workers::StreamSpace.Workers.Kubernetes.CustomResourceWatch;
using ReconcileLeadership = workers::StreamSpace.Workers.Kubernetes.ReconcileLeadership;

namespace StreamSpace.Tests.Integration.Kubernetes;

public sealed class WatchAndLeadershipTests : IAsyncLifetime
{
    private readonly KubernetesRuntimeFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_watch_that_expires_with_410_gone_lists_again_and_keeps_watching()
    {
        // No bookmarks here: the watch's resourceVersion stays where its last event left it.
        _cluster.Api.BookmarkInterval = TimeSpan.FromHours(1);
        var seen = new ConcurrentQueue<string>();
        var watch = new CustomResourceWatch(_cluster.Client, SessionResource.Plural, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync((type, value, _) =>
        {
            seen.Enqueue($"{type} {value.GetProperty("metadata").GetProperty("name").GetString()}");
            return Task.CompletedTask;
        }, stop.Token);
        _cluster.Api.Create("sessions", "ss-acme", Session("first"));
        await Eventually.TrueAsync(() => seen.Contains("Added first"), "the watch sees the first session");

        // Other objects change, history is compacted and the connection drops: the watch's version is too old, 410 Gone.
        _cluster.Api.Create("templates", "ss-acme", new JsonObject { ["apiVersion"] = "stream.space/v1alpha1", ["kind"] = "Template", ["metadata"] = new JsonObject { ["name"] = "other" } });
        _cluster.Api.Compact();
        _cluster.Api.DropWatches();

        await Eventually.TrueAsync(() => watch.Lists == 2, "the watch lists again after 410 Gone");
        Assert.Contains(_cluster.Api.Requests, r => r.Contains("/sessions?", StringComparison.Ordinal) && r.Contains("allowWatchBookmarks=true", StringComparison.Ordinal));
        _cluster.Api.Create("sessions", "ss-acme", Session("second"));
        await Eventually.TrueAsync(() => seen.Contains("Added second"), "the new watch sees later changes");
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Bookmarks_move_a_quiet_watch_forward_so_a_restart_needs_no_relist()
    {
        var watch = new CustomResourceWatch(_cluster.Client, SessionResource.Plural, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync((_, _, _) => Task.CompletedTask, stop.Token);
        await Eventually.TrueAsync(() => watch.ResourceVersion is not null, "the first list is done");
        var listed = long.Parse(watch.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

        // Other kinds change; sessions do not. Only a bookmark can tell the watch how far the store has moved.
        _cluster.Api.Create("templates", "ss-acme", new JsonObject { ["apiVersion"] = "stream.space/v1alpha1", ["kind"] = "Template", ["metadata"] = new JsonObject { ["name"] = "other" } });
        await Eventually.TrueAsync(() => long.Parse(watch.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > listed, "a bookmark moves the watch's resourceVersion");
        _cluster.Api.Compact();
        _cluster.Api.DropWatches();
        _cluster.Api.Create("sessions", "ss-acme", Session("after"));

        await Eventually.TrueAsync(() => _cluster.Api.Requests.Count(r => r.Contains("/sessions?", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal)) >= 2, "the watch restarts");
        Assert.Equal(1, watch.Lists);
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Only_one_replica_leads_and_another_takes_over_when_it_stops()
    {
        _cluster.Options.LeaseDuration = TimeSpan.FromSeconds(2);
        _cluster.Options.LeaseRenewDeadline = TimeSpan.FromSeconds(1);
        _cluster.Options.LeaseRetryPeriod = TimeSpan.FromMilliseconds(200);
        var options = Microsoft.Extensions.Options.Options.Create(_cluster.Options);
        var first = new ReconcileLeadership(_cluster.Client, options, NullLogger<ReconcileLeadership>.Instance) { Identity = "workers-a" };
        var second = new ReconcileLeadership(_cluster.Client, options, NullLogger<ReconcileLeadership>.Instance) { Identity = "workers-b" };
        var working = new ConcurrentDictionary<string, bool>();
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();

        var a = first.RunAsync(Work("workers-a", working), stopFirst.Token);
        await Eventually.TrueAsync(() => first.IsLeader, "the first replica leads");
        var b = second.RunAsync(Work("workers-b", working), stopSecond.Token);

        // Renewal, not a wait shorter than the lease: the first replica's renewTime moves past two lease durations after it
        // took the Lease, while the second campaigns all along and never leads.
        var acquired = RenewTime();
        var secondLed = false;
        await Eventually.TrueAsync(
            () =>
            {
                secondLed |= second.IsLeader;
                return RenewTime() >= acquired + (2 * _cluster.Options.LeaseDuration);
            },
            "the first replica keeps renewing its lease",
            TimeSpan.FromSeconds(15));
        Assert.False(secondLed || second.IsLeader);
        Assert.Equal(["workers-a"], working.Where(w => w.Value).Select(w => w.Key));
        Assert.Equal("workers-a", _cluster.Api.Get("leases", "streamspace", "streamspace-workers")!["spec"]!["holderIdentity"]!.GetValue<string>());

        await stopFirst.CancelAsync();
        await a.ContinueWith(_ => { }, TaskScheduler.Default);

        await Eventually.TrueAsync(() => second.IsLeader && working.GetValueOrDefault("workers-b"), "the second replica takes over", TimeSpan.FromSeconds(15));
        Assert.False(working.GetValueOrDefault("workers-a"));
        await stopSecond.CancelAsync();
        await b.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private DateTimeOffset RenewTime() =>
        DateTimeOffset.Parse(
            _cluster.Api.Get("leases", "streamspace", "streamspace-workers")!["spec"]!["renewTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static Func<CancellationToken, Task> Work(string identity, ConcurrentDictionary<string, bool> working) => async token =>
    {
        working[identity] = true;
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            working[identity] = false;
        }
    };

    private static JsonObject Session(string name) =>
        YamlJson.InNamespace(ProductExamples.Session.Replace("my-firefox", name, StringComparison.Ordinal), "ss-acme");
}
