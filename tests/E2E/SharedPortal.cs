namespace StreamSpace.Tests.E2E;

[CollectionDefinition(Name)]
public sealed class SharedPortal : ICollectionFixture<RunningPortal>
{
    public const string Name = "portal";
}
