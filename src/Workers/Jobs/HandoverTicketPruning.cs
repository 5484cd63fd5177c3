using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Workers.Jobs;

/// <summary>Deletes redeemed sign-in handover tickets once they are far past their one-minute lifetime.</summary>
public sealed class HandoverTicketPruning(StreamSpaceDb db, TimeProvider time, ILogger<HandoverTicketPruning> logger)
{
    public const string JobId = "identity.prune-handover-tickets";

    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - KeepFor;
        var deleted = await db.HandoverTickets.Where(t => t.RedeemedAt < before).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Pruned {Count} redeemed handover tickets", deleted);
        return deleted;
    }
}
