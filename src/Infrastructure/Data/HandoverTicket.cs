namespace StreamSpace.Infrastructure.Data;

/// <summary>A redeemed sign-in handover ticket; the primary key makes each ticket single-use.</summary>
public sealed class HandoverTicket
{
    public Guid Id { get; init; }

    public DateTimeOffset RedeemedAt { get; init; }
}
