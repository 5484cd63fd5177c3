using System.Buffers;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// The browser's side of a proxied WebSocket: what the proxy reads from it is what <see cref="AppSocketInspector.FromBrowser"/>
/// lets through, what it writes to it what <see cref="AppSocketInspector.FromApp"/> lets through.
/// </summary>
internal sealed class InspectedStream(Stream inner, AppSocketInspector inspector) : Stream
{
    private readonly byte[] _scratch = new byte[16 * 1024];
    private readonly ArrayBufferWriter<byte> _readable = new();
    private readonly ArrayBufferWriter<byte> _writable = new();
    private int _readOffset;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Held or dropped bytes leave nothing to return; 0 would mean the end of the stream, so read on.
        while (_readable.WrittenCount == _readOffset)
        {
            _readable.ResetWrittenCount();
            _readOffset = 0;
            var read = await inner.ReadAsync(_scratch, cancellationToken);
            if (read == 0)
            {
                return 0;
            }

            inspector.FromBrowser.Process(_scratch.AsSpan(0, read), _readable);
        }

        return TakeReadable(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_readable.WrittenCount == _readOffset)
        {
            _readable.ResetWrittenCount();
            _readOffset = 0;
            var read = inner.Read(_scratch, 0, _scratch.Length);
            if (read == 0)
            {
                return 0;
            }

            inspector.FromBrowser.Process(_scratch.AsSpan(0, read), _readable);
        }

        return TakeReadable(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _writable.ResetWrittenCount();
        inspector.FromApp.Process(buffer.Span, _writable);
        if (_writable.WrittenCount > 0)
        {
            await inner.WriteAsync(_writable.WrittenMemory, cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _writable.ResetWrittenCount();
        inspector.FromApp.Process(buffer.AsSpan(offset, count), _writable);
        if (_writable.WrittenCount > 0)
        {
            inner.Write(_writable.WrittenSpan);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            inspector.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int TakeReadable(Span<byte> buffer)
    {
        var available = _readable.WrittenSpan[_readOffset..];
        var count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer);
        _readOffset += count;
        return count;
    }
}
