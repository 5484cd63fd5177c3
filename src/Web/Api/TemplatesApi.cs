using Microsoft.AspNetCore.Http.HttpResults;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Api;

public static class TemplatesApi
{
    public static void MapTemplatesApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Templates").RequireAuthorization(ApiPolicies.Templates);
        templates.MapGet("/", ListAsync).WithName("ListTemplates").WithSummary("The catalog, optionally searched (q) and filtered by category.");
        templates.MapGet("/{name}", GetAsync).WithName("GetTemplate").WithSummary("One template of the catalog.").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<List<ApiTemplate>>> ListAsync(TenantCatalog catalog, string? q, string? category, CancellationToken cancellationToken)
    {
        var found = await catalog.SearchAsync(q, category, cancellationToken);
        return TypedResults.Ok(found.Templates.Select(ToApi).ToList());
    }

    private static async Task<Results<Ok<ApiTemplate>, ProblemHttpResult>> GetAsync(TenantCatalog catalog, string name, CancellationToken cancellationToken)
    {
        var all = await catalog.SearchAsync(null, null, cancellationToken);
        var template = all.Templates.SingleOrDefault(t => t.Name == name);
        return template is null
            ? TypedResults.Problem($"There is no application \"{name}\" in the catalog.", statusCode: StatusCodes.Status404NotFound, title: "Template not found")
            : TypedResults.Ok(ToApi(template));
    }

    private static ApiTemplate ToApi(CatalogEntry t) =>
        new(t.Name, t.DisplayName, t.Description, t.Category, Quantity.FormatBytes(t.MemoryBytes), Quantity.FormatMillicores(t.CpuMillicores),
            t.Protocol.ToString().ToLowerInvariant(), t.Tags, t.IsTenantOwn);
}
