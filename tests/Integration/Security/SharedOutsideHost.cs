namespace StreamSpace.Tests.Integration.Security;

/// <summary>One outside host for every network test: two would claim the same addresses on this host.</summary>
[CollectionDefinition(Name)]
public sealed class SharedOutsideHost : ICollectionFixture<OutsideHost>
{
    public const string Name = "Outside host";
}
