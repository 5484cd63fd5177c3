extern alias workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.Abstractions;
using TokenPruning = workers::StreamSpace.Workers.Jobs.TokenPruning;

namespace StreamSpace.Tests.Integration.Api;

public sealed class TokenPruningTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task Pruning_deletes_tokens_long_expired_and_keeps_valid_ones()
    {
        await portal.TokenAsync(portal.AcmeAdminClient);
        await using var scope = portal.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var valid = await tokens.CountAsync(CancellationToken.None);
        Assert.True(valid > 0);

        var expired = await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Type = OpenIddictConstants.TokenTypeHints.AccessToken,
            Status = OpenIddictConstants.Statuses.Valid,
            CreationDate = DateTimeOffset.UtcNow.AddDays(-30),
            ExpirationDate = DateTimeOffset.UtcNow.AddDays(-29),
        });

        var job = new TokenPruning(tokens, authorizations, TimeProvider.System, NullLogger<TokenPruning>.Instance);
        var expiredId = (await tokens.GetIdAsync(expired))!;
        Assert.True(await job.RunAsync(CancellationToken.None) >= 1);

        // A fresh scope: the pruning deletes in bulk, behind the first context's back.
        await using var after = portal.Services.CreateAsyncScope();
        var remaining = after.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        Assert.Null(await remaining.FindByIdAsync(expiredId));
        Assert.Equal(valid, await remaining.CountAsync(CancellationToken.None));
    }
}
