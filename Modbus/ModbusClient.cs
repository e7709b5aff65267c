using System.Runtime.CompilerServices;
namespace EnergyMonitor.Modbus;

/// <summary>
/// The Modbus client: function codes as methods over a <see cref="ModbusTransport"/>. Exception responses
/// become <see cref="ModbusDeviceException"/>; malformed responses <see cref="ModbusProtocolException"/>.
/// Writes exist for the simulator, tests and templates that explicitly require them; the poller only reads.
/// </summary>
public sealed class ModbusClient(ModbusTransport transport) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _request = new byte[ModbusLimits.MaxPduLength];
    private readonly byte[] _response = new byte[ModbusLimits.MaxPduLength];

    public ModbusTransport Transport => transport;

    public string Endpoint => transport.Endpoint;

    public ValueTask ReadHoldingRegistersAsync(byte unit, ushort address, Memory<ushort> destination, CancellationToken cancellationToken) =>
        ReadRegistersAsync(ModbusFunction.ReadHoldingRegisters, unit, address, destination, cancellationToken);

    public ValueTask ReadInputRegistersAsync(byte unit, ushort address, Memory<ushort> destination, CancellationToken cancellationToken) =>
        ReadRegistersAsync(ModbusFunction.ReadInputRegisters, unit, address, destination, cancellationToken);

    public ValueTask ReadCoilsAsync(byte unit, ushort address, Memory<bool> destination, CancellationToken cancellationToken) =>
        ReadBitsAsync(ModbusFunction.ReadCoils, unit, address, destination, cancellationToken);

    public ValueTask ReadDiscreteInputsAsync(byte unit, ushort address, Memory<bool> destination, CancellationToken cancellationToken) =>
        ReadBitsAsync(ModbusFunction.ReadDiscreteInputs, unit, address, destination, cancellationToken);

    /// <summary>Function 03 or 04 into <paramref name="destination"/>, whose length is the quantity read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadRegistersAsync(ModbusFunction function, byte unit, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = ModbusPdu.WriteReadRequest(_request, function, address, (ushort)destination.Length);
            var pdu = await ExchangeAsync(unit, function, address, length, cancellationToken).ConfigureAwait(false);
            ModbusPdu.DecodeRegisters(_response.AsSpan(0, pdu), destination.Length, destination.Span);
        }
        finally
        {
            _gate.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ReadBitsAsync(ModbusFunction function, byte unit, ushort address, Memory<bool> destination, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = ModbusPdu.WriteReadRequest(_request, function, address, (ushort)destination.Length);
            var pdu = await ExchangeAsync(unit, function, address, length, cancellationToken).ConfigureAwait(false);
            ModbusPdu.DecodeBits(_response.AsSpan(0, pdu), destination.Length, destination.Span);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask WriteSingleCoilAsync(byte unit, ushort address, bool value, CancellationToken cancellationToken) =>
        WriteAsync(ModbusFunction.WriteSingleCoil, unit, address, value ? (ushort)0xFF00 : (ushort)0, r => ModbusPdu.WriteSingleCoilRequest(r, address, value), cancellationToken);

    public ValueTask WriteSingleRegisterAsync(byte unit, ushort address, ushort value, CancellationToken cancellationToken) =>
        WriteAsync(ModbusFunction.WriteSingleRegister, unit, address, value, r => ModbusPdu.WriteSingleRegisterRequest(r, address, value), cancellationToken);

    public ValueTask WriteMultipleRegistersAsync(byte unit, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        WriteAsync(ModbusFunction.WriteMultipleRegisters, unit, address, (ushort)values.Length, r => ModbusPdu.WriteMultipleRegistersRequest(r, address, values.Span), cancellationToken);

    public ValueTask WriteMultipleCoilsAsync(byte unit, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        WriteAsync(ModbusFunction.WriteMultipleCoils, unit, address, (ushort)values.Length, r => ModbusPdu.WriteMultipleCoilsRequest(r, address, values.Span), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transport.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async ValueTask WriteAsync(ModbusFunction function, byte unit, ushort address, ushort echo, Func<byte[], int> encode, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = encode(_request);
            var pdu = await ExchangeAsync(unit, function, address, length, cancellationToken).ConfigureAwait(false);
            ModbusPdu.CheckWriteEcho(_response.AsSpan(0, pdu), address, echo);
        }
        finally
        {
            _gate.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ExchangeAsync(byte unit, ModbusFunction function, ushort address, int requestLength, CancellationToken cancellationToken)
    {
        var pdu = await transport.ExchangeAsync(unit, _request.AsMemory(0, requestLength), _response, cancellationToken).ConfigureAwait(false);
        ModbusPdu.ThrowIfNotAnswerTo(_response.AsSpan(0, pdu), function, unit, address, transport.Endpoint);
        return pdu;
    }
}
