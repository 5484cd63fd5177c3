namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>Where sessions run (<c>Runtime:Kind</c>).</summary>
public enum RuntimeKind
{
    /// <summary>Bubblewrap sandboxes on this machine (the embedded default).</summary>
    Local,

    /// <summary>A Deployment per session in the tenant's namespace.</summary>
    Kubernetes,
}
