using System.Buffers.Binary;

namespace EnergyMonitor.Modbus;

/// <summary>The server side of the PDU: answers one request against one unit's data bank (§6, §7).</summary>
public static class ModbusRequestHandler
{
    /// <returns>The length of the response PDU written to <paramref name="response"/>.</returns>
    public static int Handle(ReadOnlySpan<byte> request, Span<byte> response, ModbusDataBank bank)
    {
        if (request.IsEmpty)
        {
            return Exception(response, 0, ModbusExceptionCode.IllegalFunction);
        }

        var function = (ModbusFunction)request[0];
        if (request.Length < 5)
        {
            return Exception(response, request[0], IsKnown(function) ? ModbusExceptionCode.IllegalDataValue : ModbusExceptionCode.IllegalFunction);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var quantity = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        switch (function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                if (request.Length != 5 || quantity is < 1 or > ModbusLimits.MaxReadRegisters)
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
                }

                if (address + quantity > 0x10000 || !bank.IsMapped(function, address, quantity))
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
                }

                response[0] = request[0];
                response[1] = (byte)(quantity * 2);
                Span<ushort> registers = stackalloc ushort[quantity];
                bank.ReadRegisters(function, address, registers);
                for (var i = 0; i < quantity; i++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(response[(2 + (2 * i))..], registers[i]);
                }

                return 2 + (quantity * 2);

            case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                if (request.Length != 5 || quantity is < 1 or > ModbusLimits.MaxReadBits)
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
                }

                if (address + quantity > 0x10000 || !bank.IsMapped(function, address, quantity))
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
                }

                var byteCount = (quantity + 7) / 8;
                response[0] = request[0];
                response[1] = (byte)byteCount;
                Span<bool> bits = stackalloc bool[quantity];
                bank.ReadBits(function, address, bits);
                ModbusPdu.PackBits(bits, response.Slice(2, byteCount));
                return 2 + byteCount;

            case ModbusFunction.WriteSingleRegister:
                bank.WriteRegisters(ModbusFunction.ReadHoldingRegisters, address, [quantity]);
                request[..5].CopyTo(response);
                return 5;

            case ModbusFunction.WriteSingleCoil:
                if (quantity is not (0xFF00 or 0x0000))
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
                }

                bank.WriteBits(ModbusFunction.ReadCoils, address, [quantity == 0xFF00]);
                request[..5].CopyTo(response);
                return 5;

            case ModbusFunction.WriteMultipleRegisters:
                if (request.Length < 6 || quantity is < 1 or > ModbusLimits.MaxWriteRegisters || request[5] != quantity * 2 || request.Length != 6 + (quantity * 2))
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
                }

                if (address + quantity > 0x10000)
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
                }

                Span<ushort> values = stackalloc ushort[quantity];
                for (var i = 0; i < quantity; i++)
                {
                    values[i] = BinaryPrimitives.ReadUInt16BigEndian(request[(6 + (2 * i))..]);
                }

                bank.WriteRegisters(ModbusFunction.ReadHoldingRegisters, address, values);
                request[..5].CopyTo(response);
                return 5;

            case ModbusFunction.WriteMultipleCoils:
                var coilBytes = (quantity + 7) / 8;
                if (request.Length < 6 || quantity is < 1 or > ModbusLimits.MaxWriteBits || request[5] != coilBytes || request.Length != 6 + coilBytes)
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataValue);
                }

                if (address + quantity > 0x10000)
                {
                    return Exception(response, request[0], ModbusExceptionCode.IllegalDataAddress);
                }

                Span<bool> coils = stackalloc bool[quantity];
                for (var i = 0; i < quantity; i++)
                {
                    coils[i] = (request[6 + (i / 8)] & (1 << (i % 8))) != 0;
                }

                bank.WriteBits(ModbusFunction.ReadCoils, address, coils);
                request[..5].CopyTo(response);
                return 5;

            default:
                return Exception(response, request[0], ModbusExceptionCode.IllegalFunction);
        }
    }

    public static int Exception(Span<byte> response, byte function, ModbusExceptionCode code)
    {
        response[0] = (byte)(function | 0x80);
        response[1] = (byte)code;
        return 2;
    }

    private static bool IsKnown(ModbusFunction function) => Enum.IsDefined(function);
}
