namespace StreamSpace.Web.Streaming;

/// <summary>A WebSocket frame's opcode (RFC 6455 §5.2).</summary>
internal enum WebSocketOpcode
{
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10,
}
