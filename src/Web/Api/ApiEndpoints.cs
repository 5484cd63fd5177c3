namespace StreamSpace.Web.Api;

/// <summary>REST API v1 (<c>/api/v1</c>): bearer tokens only, rate-limited per client, errors as problem details.</summary>
public static class ApiEndpoints
{
    public const string RateLimit = "api";

    public static IEndpointRouteBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ApiRequests.Prefix)
            .RequireRateLimiting(RateLimit)
            .AddEndpointFilter<ApiErrors>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapTemplatesApi();
        api.MapSessionsApi();
        api.MapAdminApi();
        return endpoints;
    }
}
