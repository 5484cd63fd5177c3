using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Catalog;

public sealed class TemplateYamlTests
{
    [Fact]
    public void The_readme_example_reads_as_a_container_template_streamed_over_rfb_because_its_port_is_named_vnc()
    {
        var result = TemplateYaml.Read(ProductExamples.Template);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var template = Assert.Single(result.Templates).Definition;
        Assert.Equal("my-app", template.Name);
        Assert.Equal("My Custom App", template.DisplayName);
        Assert.Equal("Custom", template.Category);
        Assert.Equal("myregistry/myapp:latest", template.Image);
        Assert.Equal(4L << 30, template.DefaultMemoryBytes);
        Assert.Equal(2000, template.DefaultCpuMillicores);
        Assert.Equal([new TemplatePort("vnc", 3000)], template.Ports);
        Assert.Equal(StreamProtocol.Rfb, template.Protocol);
        Assert.Null(template.LocalCommand);
    }

    [Fact]
    public void Exporting_the_readme_example_and_reading_it_back_gives_the_same_template()
    {
        var original = TemplateYaml.Read(ProductExamples.Template).Templates[0].Definition;

        var again = TemplateYaml.Read(TemplateYaml.Write(original));

        Assert.True(again.Succeeded, string.Join("\n", again.Problems));
        Assert.Equal(original, again.Templates[0].Definition);
    }

    [Fact]
    public void Every_built_in_template_survives_export_and_import_unchanged()
    {
        var again = TemplateYaml.Read(TemplateYaml.WriteAll(BuiltInTemplates.All));

        Assert.True(again.Succeeded, string.Join("\n", again.Problems));
        Assert.Equal(BuiltInTemplates.All, again.Templates.Select(t => t.Definition));
    }

    [Fact]
    public void A_local_command_makes_an_rfb_template_and_env_values_keep_their_text()
    {
        var result = TemplateYaml.Read("""
            apiVersion: stream.space/v1alpha1
            kind: Template
            metadata:
              name: editor
            spec:
              displayName: Editor
              image: local/editor
              env:
                - name: LANG
                  value: C.UTF-8
                - name: DEBUG
                  value: "true"
              capabilities: [clipboard]
              localCommand: xterm -e vi
            """);

        var template = Assert.Single(result.Templates).Definition;
        Assert.Equal(StreamProtocol.Rfb, template.Protocol);
        Assert.Equal("xterm -e vi", template.LocalCommand);
        Assert.Equal([new TemplateEnvVar("LANG", "C.UTF-8"), new TemplateEnvVar("DEBUG", "true")], template.Env);
        Assert.Equal(TemplateCategories.Custom, template.Category);
        Assert.Empty(template.Ports);
    }

    [Theory]
    [InlineData("http", StreamProtocol.Http)]
    [InlineData("https", StreamProtocol.Http)]
    [InlineData("vnc", StreamProtocol.Rfb)]
    public void The_first_ports_name_says_how_the_template_is_streamed(string name, StreamProtocol protocol)
    {
        var result = TemplateYaml.Read(Readme().Replace("- name: vnc", $"- name: {name}", StringComparison.Ordinal)
            + "---\n" + Readme().Replace("name: my-app", "name: two-ports", StringComparison.Ordinal)
                .Replace("      containerPort: 3000", $"      containerPort: 3000\n    - name: metrics\n      containerPort: 9000", StringComparison.Ordinal)
                .Replace("- name: vnc", $"- name: {name}", StringComparison.Ordinal));

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.All(result.Templates, t => Assert.Equal(protocol, t.Definition.Protocol));
    }

    [Fact]
    public void Every_linuxserver_template_on_port_3000_streams_its_own_web_client()
    {
        var onPort3000 = BuiltInTemplates.All.Where(t => t.Port == 3000).ToList();

        Assert.NotEmpty(onPort3000);
        Assert.All(onPort3000, t => Assert.Equal(StreamProtocol.Http, t.Protocol));
        Assert.All(BuiltInTemplates.All.Where(t => t.LocalCommand is not null), t => Assert.Equal(StreamProtocol.Rfb, t.Protocol));
    }

