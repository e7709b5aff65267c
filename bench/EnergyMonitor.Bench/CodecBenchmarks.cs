using BenchmarkDotNet.Attributes;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Bench;

/// <summary>One request/response through the codecs, both framings: the allocation-free core of the stack.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _pdu = new byte[ModbusLimits.MaxPduLength];
    private readonly byte[] _frame = new byte[ModbusLimits.MaxPduLength + 10];
    private readonly byte[] _response = new byte[2 + 20];
    private readonly ushort[] _registers = new ushort[10];

    [GlobalSetup]
    public void Setup()
    {
        _response[0] = 3;
        _response[1] = 20;
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

    [Benchmark]
    public double DecodeFloat32Cdab() => RegisterDecoder.Decode(_registers, RegisterType.Float32, WordOrder.CDAB, 0.1, 0);
}
