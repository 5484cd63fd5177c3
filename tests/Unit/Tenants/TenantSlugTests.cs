using StreamSpace.Domain.Tenants;

namespace StreamSpace.Tests.Unit.Tenants;

public sealed class TenantSlugTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme-corp")]
    [InlineData("a1b")]
    [InlineData("team42")]
    public void A_dns_label_is_a_valid_tenant_id(string slug) => Assert.Null(TenantSlug.Validate(slug));

    [Theory]
    [InlineData("", "Choose")]
    [InlineData("ab", "3 to 40")]
    [InlineData("Acme", "lowercase")]
    [InlineData("acme_corp", "lowercase")]
    [InlineData("-acme", "lowercase")]
    [InlineData("acme-", "lowercase")]
    [InlineData("1acme", "lowercase")]
    [InlineData("ac..me", "lowercase")]
    [InlineData("ac--me", "two hyphens")]
    [InlineData("www", "reserved")]
    [InlineData("api", "reserved")]
    [InlineData("admin", "reserved")]
    [InlineData("platform", "reserved")]
    [InlineData("kube-system", "reserved")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx", "3 to 40")]
    public void An_unusable_tenant_id_is_refused_with_a_reason(string slug, string reason)
    {
        var problem = TenantSlug.Validate(slug);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_a_tenant_with_a_reserved_id_throws() =>
        Assert.Throws<StreamSpace.Domain.Common.DomainException>(() => Tenant.Create("www", "World Wide", DateTimeOffset.UnixEpoch));
}
