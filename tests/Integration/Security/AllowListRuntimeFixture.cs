using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>A runtime whose operator allows the outside host's private network.</summary>
public sealed class AllowListRuntimeFixture() : RuntimeFixture("ss-allow-", new Dictionary<string, string?>
{
    [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.CgroupParent)}"] = "streamspace-tests",
    [$"{LocalRuntimeOptions.Section}:Network:AllowedCidrs:0"] = "10.99.77.0/24",
});
