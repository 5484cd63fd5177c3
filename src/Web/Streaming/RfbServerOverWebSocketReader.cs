using System.Buffers;
using System.Buffers.Binary;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// The app's side of RFB carried in WebSocket messages, read only under a tier that refuses clipboard-out: its handshake
/// (version, security types, the VNC-auth challenge, the security result, ServerInit) passes as sent, then every message
/// goes through the gateway's <see cref="RfbServerMessageFilter"/>, which drops ServerCutText and the extended clipboard's
/// provide and refuses what it cannot measure. The browser's reader says which security type was chosen and which pixel
/// format it asked for.
/// </summary>
internal sealed class RfbServerOverWebSocketReader(Func<byte?> chosenSecurity)
{
    private const int VersionLength = 12;
    private const int ServerInitHeader = 24;

    private readonly List<byte> _pending = [];
    private Step _step = Step.Version;
    private int _needed = VersionLength;
    private bool _version38;
    private RfbServerMessageFilter? _filter;
    private RfbPixelFormat? _pixelFormat;

    private enum Step
    {
        Version,
        SecurityCount,
        SecurityTypes,
        AwaitingChoice,
        Challenge,
        SecurityResult,
        ServerInitHeader,
        ServerName,
        Messages,
        Failed,
    }

    /// <summary>The viewer's SetPixelFormat: later rectangles are measured with it.</summary>
    public void UsePixelFormat(RfbPixelFormat format)
    {
        _pixelFormat = format;
        _filter?.UsePixelFormat(format);
    }

    /// <exception cref="RfbProtocolException">A handshake or message the filter cannot follow.</exception>
    public void Read(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        while (_step is not (Step.Messages or Step.Failed) && !payload.IsEmpty)
        {
            if (_step == Step.AwaitingChoice)
            {
                Choose();
                continue;
            }

            var take = Math.Min(_needed - _pending.Count, payload.Length);
            output.Write(payload[..take]);
            foreach (var b in payload[..take])
            {
                _pending.Add(b);
            }

            payload = payload[take..];
            if (_pending.Count == _needed)
            {
                Advance([.. _pending]);
            }
        }

        if (payload.IsEmpty)
        {
            return;
        }

        if (_step == Step.Failed)
        {
            // The app refused the browser and closes; its reason passes as sent.
            output.Write(payload);
            return;
        }

        var target = output.GetSpan(payload.Length + RfbServerMessageFilter.MaxHeld);
        var written = _filter!.Filter(payload, target);
        output.Advance(written);
    }

    private void Advance(byte[] field)
    {
        _pending.Clear();
        switch (_step)
        {
            case Step.Version:
                if (!field.AsSpan(0, 8).SequenceEqual("RFB 003."u8) || field.AsSpan(8, 3).SequenceEqual("003"u8))
                {
                    throw new RfbProtocolException("The app does not speak RFB 3.7 or later.");
                }

                _version38 = !field.AsSpan(8, 3).SequenceEqual("007"u8);
                Next(Step.SecurityCount, 1);
                break;
            case Step.SecurityCount:
                if (field[0] == 0)
                {
                    _step = Step.Failed;
                    break;
                }

                Next(Step.SecurityTypes, field[0]);
                break;
            case Step.SecurityTypes:
                Next(Step.AwaitingChoice, 0);
                break;
            case Step.Challenge:
                Next(Step.SecurityResult, 4);
                break;
            case Step.SecurityResult:
                if (BinaryPrimitives.ReadUInt32BigEndian(field) != 0)
                {
                    _step = Step.Failed;
                    break;
                }

                Next(Step.ServerInitHeader, ServerInitHeader);
                break;
            case Step.ServerInitHeader:
                _filter = new RfbServerMessageFilter(_pixelFormat ?? RfbPixelFormat.Read(field.AsSpan(4)));
                var nameLength = BinaryPrimitives.ReadUInt32BigEndian(field.AsSpan(20));
                if (nameLength > 4096)
                {
                    throw new RfbProtocolException($"A desktop name of {nameLength} bytes.");
                }

                if (nameLength == 0)
                {
                    _step = Step.Messages;
                    break;
                }

                Next(Step.ServerName, (int)nameLength);
                break;
            case Step.ServerName:
                _step = Step.Messages;
                break;
        }
    }

    /// <summary>What follows the types depends on the browser's choice; the app sends it only once the choice has gone through.</summary>
    private void Choose()
    {
        switch (chosenSecurity())
        {
            case 1 when _version38:
                Next(Step.SecurityResult, 4);
                break;
            case 1:
                Next(Step.ServerInitHeader, ServerInitHeader);
                break;
            case 2:
                Next(Step.Challenge, 16);
                break;
            case var other:
                throw new RfbProtocolException($"The app went on before the browser chose a security type the proxy follows ({other}).");
        }
    }

    private void Next(Step step, int needed)
    {
        _step = step;
        _needed = needed;
    }
}
