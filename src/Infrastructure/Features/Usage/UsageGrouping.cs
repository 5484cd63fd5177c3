namespace StreamSpace.Infrastructure.Features.Usage;

/// <summary>What the usage chart stacks: one series per template or one per member.</summary>
public enum UsageGrouping
{
    Template,
    Member,
}
