namespace StreamSpace.Web.Api;

/// <summary>Metered session time of one member with one template in the period asked for.</summary>
public sealed record ApiUsage(Guid MemberId, string Member, string Template, long Seconds);
