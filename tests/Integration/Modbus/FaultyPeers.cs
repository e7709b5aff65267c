using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EnergyMonitor.Integration.Tests.Modbus;

/// <summary>Misbehaving Modbus TCP peers on loopback, each failing one way real gateways do.</summary>
public sealed class FaultyPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FaultyPeer(Fault fault)
    {
        _listener.Start();
        _loop = AcceptAsync(fault, _stop.Token);
    }

    public enum Fault
    {
        /// <summary>Accepts the connection, reads requests, never answers.</summary>
        AcceptThenSilent,

        /// <summary>Answers with half a frame, then resets the connection.</summary>
        ResetMidFrame,

        /// <summary>Answers well-formed frames, but with another transaction id.</summary>
        WrongTransactionId,
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync(Fault fault, CancellationToken cancellationToken)
    {
        var sessions = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(cancellationToken);
                sessions.Add(ServeAsync(socket, fault, cancellationToken));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }

        await Task.WhenAll(sessions);
    }

    private static async Task ServeAsync(Socket socket, Fault fault, CancellationToken cancellationToken)
    {
        var request = new byte[260];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(request, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                if (fault == Fault.AcceptThenSilent || read < 12)
                {
                    continue;
                }

                var count = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(10));
                var response = new byte[9 + (2 * count)];
                request.AsSpan(0, 7).CopyTo(response);
                BinaryPrimitives.WriteUInt16BigEndian(response.AsSpan(4), (ushort)(3 + (2 * count)));
                response[7] = request[7];
                response[8] = (byte)(2 * count);
                if (fault == Fault.WrongTransactionId)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(request) + 1000));
                    await socket.SendAsync(response, cancellationToken);
                    continue;
                }

                await socket.SendAsync(response.AsMemory(0, 5), cancellationToken);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
