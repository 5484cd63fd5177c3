namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>Where sessions run (<c>Runtime:Kind</c>).</summary>
public enum RuntimeKind
{
    /// <summary>This machine (the embedded default): host apps in bubblewrap sandboxes, images under Docker or Podman.</summary>
    Local,

    /// <summary>A Deployment per session in the tenant's namespace.</summary>
    Kubernetes,
}
