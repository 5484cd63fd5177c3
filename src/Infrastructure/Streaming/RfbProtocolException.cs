namespace StreamSpace.Infrastructure.Streaming;

/// <summary>A peer broke the RFB protocol or refused the handshake; it ends that one stream only.</summary>
public sealed class RfbProtocolException : Exception
{
    public RfbProtocolException()
    {
    }

    public RfbProtocolException(string message)
        : base(message)
    {
    }

    public RfbProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
