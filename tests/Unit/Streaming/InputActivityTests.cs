using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Tests.Unit.Streaming;

public sealed class InputActivityTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drain_returns_the_newest_input_per_session_once()
    {
        var activity = new InputActivity();
        var session = Guid.NewGuid();
        activity.RecordInput(session, Noon.AddSeconds(2));
        activity.RecordInput(session, Noon);
        activity.RecordInput(session, Noon.AddSeconds(1));

        var drained = Assert.Single(activity.Drain());

        Assert.Equal(new SessionActivity(session, Noon.AddSeconds(2), null), drained);
        Assert.Empty(activity.Drain());
    }

    [Fact]
    public void A_viewer_connecting_records_a_connection_but_no_input()
    {
        var activity = new InputActivity();
        var session = Guid.NewGuid();

        activity.ViewerConnected(session, Noon);

        Assert.Equal(1, activity.ViewerCount(session));
        Assert.Equal(new SessionActivity(session, null, Noon), Assert.Single(activity.Drain()));
        activity.ViewerDisconnected(session, Noon.AddMinutes(1));
        Assert.Equal(0, activity.ViewerCount(session));
    }

    [Fact]
    public void A_restored_batch_does_not_hide_newer_input()
    {
        var activity = new InputActivity();
        var session = Guid.NewGuid();
        activity.RecordInput(session, Noon);
        var failedBatch = activity.Drain();
        activity.RecordInput(session, Noon.AddSeconds(5));

        activity.Restore(failedBatch);

        Assert.Equal(Noon.AddSeconds(5), Assert.Single(activity.Drain()).LastInputAt);
    }

    [Fact]
    public async Task Concurrent_recording_keeps_the_newest_time()
    {
        var activity = new InputActivity();
        var session = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                activity.RecordInput(session, Noon.AddTicks((i * 8) + worker));
            }
        })));

        Assert.Equal(Noon.AddTicks((9_999 * 8) + 7), Assert.Single(activity.Drain()).LastInputAt);
    }
}
