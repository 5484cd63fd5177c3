using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
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

    private static async Task<Ok<List<ApiTemplate>>> ListAsync(StreamSpaceDb db, string? q, string? category, CancellationToken cancellationToken)
    {
        var found = await CatalogSearch.Visible(db, q, category).AsNoTracking()
            .OrderBy(t => t.Category).ThenBy(t => t.DisplayName)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(found.Select(ToApi).ToList());
    }

    private static async Task<Results<Ok<ApiTemplate>, ProblemHttpResult>> GetAsync(StreamSpaceDb db, string name, CancellationToken cancellationToken)
    {
        var template = await CatalogSearch.Visible(db, null, null).AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
        return template is null
            ? TypedResults.Problem($"There is no application \"{name}\" in the catalog.", statusCode: StatusCodes.Status404NotFound, title: "Template not found")
            : TypedResults.Ok(ToApi(template));
    }

    private static ApiTemplate ToApi(Template t) =>
        new(t.Name, t.DisplayName, t.Description, t.Category, Quantity.FormatBytes(t.DefaultMemoryBytes), Quantity.FormatMillicores(t.DefaultCpuMillicores),
            t.Protocol.ToString().ToLowerInvariant(), t.Tags, t.TenantId is not null);
}
