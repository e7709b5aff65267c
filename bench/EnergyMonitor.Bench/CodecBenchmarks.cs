using BenchmarkDotNet.Attributes;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Bench;

/// <summary>
/// One request/response through the codecs: Modbus in both framings, and a DL/T 645 and CJ/T 188 read beside them,
/// each the allocation-free core of its stack.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _pdu = new byte[ModbusLimits.MaxPduLength];
    private readonly byte[] _frame = new byte[ModbusLimits.MaxPduLength + 10];
    private readonly byte[] _response = new byte[2 + 20];
    private readonly ushort[] _registers = new ushort[10];
    private readonly byte[] _dltRequest = new byte[Dlt645Frame.MaxFrameLength(4)];
    private readonly byte[] _dltReply = new byte[Dlt645Frame.MaxFrameLength(0)];
    private readonly byte[] _dltData = new byte[Dlt645Frame.MaxDataLength];
    private readonly byte[] _cjtRequest = new byte[Cjt188Frame.MaxFrameLength(4)];
    private readonly byte[] _cjtReply = new byte[Cjt188Frame.MaxFrameLength(0)];
    private readonly Dlt645Address _meter = Dlt645Address.Parse("202312000461");
    private readonly Cjt188Address _heatMeter = Cjt188Address.Parse("20231100008801");
    private readonly DataIdentifier _energy = DataIdentifier.Parse("00010000");
    private readonly BcdFormat _counter = new(4, 2);
    private int _dltReplyLength;
    private int _cjtReplyLength;

    [GlobalSetup]
    public void Setup()
    {
        _response[0] = 3;
        _response[1] = 20;
        Span<byte> value = stackalloc byte[4];
        _counter.Encode(2664.80m, value);
        _dltReplyLength = Dlt645Frame.WriteReadReply(_dltReply, 0, _meter, _energy, value);
        Span<byte> data = stackalloc byte[3 + 43];
        data[0] = 0x1F;
        data[1] = 0x90;
        data[2] = 1;
        var length = 3 + Cjt188MeteringData.Encode(data[3..], Cjt188Layout.Heat, _ => (12m, 0x11), new DateTime(2026, 12, 2), 0);
        _cjtReplyLength = Cjt188Frame.Write(_cjtReply, 0, Cjt188MeterType.Heat, _heatMeter, 0x81, data[..length]);
    }

    [Benchmark(Baseline = true)]
    public int TcpRequestAndResponse()
    {
        var length = ModbusPdu.WriteReadRequest(_pdu, ModbusFunction.ReadHoldingRegisters, 0x401E, 10);
        MbapHeader.Write(_frame, 7, 1, length);
        var header = MbapHeader.Read(_frame);
        ModbusPdu.ThrowIfNotAnswerTo(_response, ModbusFunction.ReadHoldingRegisters, 1, 0x401E, "bench");
        ModbusPdu.DecodeRegisters(_response, 10, _registers);
        return header.PduLength + _registers[9];
    }

    [Benchmark]
    public int RtuRequestAndResponse()
    {
        var length = ModbusPdu.WriteReadRequest(_pdu, ModbusFunction.ReadHoldingRegisters, 0x401E, 10);
        var frameLength = RtuFrame.Write(_frame, 1, _pdu.AsSpan(0, length));
        var pdu = RtuFrame.Open(_frame.AsSpan(0, frameLength), 1);
        ModbusPdu.DecodeRegisters(_response, 10, _registers);
        return pdu.Length + _registers[9];
    }

    /// <summary>Encode a read of 00010000 with its preamble, open the reply (checksum, address, −33H), decode its BCD counter.</summary>
    [Benchmark]
    public decimal Dlt645ReadAndReply()
    {
        var sent = Dlt645Frame.WriteRead(_dltRequest, 4, _meter, _energy);
        var header = Dlt645Frame.Decode(_dltReply.AsSpan(0, _dltReplyLength), _dltData);
        return _counter.Decode(_dltData.AsSpan(4, header.DataLength - 4)) + sent;
    }

    /// <summary>Encode a 901FH read, open the heat meter's reply and decode its current heat with its unit byte.</summary>
    [Benchmark]
    public decimal Cjt188ReadAndReply()
    {
        var sent = Cjt188Frame.Write(_cjtRequest, 4, Cjt188MeterType.Heat, _heatMeter, Cjt188Frame.ReadData, [0x1F, 0x90, 1]);
        _ = Cjt188Frame.Decode(_cjtReply.AsSpan(0, _cjtReplyLength), out var payload);
        var data = _cjtReply.AsSpan(payload);
        return (_counter.Decode(data.Slice(8, 4)) * Cjt188Unit.Of(data[12]).ToCanonical) + sent;
    }

    [Benchmark]
    public double DecodeFloat32Cdab() => RegisterDecoder.Decode(_registers, RegisterType.Float32, WordOrder.CDAB, 0.1, 0);
}
