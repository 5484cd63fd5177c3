namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class RfbRefusedException : Exception
{
    public RfbRefusedException()
    {
    }

    public RfbRefusedException(string message)
        : base(message)
    {
    }

    public RfbRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
