namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>A new invitation and its token, which exists only here: the database keeps its hash.</summary>
public sealed record IssuedInvitation(Guid Id, string Email, string Token, DateTimeOffset ExpiresAt);
