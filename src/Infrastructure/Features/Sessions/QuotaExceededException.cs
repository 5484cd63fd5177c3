using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>A launch or resume that would break a quota; the message says which limit and by how much.</summary>
public sealed class QuotaExceededException(QuotaRefusal refusal) : DomainException(refusal?.Message ?? string.Empty)
{
    public QuotaRefusal Refusal { get; } = refusal!;
}
