namespace StreamSpace.Infrastructure.Runtimes.Containers;

/// <summary>A session's container did not come up; the message says why in words the session's failure reason can show.</summary>
public sealed class ContainerStartException : Exception
{
    public ContainerStartException()
    {
    }

    public ContainerStartException(string message)
        : base(message)
    {
    }

    public ContainerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
