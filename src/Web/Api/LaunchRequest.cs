namespace StreamSpace.Web.Api;

/// <summary>The body of <c>POST /api/v1/sessions</c>: the name of a template in the catalog.</summary>
public sealed record LaunchRequest(string? Template);
