using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace StreamSpace.Web.Api;

/// <summary>The OpenAPI document of <c>/api/v1</c> and its reference page at <c>/api/docs</c>.</summary>
public static class ApiDocuments
{
    public const string DocumentPath = "/api/openapi/{documentName}.json";

    public static IServiceCollection AddApiDocuments(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "StreamSpace API",
                    Version = "v1",
                    Description = "Bearer tokens from POST /connect/token (client credentials of an API client created under /admin/api-clients).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An access token of StreamSpace's token server.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocuments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        endpoints.MapScalarApiReference("/api/docs", options => options
            .WithTitle("StreamSpace API")
            .WithOpenApiRoutePattern(DocumentPath));
        return endpoints;
    }
}
