using CsCheck;

namespace EnergyMonitor.Modbus.Tests;

public sealed class RegisterDecoderTests
{
    [Theory]
    // 100.0f is 0x42C80000: A=42 B=C8 C=00 D=00.
    [InlineData(WordOrder.ABCD, 0x42C8, 0x0000)]
    [InlineData(WordOrder.CDAB, 0x0000, 0x42C8)]
    [InlineData(WordOrder.BADC, 0xC842, 0x0000)]
    [InlineData(WordOrder.DCBA, 0x0000, 0xC842)]
    public void Float32_100_decodes_in_each_word_order(WordOrder order, int first, int second)
    {
        Assert.Equal(100.0, RegisterDecoder.Decode([(ushort)first, (ushort)second], RegisterType.Float32, order));
    }

    [Theory]
    // 0x12345678 = 305,419,896.
    [InlineData(WordOrder.ABCD, 0x1234, 0x5678)]
    [InlineData(WordOrder.CDAB, 0x5678, 0x1234)]
    [InlineData(WordOrder.BADC, 0x3412, 0x7856)]
    [InlineData(WordOrder.DCBA, 0x7856, 0x3412)]
    public void Uint32_decodes_in_each_word_order(WordOrder order, int first, int second)
    {
        Assert.Equal(305_419_896.0, RegisterDecoder.Decode([(ushort)first, (ushort)second], RegisterType.UInt32, order));
    }

    [Fact]
    public void Int64_word_swapped_reverses_all_four_words()
    {
        // 0x0102030405060708 in CDAB: words reversed → 0708 0506 0304 0102.
        Assert.Equal(0x0102030405060708, RegisterDecoder.Decode([0x0708, 0x0506, 0x0304, 0x0102], RegisterType.Int64, WordOrder.CDAB));
    }

    [Fact]
    public void Signed_types_keep_their_sign_and_scale_and_offset_apply_after()
    {
        Assert.Equal(-2.0, RegisterDecoder.Decode([0xFFFE], RegisterType.Int16, WordOrder.ABCD));
        Assert.Equal(65534.0, RegisterDecoder.Decode([0xFFFE], RegisterType.UInt16, WordOrder.ABCD));
        // A voltage held as 2301 tenths of a volt, with no offset: 230.1 V.
        Assert.Equal(230.1, RegisterDecoder.Decode([2301], RegisterType.UInt16, WordOrder.ABCD, 0.1, 0), 9);
        // A temperature held as (°C + 40) × 10: 652 → 25.2 °C.
        Assert.Equal(25.2, RegisterDecoder.Decode([652], RegisterType.UInt16, WordOrder.ABCD, 0.1, -40), 9);
    }

    [Fact]
    public void Encode_then_decode_returns_the_value_for_every_type_and_order()
    {
        var types = Enum.GetValues<RegisterType>();
        var orders = Enum.GetValues<WordOrder>();
        Gen.Select(Gen.Int[0, types.Length - 1], Gen.Int[0, orders.Length - 1], Gen.Double[-30000, 30000]).Sample((t, o, v) =>
        {
            var type = types[t];
            var value = type switch
            {
                RegisterType.UInt16 or RegisterType.UInt32 or RegisterType.UInt64 => Math.Round(Math.Abs(v)),
                RegisterType.Float32 => (float)v,
                RegisterType.Float64 => v,
                _ => Math.Round(v),
            };
            Span<ushort> registers = stackalloc ushort[4];
            RegisterDecoder.Encode(value, type, orders[o], registers);

            Assert.Equal(value, RegisterDecoder.Decode(registers, type, orders[o]));
        }, iter: 20_000);
    }
}
