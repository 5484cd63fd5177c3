namespace StreamSpace.Web.Api;

public sealed record ApiMember(Guid Id, string Email, string DisplayName, string Role, string? Tier, DateTimeOffset CreatedAt);
