using System.Net;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Tenant YAML that would overflow the node tree's recursive loader, or tie the process up by its size, is refused before loading.</summary>
public sealed class PlatformYamlTests(CatalogPortal portal) : IClassFixture<CatalogPortal>
{
    private static readonly string HundredThousandDeep = new('[', 100_000);

    [Theory]
    [InlineData("/admin/templates/import")]
    [InlineData("/admin/members/import")]
    public async Task A_list_nested_100000_deep_is_refused_with_its_line_and_the_portal_keeps_answering(string page)
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);

        var response = await client.PostFormAsync(page, new Dictionary<string, string> { ["Yaml"] = HundredThousandDeep });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"line 1: lists and mappings nest deeper than {YamlFieldReader.MaxDepth} levels", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/templates")).StatusCode);
    }

    [Fact]
    public async Task Mappings_nested_deeper_than_the_limit_are_refused_at_the_line_where_they_cross_it()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var yaml = string.Concat(Enumerable.Range(0, 40).Select(i => new string(' ', 2 * i) + $"k{i}:\n")) + new string(' ', 80) + "end\n";

        var response = await client.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = yaml }, htmx: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"line {YamlFieldReader.MaxDepth + 1}: lists and mappings nest deeper than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pasted_text_longer_than_the_limit_is_refused_without_being_read()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var yaml = "items: [" + string.Join(',', Enumerable.Repeat("1", (YamlFieldReader.MaxLength / 2) + 1)) + "]\n";

        var response = await client.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = yaml });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"the text is longer than {YamlFieldReader.MaxLength / 1024} KiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
