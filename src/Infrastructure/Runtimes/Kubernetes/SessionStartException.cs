namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>A session's pod will not become ready; the message says why in words the member can act on.</summary>
public sealed class SessionStartException : Exception
{
    public SessionStartException()
    {
    }

    public SessionStartException(string message)
        : base(message)
    {
    }

    public SessionStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
