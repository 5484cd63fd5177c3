using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace StreamSpace.Tests.Integration.Api;

public sealed class ApiDocumentTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task The_openapi_document_lists_every_api_endpoint()
    {
        var mapped = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();

        using var http = portal.CreateClient();
        using var response = await http.GetAsync("/api/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {Normalise(path.Name)}"))
            .ToHashSet();

        Assert.True(mapped.Count >= 13, $"only {mapped.Count} API endpoints were found");
        Assert.Equal(mapped.Order(), documented.Order());
    }

    [Fact]
    public async Task The_reference_page_is_served_at_api_docs()
    {
        using var http = portal.CreateClient();
        using var response = await http.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("StreamSpace API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Route constraints (<c>{id:guid}</c>) and trailing slashes are not part of the documented path.</summary>
    private static string Normalise(string route)
    {
        var path = "/" + System.Text.RegularExpressions.Regex.Replace(route.Trim('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}");
        return path.TrimEnd('/');
    }
}
