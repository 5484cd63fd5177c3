namespace StreamSpace.Domain.Sessions;

/// <summary>The member's tier timeouts and the installation's hibernation settings, as one input to the arithmetic.</summary>
public sealed record HibernationRules(bool IdleEnabled, TimeSpan IdleTimeout, TimeSpan MaxSessionDuration, TimeSpan WarningBefore);
