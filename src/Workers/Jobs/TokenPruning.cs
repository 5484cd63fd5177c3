using Hangfire;
using OpenIddict.Abstractions;

namespace StreamSpace.Workers.Jobs;

/// <summary>Deletes expired and revoked tokens, then authorizations left without tokens, older than two weeks.</summary>
public sealed class TokenPruning(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, TimeProvider time, ILogger<TokenPruning> logger)
{
    public const string JobId = "identity.prune-tokens";

    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var threshold = time.GetUtcNow() - KeepFor;
        var prunedTokens = await tokens.PruneAsync(threshold, cancellationToken);
        var prunedAuthorizations = await authorizations.PruneAsync(threshold, cancellationToken);
        logger.LogInformation("Pruned {Tokens} tokens and {Authorizations} authorizations", prunedTokens, prunedAuthorizations);
        return prunedTokens + prunedAuthorizations;
    }
}
