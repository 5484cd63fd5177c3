namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>A session sandbox did not come up; the message says why in words the session's failure reason can show.</summary>
public sealed class SandboxStartException : Exception
{
    public SandboxStartException()
    {
    }

    public SandboxStartException(string message)
        : base(message)
    {
    }

    public SandboxStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
