using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Usage;

/// <summary>Session-seconds of one member and template in one UTC hour; rewritten, never added to, so a re-run is harmless.</summary>
public sealed class UsageSample : ITenantOwned
{
    public Guid TenantId { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid TemplateId { get; private set; }

    public DateTimeOffset Hour { get; private set; }

    public long Seconds { get; private set; }
}
