namespace EnergyMonitor.Modbus.Tests;

public sealed class CodecTests
{
    [Theory]
    // The CRC catalogue's check value for CRC-16/MODBUS over the ASCII digits "123456789".
    [InlineData("313233343536373839", 0x4B37)]
    // Request frames printed in meter manuals, CRC bytes low first: 01 03 00 10 00 02 | C5 CE and | 64 0E.
    [InlineData("010300100002", 0xCEC5)]
    [InlineData("010300120002", 0x0E64)]
    // Modbus over Serial Line V1.02 §6.2.2 worked example: 02 07 → CRC 0x1241 (sent as 41 12).
    [InlineData("0207", 0x1241)]
    public void Crc16_matches_published_vectors(string hex, int expected)
    {
        Assert.Equal((ushort)expected, Crc16.Compute(Convert.FromHexString(hex)));
    }

    [Fact]
    public void A_read_request_encodes_as_in_the_specification_example()
    {
        // MODBUS Application Protocol §6.3: read holding registers 108–110 → 03 00 6B 00 03.
        var pdu = new byte[5];

        var length = ModbusPdu.WriteReadRequest(pdu, ModbusFunction.ReadHoldingRegisters, 107, 3);

        Assert.Equal(5, length);
        Assert.Equal("03006B0003", Convert.ToHexString(pdu));
    }

    [Fact]
    public void A_read_response_decodes_as_in_the_specification_example()
    {
        // §6.3: 03 06 02 2B 00 00 00 64 → registers 555, 0, 100.
        var registers = new ushort[3];

        ModbusPdu.DecodeRegisters(Convert.FromHexString("0306022B00000064"), 3, registers);

        Assert.Equal(new ushort[] { 555, 0, 100 }, registers);
    }

    [Fact]
    public void Coils_decode_least_significant_bit_first()
    {
        // §6.1: coils 20–38 → 01 03 CD 6B 05: 1011 0011 | 1101 0110 | 101 read LSB first.
        var bits = new bool[19];

        ModbusPdu.DecodeBits(Convert.FromHexString("0103CD6B05"), 19, bits);

        Assert.Equal("1011001111010110101", string.Concat(bits.Select(b => b ? '1' : '0')));
    }

    [Fact]
    public void An_exception_response_names_code_address_unit_and_endpoint()
    {
        var error = Assert.Throws<ModbusDeviceException>(() =>
            ModbusPdu.ThrowIfNotAnswerTo([0x84, 0x02], ModbusFunction.ReadInputRegisters, 3, 0x0156, "10.1.2.3:502"));

        Assert.Equal("illegal data address 0x0156 on unit 3 at 10.1.2.3:502 (function 0x04)", error.Message);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, error.Code);
    }

    [Theory]
    [InlineData("0306022B000000", 3)] // truncated
    [InlineData("0304022B0000", 3)] // byte count disagrees with quantity
    [InlineData("0306022B0000006400", 3)] // trailing byte
    [InlineData("03", 1)] // no byte count
    public void Malformed_read_responses_raise_the_protocol_exception(string hex, int count)
    {
        Assert.Throws<ModbusProtocolException>(() => ModbusPdu.DecodeRegisters(Convert.FromHexString(hex), count, new ushort[count]));
    }

    [Fact]
    public void A_response_to_another_function_is_a_protocol_error()
    {
        Assert.Throws<ModbusProtocolException>(() =>
            ModbusPdu.ThrowIfNotAnswerTo([0x03, 0x02, 0, 0], ModbusFunction.ReadInputRegisters, 1, 0, "x"));
    }

    [Fact]
    public void An_rtu_frame_carries_its_crc_low_byte_first_and_opens_back_to_the_pdu()
    {
        var frame = new byte[8];

        var length = RtuFrame.Write(frame, 1, Convert.FromHexString("0300100002"));

        Assert.Equal("010300100002C5CE", Convert.ToHexString(frame.AsSpan(0, length)));
        Assert.Equal("0300100002", Convert.ToHexString(RtuFrame.Open(frame, 1)));
    }

    [Fact]
    public void An_rtu_frame_with_a_flipped_bit_or_from_another_unit_is_refused()
    {
        var frame = Convert.FromHexString("010300100002C5CE");
        var flipped = (byte[])frame.Clone();
        flipped[3] ^= 0x01;

        Assert.Throws<ModbusProtocolException>(() => RtuFrame.Open(flipped, 1));
        Assert.Throws<ModbusProtocolException>(() => RtuFrame.Open(frame, 2));
    }

    [Theory]
    [InlineData(9600, 4.0104)]
    [InlineData(19200, 2.0052)]
    [InlineData(38400, 1.75)]
    [InlineData(115200, 1.75)]
    public void The_rtu_inter_frame_silence_is_3_5_characters_or_1_75_ms_above_19200_baud(int baud, double expectedMs)
    {
        Assert.Equal(expectedMs, RtuFrame.InterFrameDelay(baud).TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("0001000000060103", 0x0001, 6, 1)]
    public void An_mbap_header_reads_transaction_length_and_unit(string hex, int tid, int length, int unit)
    {
        var header = MbapHeader.Read(Convert.FromHexString(hex + "000000"));

        Assert.Equal((ushort)tid, header.TransactionId);
        Assert.Equal(length, header.Length);
        Assert.Equal((byte)unit, header.Unit);
    }

    [Theory]
    [InlineData("00010001000601")] // protocol id 1
    [InlineData("00010000000101")] // length 1: no PDU
    [InlineData("00010000010001")] // length 256
    [InlineData("000100000006")] // truncated header
    public void A_malformed_mbap_header_raises_the_protocol_exception(string hex)
    {
        Assert.Throws<ModbusProtocolException>(() => MbapHeader.Read(Convert.FromHexString(hex)));
    }
}
