using CsCheck;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class UserYamlProperties
{
    private static readonly Gen<QuotaOverrides> Overrides = Gen.Select(
        Gen.Long[1, QuantityLimits.MaxMemoryBytes].Nullable(),
        Gen.Int[0, QuantityLimits.MaxSessions].Nullable(),
        Gen.Long[1, QuantityLimits.MaxStorageBytes].Nullable(),
        Gen.Long[1, (long)QuantityLimits.MaxDuration.TotalSeconds].Select(TimeSpan.FromSeconds).Nullable(),
        (memory, sessions, storage, duration) => new QuotaOverrides(memory, sessions, storage, duration));

    [Fact]
    public void A_written_member_reads_back_with_the_same_name_tier_and_overrides()
    {
        Gen.Select(YamlTexts.NonEmptyText, YamlTexts.NonEmptyText, Overrides).Sample((name, tier, overrides) =>
        {
            var text = UserYaml.Write(name, tier, overrides);

            var read = UserYaml.Read(text);

            Assert.True(read.Succeeded, string.Join("\n", read.Problems) + "\n" + text);
            var user = Assert.Single(read.Users);
            Assert.Equal((name, tier, overrides), (user.Name, user.Tier, user.Overrides));
        }, iter: 500);
    }

    [Fact]
    public void A_damaged_document_reads_as_members_or_as_problems_that_each_name_a_line_never_as_an_exception()
    {
        var documents = Gen.Select(YamlTexts.NonEmptyText, Gen.OneOf("free", "pro"), Overrides, (name, tier, overrides) => UserYaml.Write(name, tier, overrides))
            .Array[1, 3].Select(UserYaml.WriteAll);
        YamlTexts.Damaged(Gen.OneOf(documents, Gen.Const(ProductExamples.User))).Sample(text => AssertReadsAsResult(text, UserYaml.Read(text)), iter: 1000);
    }

    [Fact]
    public void Any_text_reads_as_members_or_as_problems_that_each_name_a_line()
    {
        YamlTexts.Text.Array[0, 12].Select(pieces => string.Join("\n", pieces)).Sample(text => AssertReadsAsResult(text, UserYaml.Read(text)), iter: 1000);
    }

    private static void AssertReadsAsResult(string text, UserReadResult result)
    {
        Assert.Equal(result.Succeeded, result.Users.Count > 0);
        TemplateYamlProperties.AssertProblemsNameLines(text, result.Problems);
    }
}
