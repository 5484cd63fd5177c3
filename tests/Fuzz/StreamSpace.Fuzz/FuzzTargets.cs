using System.Buffers;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Fuzz;

/// <summary>
/// One entry point per parser. Each lets through only the exception its parser documents for bad input, and checks what the
/// parser promises beyond not crashing (the same result however the bytes are chunked; a problem names a line); a broken
/// promise throws <see cref="FuzzFindingException"/>, which AFL++ saves as a crash.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["rfb-framer"] = RfbFramer,
        ["rfb-websocket"] = RfbOverWebSocket,
        ["app-socket"] = AppSocket,
        ["template-yaml"] = TemplateYamlText,
        ["user-yaml"] = UserYamlText,
    };

    /// <summary>Byte 0: bit 0 clipboard-in, bit 1 clipboard-out, bits 2–7 the chunk size; the rest is the viewer's stream.</summary>
    private static void RfbFramer(byte[] data)
    {
        if (data.Length < 1)
        {
            return;
        }

        var policy = new StreamPolicy(ClipboardIn: (data[0] & 1) != 0, ClipboardOut: (data[0] & 2) != 0);
        var stream = data.AsSpan(1);
        var whole = Frame(policy, stream, stream.Length);
        var chunked = Frame(policy, stream, 1 + (data[0] >> 2));
        if (whole != chunked)
        {
            throw new FuzzFindingException($"Framed whole: {whole}; framed in chunks of {1 + (data[0] >> 2)}: {chunked}");
        }
    }

    private static string Frame(StreamPolicy policy, ReadOnlySpan<byte> stream, int chunk)
    {
        using var framer = new RfbClientMessageFramer(policy);
        var framed = new System.Text.StringBuilder();
        try
        {
            for (var offset = 0; offset < stream.Length; offset += chunk)
            {
                var input = stream.Slice(offset, Math.Min(chunk, stream.Length - offset));
                while (framer.TryRead(ref input, out var message))
                {
                    framed.Append(System.Globalization.CultureInfo.InvariantCulture, $"{message.Type}/{message.Length}/{message.IsForwarded}/{Convert.ToHexString(message.Bytes)} ");
                }
            }
        }
        catch (RfbProtocolException)
        {
            framed.Append("refused");
        }

        return framed.ToString();
    }

    /// <summary>Byte 0 as for rfb-framer; the rest is what the browser sends, handshake first, cut into WebSocket messages.</summary>
    private static void RfbOverWebSocket(byte[] data)
    {
        if (data.Length < 1)
        {
            return;
        }

        var policy = new StreamPolicy(ClipboardIn: (data[0] & 1) != 0, ClipboardOut: (data[0] & 2) != 0);
        var stream = data.AsSpan(1);
        var whole = ReadRfb(policy, stream, stream.Length);
        var chunked = ReadRfb(policy, stream, 1 + (data[0] >> 2));
        if (whole != chunked)
        {
            throw new FuzzFindingException($"Read whole: {whole}; read in messages of {1 + (data[0] >> 2)} bytes: {chunked}");
        }
    }

    private static string ReadRfb(StreamPolicy policy, ReadOnlySpan<byte> stream, int chunk)
    {
        using var reader = new RfbOverWebSocketReader(policy, _ => { });
        var kept = new ArrayBufferWriter<byte>();
        var refused = false;
        try
        {
            for (var offset = 0; offset < stream.Length; offset += chunk)
            {
                reader.Read(stream.Slice(offset, Math.Min(chunk, stream.Length - offset)), kept);
            }
        }
        catch (RfbProtocolException)
        {
            refused = true;
        }

        // Refused: what went on before the refusal depends on where the messages were cut, the refusal itself must not.
        return refused ? "refused" : Convert.ToHexString(kept.WrittenSpan);
    }

    /// <summary>
    /// Byte 0: bit 0 clipboard-in, bit 1 clipboard-out, bit 2 the app's direction instead of the browser's. Then frames, each
    /// a byte (bit 7 FIN, bits 0–3 the opcode), a length byte and that many payload bytes, sent masked as a browser sends them.
    /// </summary>
    private static void AppSocket(byte[] data)
    {
        if (data.Length < 1)
        {
            return;
        }

        var policy = new StreamPolicy(ClipboardIn: (data[0] & 1) != 0, ClipboardOut: (data[0] & 2) != 0);
        var frames = new ArrayBufferWriter<byte>();
        for (var offset = 1; offset + 2 <= data.Length;)
        {
            var head = data[offset];
            var length = Math.Min(data[offset + 1], data.Length - offset - 2);
            WriteFrame(frames, head, data.AsSpan(offset + 2, length), masked: (data[0] & 4) == 0);
            offset += 2 + length;
        }

        using var inspector = new AppSocketInspector(policy, () => { });
        var filter = (data[0] & 4) == 0 ? inspector.FromBrowser : inspector.FromApp;
        var output = new ArrayBufferWriter<byte>();
        try
        {
            filter.Process(frames.WrittenSpan, output);
        }
        catch (WebSocketFilterException)
        {
            // The documented refusal: the proxy closes the connection.
        }
    }

    private static void WriteFrame(ArrayBufferWriter<byte> frames, byte head, ReadOnlySpan<byte> payload, bool masked)
    {
        byte[] mask = [0x37, 0xfa, 0x21, 0x3d];
        frames.Write([(byte)(head & 0x8f), (byte)((masked ? 0x80 : 0) | payload.Length)]);
        if (!masked)
        {
            frames.Write(payload);
            return;
        }

        frames.Write(mask);
        var span = frames.GetSpan(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            span[i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        frames.Advance(payload.Length);
    }

    private static void TemplateYamlText(byte[] data)
    {
        var text = System.Text.Encoding.UTF8.GetString(data);
        var result = TemplateYaml.Read(text);
        CheckProblems(text, result.Succeeded, result.Templates.Count, result.Problems);
    }

    private static void UserYamlText(byte[] data)
    {
        var text = System.Text.Encoding.UTF8.GetString(data);
        var result = UserYaml.Read(text);
        CheckProblems(text, result.Succeeded, result.Users.Count, result.Problems);
    }

    /// <summary>Either documents and no problem, or no documents and problems that each name a line of the text.</summary>
    private static void CheckProblems(string text, bool succeeded, int documents, IReadOnlyList<TemplateProblem> problems)
    {
        if (succeeded != (documents > 0) || succeeded == (problems.Count > 0))
        {
            throw new FuzzFindingException($"{documents} documents and {problems.Count} problems");
        }

        // Lines as YAML counts them: CR, LF and CR LF end a line, and so do NEL, LS and PS.
        var lines = 1 + text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029');
        foreach (var problem in problems)
        {
            if (problem.Line < 1 || problem.Line > lines + 1 || string.IsNullOrWhiteSpace(problem.Message))
            {
                throw new FuzzFindingException($"A problem that names no line of the {lines}: {problem}");
            }
        }
    }
}
