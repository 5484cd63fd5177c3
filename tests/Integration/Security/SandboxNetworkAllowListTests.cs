using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Tests.Integration.Security;

[Collection(SharedOutsideHost.Name)]
public sealed class SandboxNetworkAllowListTests(AllowListRuntimeFixture fixture, OutsideHost outside)
    : IClassFixture<AllowListRuntimeFixture>
{
    [Fact]
    public async Task A_private_network_the_operator_allows_is_reachable_and_the_rest_stays_fenced()
    {
        Assert.True(outside.Answers(OutsideHost.PrivateAddress));
        var privateTarget = $"{OutsideHost.PrivateAddress}:{OutsideHost.Port}";

        var reached = await SandboxNetworkTests.ProbeFromSessionAsync(fixture, [privateTarget, "169.254.169.254:80"]);

        Assert.Equal("open", reached[privateTarget]);
        Assert.Equal("closed", reached["169.254.169.254:80"]);
    }

    [Fact]
    public void An_allowed_network_that_is_not_a_CIDR_is_refused_with_the_setting_s_name()
    {
        var options = new LocalRuntimeOptions { Network = { AllowedCidrs = ["10.0.0.0/8", "intranet"] } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, error => error.ErrorMessage!.Contains("Runtime:Local:Network:AllowedCidrs: 'intranet'", StringComparison.Ordinal));
    }
}
