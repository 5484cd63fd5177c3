using System.Net;
using StreamSpace.Tests.Integration.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>The user and group a session runs as, and Selkies' clipboard switches, are the runtime's: a template that names them is refused where it is imported.</summary>
public sealed class KubeTemplateImportTests(CatalogPortal portal) : IClassFixture<CatalogPortal>
{
    [Theory]
    [InlineData("PUID")]
    [InlineData("PGID")]
    [InlineData("SELKIES_CLIPBOARD_OUT_ENABLED")]
    [InlineData("SELKIES_CLIPBOARD_IN_ENABLED")]
    public async Task A_tenant_template_that_sets_the_user_id_to_root_or_turns_the_clipboard_on_is_refused_at_import_naming_the_variable(string variable)
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var yaml = $"""
            apiVersion: stream.space/v1alpha1
            kind: Template
            metadata:
              name: rooted-firefox
            spec:
              displayName: Rooted Firefox
              image: lscr.io/linuxserver/firefox:latest
              env:
                - name: {variable}
                  value: "0"
            """;

        var response = await client.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = yaml });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"line 9: spec.env[0].name: &quot;{variable}&quot; is not allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
