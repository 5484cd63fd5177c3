using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Containers;

namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>
/// Which runtime a template's sessions get on this installation, or why it cannot run here. On Kubernetes every template
/// runs its image in the tenant's namespace; on one machine a host app (<c>localCommand</c>) runs in a bubblewrap sandbox and
/// every other template runs its image under Docker or Podman, when there is one.
/// </summary>
public sealed class SessionPlacement(IOptions<RuntimeOptions> runtime, ContainerEngine engine)
{
    public Placement For(bool hasLocalCommand)
    {
        if (runtime.Value.Kind == RuntimeKind.Kubernetes)
        {
            return new Placement(SessionRuntimeKind.Kubernetes, null);
        }

        if (hasLocalCommand)
        {
            return new Placement(SessionRuntimeKind.Sandbox, null);
        }

        return engine.IsConfigured
            ? new Placement(SessionRuntimeKind.Container, null)
            : new Placement(null, ContainerEngine.Missing);
    }
}
