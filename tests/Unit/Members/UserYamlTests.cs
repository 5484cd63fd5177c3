using StreamSpace.Domain.Quotas;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Members;

public sealed class UserYamlTests
{
    [Fact]
    public void The_readme_example_reads_as_johns_tier_and_four_overrides()
    {
        var user = Assert.Single(UserYaml.Read(ProductExamples.User).Users);

        Assert.Equal("john", user.Name);
        Assert.Equal("pro", user.Tier);
        Assert.Equal(new QuotaOverrides(16L << 30, 5, 100L << 30, TimeSpan.FromHours(8)), user.Overrides);
    }

    [Fact]
    public void A_written_document_reads_back_to_the_same_member()
    {
        var overrides = new QuotaOverrides(512L << 20, null, null, TimeSpan.FromMinutes(90));

        var user = Assert.Single(UserYaml.Read(UserYaml.Write("mia", "free", overrides)).Users);

        Assert.Equal(("mia", "free", overrides), (user.Name, user.Tier, user.Overrides));
    }

    [Fact]
    public void Without_overrides_the_document_has_no_quotas_section()
    {
        Assert.DoesNotContain("quotas", UserYaml.Write("mia", "free", QuotaOverrides.None), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind: User", "kind: Template", "line 2: kind: must be User, not \"Template\"")]
    [InlineData("    memory: 16Gi", "    memory: 16G1", "line 8: spec.quotas.memory: \"16G1\" is not a size such as 512Mi or 16Gi")]
    [InlineData("    maxSessions: 5", "    maxSessions: -5", "line 9: spec.quotas.maxSessions: \"-5\" is not a whole number of sessions from 0 to 1000")]
    [InlineData("    storage: 100Gi", "    storage: 0", "line 10: spec.quotas.storage: \"0\" is not a size such as 10Gi or 100Gi")]
    [InlineData("    maxSessionDuration: 8h", "    maxSessionDuration: 8", "line 11: spec.quotas.maxSessionDuration: \"8\" is not a duration such as 30m or 8h")]
    [InlineData("    storage: 100Gi", "    disk: 100Gi", "line 10: spec.quotas.disk: unknown field")]
    public void Each_problem_names_its_line_and_field(string line, string replacement, string problem)
    {
        var result = UserYaml.Read(ProductExamples.User.Replace(line, replacement, StringComparison.Ordinal));

        Assert.Empty(result.Users);
        Assert.Contains(problem, result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Text_that_is_not_yaml_is_a_syntax_problem_with_its_line()
    {
        var problem = Assert.Single(UserYaml.Read("kind: User\nspec: [unclosed\n").Problems);

        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing (tests/Fuzz): YamlDotNet's ArgumentException escaped Read.
    [Theory]
    [InlineData("!!str]")]
    [InlineData("- : 1e3&a'1e3")]
    public void Text_that_YamlDotNet_refuses_with_an_argument_error_is_a_syntax_problem_on_a_line(string text)
    {
        var problem = Assert.Single(UserYaml.Read(text).Problems);

        Assert.Equal(1, problem.Line);
        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    // Found by the property tests (tests/Unit/Properties): written plain, these read back trimmed, folded or as no value.
    [Theory]
    [InlineData("\t", " pro ")]
    [InlineData("a\r\nb", "~")]
    public void A_name_and_tier_that_plain_YAML_would_change_are_written_so_they_read_back_the_same(string name, string tier)
    {
        var user = Assert.Single(UserYaml.Read(UserYaml.Write(name, tier, QuotaOverrides.None)).Users);

        Assert.Equal((name, tier), (user.Name, user.Tier));
    }
}
