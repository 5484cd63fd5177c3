using System.Buffers;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// Reads one WebSocket between the browser and an <c>http</c> session's app, both ways, to tell real input from an open
/// tab and to apply the tier's clipboard rules. The browser's first message says which protocol it speaks: a Selkies
/// message (<see cref="SelkiesMessage"/>), RFB (<see cref="RfbOverWebSocketReader"/>), or anything else, for which every
/// message counts as input (the template's page says so). Selkies' clipboard rules apply to every connection that is not
/// RFB, so a client cannot escape them by opening with an unknown message.
/// </summary>
internal sealed class AppSocketInspector : IDisposable
{
    private readonly StreamPolicy _policy;
    private readonly Action _onInput;
    private readonly ArrayBufferWriter<byte> _kept = new();
    private RfbOverWebSocketReader? _rfb;
    private RfbServerOverWebSocketReader? _rfbFromApp;
    private bool _appSpoke;

    public AppSocketInspector(StreamPolicy policy, Action onInput)
    {
        _policy = policy;
        _onInput = onInput;
        FromBrowser = new WebSocketMessageFilter(JudgeFromBrowser);
        FromApp = new WebSocketMessageFilter(JudgeFromApp, RewriteFromApp);
    }

    private volatile AppProtocol _protocol = AppProtocol.Undetermined;

    /// <summary>Set by the browser's first message; read by both directions, each on its own thread.</summary>
    public AppProtocol Protocol
    {
        get => _protocol;
        private set => _protocol = value;
    }

    /// <summary>Browser → app.</summary>
    public WebSocketMessageFilter FromBrowser { get; }

    /// <summary>App → browser.</summary>
    public WebSocketMessageFilter FromApp { get; }

    private void RewriteFromApp(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        try
        {
            _rfbFromApp!.Read(payload, output);
        }
        catch (RfbProtocolException exception)
        {
            throw new WebSocketFilterException("The app's RFB stream cannot be read for its clipboard: " + exception.Message, exception);
        }
    }

    public void Dispose()
    {
        _rfb?.Dispose();
        _rfb = null;
    }

    private WebSocketVerdict JudgeFromBrowser(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool complete, bool atLimit, IBufferWriter<byte> replacement)
    {
        if (Protocol == AppProtocol.Undetermined)
        {
            if (!complete && !atLimit && payload.Length < 64)
            {
                return WebSocketVerdict.Hold;
            }

            Protocol = opcode == WebSocketOpcode.Binary && payload.StartsWith("RFB 00"u8) ? AppProtocol.Rfb
                : opcode == WebSocketOpcode.Text && SelkiesMessage.IsKnown(SelkiesMessage.Type(payload)) ? AppProtocol.Selkies
                : AppProtocol.Unknown;
            if (Protocol == AppProtocol.Rfb)
            {
                // Without clipboard-out the framer also keeps SetEncodings to what the app's side can measure.
                _rfb = new RfbOverWebSocketReader(_policy, format => _rfbFromApp?.UsePixelFormat(format));
            }
        }

        return Protocol == AppProtocol.Rfb
            ? JudgeRfb(payload, complete, replacement)
            : JudgeSelkies(opcode, payload, complete, atLimit);
    }

    private WebSocketVerdict JudgeRfb(ReadOnlySpan<byte> payload, bool complete, IBufferWriter<byte> replacement)
    {
        if (!complete)
        {
            return payload.Length < WebSocketMessageFilter.DefaultHoldLimit
                ? WebSocketVerdict.Hold
                : throw new WebSocketFilterException("An RFB message larger than the proxy holds; its clipboard could not be checked.");
        }

        _kept.ResetWrittenCount();
        bool input;
        try
        {
            input = _rfb!.Read(payload, _kept);
        }
        catch (RfbProtocolException exception)
        {
            // Without framing, neither input nor clipboard can be told apart: end the connection rather than let clipboard through.
            throw new WebSocketFilterException("The proxy lost track of the RFB stream: " + exception.Message, exception);
        }

        if (input)
        {
            _onInput();
        }

        if (_kept.WrittenSpan.SequenceEqual(payload))
        {
            return WebSocketVerdict.Forward;
        }

        if (_kept.WrittenCount == 0)
        {
            return WebSocketVerdict.Drop;
        }

        replacement.Write(_kept.WrittenSpan);
        return WebSocketVerdict.Replace;
    }