    [Fact]
    public void Several_documents_in_one_text_are_read_in_order()
    {
        var text = ProductExamples.Template + "---\n" + ProductExamples.Template.Replace("name: my-app", "name: my-other-app", StringComparison.Ordinal);

        var result = TemplateYaml.Read(text);

        Assert.Equal(["my-app", "my-other-app"], result.Templates.Select(t => t.Definition.Name));
    }

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void A_malformed_document_is_refused_with_its_line_field_and_reason(string yaml, string expected)
    {
        var result = TemplateYaml.Read(yaml);

        Assert.Empty(result.Templates);
        Assert.Equal([expected], result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Every_problem_of_a_document_is_reported_and_no_template_is_returned()
    {
        var result = TemplateYaml.Read(Readme()
            .Replace("memory: 4Gi", "memory: 4Gb", StringComparison.Ordinal)
            .Replace("containerPort: 3000", "containerPort: 0", StringComparison.Ordinal));

        Assert.Empty(result.Templates);
        Assert.Equal(
            [
                "line 10: spec.defaultResources.memory: \"4Gb\" is not a size such as 512Mi or 2Gi",
                "line 14: spec.ports[0].containerPort: 0 is not a port number (1 to 65535)",
            ],
            result.Problems.Select(p => p.ToString()));
    }

    // Found by fuzzing (tests/Fuzz): YamlDotNet throws ArgumentException, which escaped Read, on a tag that is no URI and on an
    // anchor inside a plain scalar after an empty key.
    [Theory]
    [InlineData("!!str]")]
    [InlineData("!!str[&a]")]
    [InlineData("- : 1e3&a'1e3")]
    public void Text_that_YamlDotNet_refuses_with_an_argument_error_is_a_syntax_problem_on_a_line(string text)
    {
        var problem = Assert.Single(TemplateYaml.Read(text).Problems);

        Assert.Equal(1, problem.Line);
        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    // Found by the property tests (tests/Unit/Properties): written plain, these read back trimmed, folded or as no value.
    [Theory]
    [InlineData("\t")]
    [InlineData(" padded ")]
    [InlineData("two\r\nlines")]
    [InlineData("~")]
    public void A_display_name_and_description_that_plain_YAML_would_change_are_written_so_they_read_back_the_same(string text)
    {
        var original = BuiltInTemplates.All[0] with { DisplayName = text, Description = text };

        var again = TemplateYaml.Read(TemplateYaml.Write(original));

        Assert.True(again.Succeeded, string.Join("\n", again.Problems));
        Assert.Equal(original, again.Templates[0].Definition);
    }

    public static TheoryData<string, string> MalformedDocuments() => new()
    {
        {
            Readme().Replace("  image: myregistry/myapp:latest\n", "  image: myregistry/myapp:latest\n  imagePullPolicy: Always\n", StringComparison.Ordinal),
            "line 9: spec.imagePullPolicy: unknown field"
        },
        { Readme().Replace("memory: 4Gi", "memory: 4Gb", StringComparison.Ordinal), "line 10: spec.defaultResources.memory: \"4Gb\" is not a size such as 512Mi or 2Gi" },
        { Readme().Replace("cpu: 2000m", "cpu: fast", StringComparison.Ordinal), "line 11: spec.defaultResources.cpu: \"fast\" is not a CPU amount such as 500m or 2" },
        { Readme().Replace("  image: myregistry/myapp:latest\n", string.Empty, StringComparison.Ordinal), "line 6: spec.image: is required" },
        { Readme().Replace("containerPort: 3000", "containerPort: 70000", StringComparison.Ordinal), "line 14: spec.ports[0].containerPort: 70000 is not a port number (1 to 65535)" },
        { Readme().Replace("containerPort: 3000", "containerPort: http", StringComparison.Ordinal), "line 14: spec.ports[0].containerPort: http is not a port number (1 to 65535)" },
        {
            Readme().Replace("image: myregistry/myapp:latest", "image: MyRegistry/My App", StringComparison.Ordinal),
            "line 8: spec.image: \"MyRegistry/My App\" is not an image reference such as registry.example.com/team/app:1.2"
        },
        { Readme() + "---\n" + Readme(), "line 19: metadata.name: \"my-app\" appears more than once in this text" },
        { Readme().Replace("apiVersion: stream.space/v1alpha1", "apiVersion: stream.space/v1", StringComparison.Ordinal), "line 1: apiVersion: must be stream.space/v1alpha1, not \"stream.space/v1\"" },
        { Readme().Replace("kind: Template", "kind: Session", StringComparison.Ordinal), "line 2: kind: must be Template, not \"Session\"" },
        {
            Readme().Replace("name: my-app", "name: My_App", StringComparison.Ordinal),
            "line 4: metadata.name: \"My_App\" is not a valid name: use lowercase letters, digits and hyphens, starting with a letter, at most 63 characters"
        },
        {
            Readme().Replace("category: Custom", "category: Games", StringComparison.Ordinal),
            "line 7: spec.category: \"Games\" is not a category; use one of: Web Browsers, Development, Productivity, Media, Design, Desktop Environments, Gaming, Communication, Networking, Home Automation, Downloaders, Utilities, Security, Education, Science, Custom"
        },
        {
            Readme()[..Readme().IndexOf("  ports:", StringComparison.Ordinal)],
            "line 6: spec.ports: a template without spec.localCommand needs at least one port: the one its web client listens on"
        },
        {
            Readme().Replace("- name: vnc", "- name: Web UI", StringComparison.Ordinal),
            "line 13: spec.ports[0].name: \"Web UI\" is not a port name: use up to 15 lowercase letters, digits and hyphens, starting with a letter"
        },
        {
            Readme().Replace("- name: vnc", "- name: web", StringComparison.Ordinal),
            "line 13: spec.ports[0].name: \"web\" does not say how the port is streamed: name the first port vnc (RFB through the portal's gateway) or http (the app's own web client; https if it serves TLS)"
        },
        {
            Readme().Replace("- name: vnc", "- name: http", StringComparison.Ordinal) + "  localCommand: xterm\n",
            "line 13: spec.ports[0].name: \"http\" cannot stream a spec.localCommand, which runs next to its own VNC server: name the port vnc"
        },
        { Readme() + "  capabilities: [network, gpu]\n", "line 15: spec.capabilities: \"gpu\" is not a capability; use network, audio, clipboard" },
        {
            Readme().Replace("displayName: My Custom App", "displayName: My: Custom App", StringComparison.Ordinal),
            "line 6: YAML syntax error: While scanning a plain scalar value, found invalid mapping."
        },
        { Readme().Replace("displayName: My Custom App", "displayName: [My Custom App", StringComparison.Ordinal), "line 6: YAML syntax error: the text cannot be read past this line" },
        { Readme().Replace("  category: Custom\n", "  category: Custom\n  category: Other\n", StringComparison.Ordinal), "line 8: YAML syntax error: Duplicate key category" },
        { Readme().Replace("  displayName: My Custom App\n", string.Empty, StringComparison.Ordinal), "line 6: spec.displayName: is required" },
        { "- just\n- a list\n", "line 1: a Template document must be a mapping with apiVersion, kind, metadata and spec" },
        { "# nothing but a comment\n", "line 1: the text contains no Template document" },
        { Readme().Replace("  ports:", "  env:\n    - name: 1ST\n      value: x\n  ports:", StringComparison.Ordinal), "line 13: spec.env[0].name: \"1ST\" is not an environment variable name: use letters, digits and underscores, not starting with a digit" },
    };

    private static string Readme() => ProductExamples.Template.ReplaceLineEndings("\n");
}
