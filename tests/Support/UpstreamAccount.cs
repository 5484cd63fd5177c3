namespace StreamSpace.Tests.Support;

/// <summary>A user of the <see cref="UpstreamIdentityProvider"/>: what they type at its login form and what it says about them.</summary>
public sealed record UpstreamAccount(string Username, string Password, string Subject, string Email, string Name, IReadOnlyList<string> Groups);
