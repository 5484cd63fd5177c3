using System.Buffers;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// The browser's side of RFB carried in WebSocket messages (noVNC, KasmVNC's client): the handshake it sends (version,
/// chosen security type, a VNC-auth response, ClientInit), then the messages <see cref="RfbClientMessageFramer"/> cuts,
/// which also drops clipboard the tier refuses. RFB is a byte stream, so a message may straddle WebSocket messages;
/// what goes on is re-chunked accordingly.
/// </summary>
internal sealed class RfbOverWebSocketReader(StreamPolicy policy, Action<RfbPixelFormat>? onPixelFormat = null) : IDisposable
{
    private const int VersionLength = 12;
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;
    private const int VncAuthResponseLength = 16;

    private readonly RfbClientMessageFramer _framer = new(policy);
    private readonly byte[] _version = new byte[VersionLength];
    private int _handshakeSeen;
    private int _handshakeLength = VersionLength + 1;
    private volatile int _securityType;

    /// <summary>The security type the browser chose, once it has (read by the app's side on its own thread).</summary>
    public byte? SecurityType => _securityType == 0 ? null : (byte)_securityType;

    /// <summary>Reads one message's payload, writing to <paramref name="kept"/> the bytes that go on; returns whether it carried input.</summary>
    /// <exception cref="RfbProtocolException">A handshake or a message this reader cannot follow.</exception>
    public bool Read(ReadOnlySpan<byte> payload, IBufferWriter<byte> kept)
    {
        var input = false;
        while (_handshakeSeen < _handshakeLength && !payload.IsEmpty)
        {
            var b = payload[0];
            if (_handshakeSeen < VersionLength)
            {
                _version[_handshakeSeen] = b;
                if (_handshakeSeen == VersionLength - 1 && !IsVersion37OrLater())
                {
                    throw new RfbProtocolException("An RFB 3.3 client, or not an RFB version: the security exchange cannot be followed.");
                }
            }
            else if (_handshakeSeen == VersionLength)
            {
                _handshakeLength = b switch
                {
                    SecurityNone => VersionLength + 1 + 1,
                    SecurityVncAuth => VersionLength + 1 + VncAuthResponseLength + 1,
                    _ => throw new RfbProtocolException($"Security type {b} cannot be followed by the proxy."),
                };
                _securityType = b;
            }

            kept.Write([b]);
            payload = payload[1..];
            _handshakeSeen++;
        }

        while (_framer.TryRead(ref payload, out var message))
        {
            if (message.IsForwarded)
            {
                kept.Write(message.Bytes);
                input |= message.IsInput;
                if (message.Type == RfbClientMessageType.SetPixelFormat)
                {
                    onPixelFormat?.Invoke(RfbPixelFormat.Read(message.Bytes[4..]));
                }
            }
        }

        return input;
    }

    public void Dispose() => _framer.Dispose();

    private bool IsVersion37OrLater() =>
        _version.AsSpan(0, 8).SequenceEqual("RFB 003."u8) && _version[11] == (byte)'\n'
        && !_version.AsSpan(8, 3).SequenceEqual("003"u8);
}
