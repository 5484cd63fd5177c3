using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.Unit.Security;

public sealed class SandboxEnvironmentImportTests
{
    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("LD_AUDIT")]
    [InlineData("GCONV_PATH")]
    [InlineData("MALLOC_TRACE")]
    [InlineData("BASH_ENV")]
    [InlineData("NODE_OPTIONS")]
    public void A_template_that_sets_a_loader_variable_is_refused_naming_the_variable_and_its_line(string variable)
    {
        var result = TemplateYaml.Read($"""
            apiVersion: stream.space/v1alpha1
            kind: Template
            metadata:
              name: editor
            spec:
              displayName: Editor
              image: local/editor
              env:
                - name: {variable}
                  value: /home/app/evil.so
              localCommand: xterm
            """);

        Assert.Empty(result.Templates);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(9, problem.Line);
        Assert.Equal("spec.env[0].name", problem.Field);
        Assert.Contains(variable, problem.Message, StringComparison.Ordinal);
    }
}
