using Xunit;
using StreamSpace.Infrastructure.Runtimes.Containers;

namespace StreamSpace.Tests.Support;

/// <summary>
/// A test that needs a real Docker or Podman engine: <c>make test</c> starts Podman's API service and sets CONTAINER_HOST, so
/// these run there; they skip, saying how to run them, only where no engine can be had.
/// </summary>
public sealed class ContainerEngineFactAttribute : FactAttribute
{
    public ContainerEngineFactAttribute()
    {
        if (ContainerEngine.Resolve(null, Environment.GetEnvironmentVariable, File.Exists) is null)
        {
            Skip = "Needs Docker or Podman: run make test (it starts Podman's API service), or set CONTAINER_HOST to an engine's socket and build the test images with scripts/test-images.sh.";
        }
    }
}
