namespace StreamSpace.Infrastructure.Streaming;

/// <summary>The newest input and viewer connection seen for one session since the last flush.</summary>
public readonly record struct SessionActivity(Guid SessionId, DateTimeOffset? LastInputAt, DateTimeOffset? LastConnectionAt);
