using System.Globalization;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>A local runtime with a small pids limit and a gateway group, over a fresh data directory under /tmp.</summary>
public sealed class LimitsRuntimeFixture() : RuntimeFixture("ss-limits-", new Dictionary<string, string?>
{
    [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.StopGracePeriod)}"] = "00:00:02",
    [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.PidsLimit)}"] = PidsLimit.ToString(CultureInfo.InvariantCulture),
    [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.GatewayGroup)}"] = GatewayGid.ToString(CultureInfo.InvariantCulture),
    // Nested under the test process's own cgroup, so the test host's accounting still covers the sandboxes.
    [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.CgroupParent)}"] = "streamspace-limits-tests",
})
{
    public const int PidsLimit = 64;

    // A gid no group on the host uses: the test needs no /etc/group entry, the runtime takes a number as it is.
    public const int GatewayGid = 64123;
}
