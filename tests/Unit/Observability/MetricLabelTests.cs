using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Tests.Unit.Observability;

public sealed class MetricLabelTests
{
    [Theory]
    [InlineData("idle 30m", "idle")]
    [InlineData("idle 2s", "idle")]
    [InlineData("max duration 8h", "max-duration")]
    [InlineData("quota", "quota")]
    [InlineData("user", "user")]
    [InlineData("admin", "admin")]
    [InlineData("something new", "other")]
    [InlineData(null, "unknown")]
    public void A_hibernation_reason_keeps_its_kind_and_drops_its_number(string? reason, string label) =>
        Assert.Equal(label, StreamSpaceMetrics.HibernationReason(reason));

    [Fact]
    public void A_failure_is_labelled_by_its_kind_never_by_its_message()
    {
        Assert.Equal("sandbox_start", StreamSpaceMetrics.FailureReason(new SandboxStartException("Xvnc exited with code 1 in /tmp/ss-1234/run")));
        Assert.Equal("timeout", StreamSpaceMetrics.FailureReason(new TimeoutException("The pods of session 0195… did not stop")));
        Assert.Equal("timeout", StreamSpaceMetrics.FailureReason(new OperationCanceledException()));
        Assert.Equal("invalid_operation", StreamSpaceMetrics.FailureReason(new InvalidOperationException("anything")));
    }
}