    private WebSocketVerdict JudgeSelkies(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool complete, bool atLimit)
    {
        if (opcode == WebSocketOpcode.Binary && payload.Length > 0 && payload[0] == SelkiesMessage.GzipTag)
        {
            if (!complete && !atLimit)
            {
                return WebSocketVerdict.Hold;
            }

            // Too large to inflate here: judged by its tag, which carries large clipboard writes.
            var inflated = complete ? SelkiesMessage.Inflate(payload) : null;
            if (inflated is null)
            {
                return Counted(_policy.ClipboardIn ? WebSocketVerdict.Forward : WebSocketVerdict.Drop, input: Protocol == AppProtocol.Unknown);
            }

            return JudgeSelkiesText(SelkiesMessage.Type(inflated), inflated);
        }

        if (opcode == WebSocketOpcode.Text)
        {
            // The type is the first field; 64 bytes hold every known one, so a long message is judged without waiting for all of it.
            var comma = payload.IndexOf((byte)',');
            if (comma < 0 && !complete && !atLimit && payload.Length < 64)
            {
                return WebSocketVerdict.Hold;
            }

            return JudgeSelkiesText(SelkiesMessage.Type(payload), payload);
        }

        if (payload.IsEmpty && !complete && !atLimit)
        {
            return WebSocketVerdict.Hold;
        }

        return Counted(WebSocketVerdict.Forward, input: Protocol == AppProtocol.Unknown);
    }

    private WebSocketVerdict JudgeSelkiesText(string type, ReadOnlySpan<byte> text)
    {
        if (SelkiesMessage.IsClipboardIn(type) && !_policy.ClipboardIn)
        {
            return WebSocketVerdict.Drop;
        }

        return Counted(WebSocketVerdict.Forward, input: Protocol == AppProtocol.Unknown || SelkiesMessage.IsInput(type, text));
    }

    private WebSocketVerdict Counted(WebSocketVerdict verdict, bool input)
    {
        if (input)
        {
            _onInput();
        }

        return verdict;
    }

    private WebSocketVerdict JudgeFromApp(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool complete, bool atLimit, IBufferWriter<byte> replacement)
    {
        if (_policy.ClipboardOut)
        {
            return WebSocketVerdict.Forward;
        }

        // An RFB app speaks first (its version); from then on its byte stream goes through the gateway's clipboard-out filter.
        if (_rfbFromApp is null && !_appSpoke)
        {
            if (payload.Length < 6 && !complete && !atLimit)
            {
                return WebSocketVerdict.Hold;
            }

            _appSpoke = true;
            if (opcode == WebSocketOpcode.Binary && payload.StartsWith("RFB 00"u8))
            {
                _rfbFromApp = new RfbServerOverWebSocketReader(() => _rfb?.SecurityType);
            }
        }

        if (_rfbFromApp is not null)
        {
            return WebSocketVerdict.Rewrite;
        }

        if (opcode == WebSocketOpcode.Binary)
        {
            if (payload.IsEmpty && !complete && !atLimit)
            {
                return WebSocketVerdict.Hold;
            }

            if (payload.IsEmpty || payload[0] != SelkiesMessage.GzipTag)
            {
                return WebSocketVerdict.Forward;
            }

            if (!complete && !atLimit)
            {
                return WebSocketVerdict.Hold;
            }

            var inflated = complete ? SelkiesMessage.Inflate(payload) : null;
            return inflated is null || SelkiesMessage.IsClipboardOut(SelkiesMessage.Type(inflated)) ? WebSocketVerdict.Drop : WebSocketVerdict.Forward;
        }

        if (payload.IndexOf((byte)',') < 0 && !complete && !atLimit && payload.Length < 64)
        {
            return WebSocketVerdict.Hold;
        }

        return SelkiesMessage.IsClipboardOut(SelkiesMessage.Type(payload)) ? WebSocketVerdict.Drop : WebSocketVerdict.Forward;
    }
}
