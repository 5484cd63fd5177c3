using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>What a session's Session resource status is written from; <paramref name="LastActivity"/> is the last input, or the start.</summary>
public sealed record SessionResourceState(string TenantSlug, Guid SessionId, SessionState State, DateTimeOffset? LastActivity, string? FailureReason);
