namespace EnergyMonitor.MeterProtocols.Tests;

/// <summary>
/// A meter on the other end of a stream: each request written gets the answer <c>answer</c> gives for it, read
/// back in the pieces a gateway might deliver. Records every request, so a test can check the bytes sent.
/// </summary>
internal sealed class ScriptedPeer(Func<byte[], byte[]> answer, int chunk = int.MaxValue) : Stream
{
    private byte[] _pending = [];
    private int _position;

    public List<byte[]> Requests { get; } = [];

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public static Func<CancellationToken, ValueTask<Stream>> Connect(ScriptedPeer peer) => _ => ValueTask.FromResult<Stream>(peer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, chunk), _pending.Length - _position);
        _pending.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var request = buffer.ToArray();
        Requests.Add(request);
        _pending = answer(request);
        _position = 0;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
