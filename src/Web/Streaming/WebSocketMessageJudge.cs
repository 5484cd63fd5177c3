using System.Buffers;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// Decides on a message from its unmasked payload so far. Must not answer <see cref="WebSocketVerdict.Hold"/> when the
/// message is <paramref name="complete"/> or <paramref name="atLimit"/>; writes the new payload to
/// <paramref name="replacement"/> when it answers <see cref="WebSocketVerdict.Replace"/>.
/// </summary>
internal delegate WebSocketVerdict WebSocketMessageJudge(
    WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool complete, bool atLimit, IBufferWriter<byte> replacement);
