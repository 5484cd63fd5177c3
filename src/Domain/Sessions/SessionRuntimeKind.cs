namespace StreamSpace.Domain.Sessions;

/// <summary>
/// Which runtime runs a session, recorded on the session when it is launched so Resume, Hibernate and drift repair ask the
/// same runtime that started it, whatever the template says later.
/// </summary>
public enum SessionRuntimeKind
{
    /// <summary>A host app (the template's <c>localCommand</c>) in a bubblewrap sandbox on this machine.</summary>
    Sandbox,

    /// <summary>The template's image as a container under Docker or Podman on this machine.</summary>
    Container,

    /// <summary>The template's image as a Deployment in the tenant's namespace.</summary>
    Kubernetes,
}
