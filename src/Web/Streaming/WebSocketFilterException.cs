namespace StreamSpace.Web.Streaming;

/// <summary>A WebSocket frame the proxy will not relay because it cannot read it; the connection ends.</summary>
public sealed class WebSocketFilterException : IOException
{
    public WebSocketFilterException()
    {
    }

    public WebSocketFilterException(string message)
        : base(message)
    {
    }

    public WebSocketFilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
