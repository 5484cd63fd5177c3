using System.Buffers;

namespace StreamSpace.Web.Streaming;

/// <summary>Rewrites one part of a message's unmasked payload, writing what goes on in its place to <paramref name="output"/>.</summary>
internal delegate void WebSocketPayloadRewrite(ReadOnlySpan<byte> payload, IBufferWriter<byte> output);
