namespace EnergyMonitor.Modbus;

/// <summary>
/// The four data tables of one simulated unit. Registers live in 256-register pages created on first use,
/// so a thousand simulated meters cost kilobytes, not the 64 K registers each the address space allows.
/// Addresses outside the declared map answer "illegal data address", as real meters do.
/// </summary>
public sealed class ModbusDataBank
{
    private const int PageSize = 256;
    private readonly Lock _lock = new();
    private readonly ushort[]?[] _holding = new ushort[]?[256];
    private readonly ushort[]?[] _input = new ushort[]?[256];
    private readonly bool[]?[] _coils = new bool[]?[256];
    private readonly bool[]?[] _discrete = new bool[]?[256];
    private readonly HashSet<(ModbusFunction Table, ushort Address)>? _mapped;

    /// <param name="mapped">Readable addresses per table (by read function); null maps the whole address space.</param>
    public ModbusDataBank(IEnumerable<(ModbusFunction Table, ushort Address)>? mapped = null)
    {
        _mapped = mapped?.ToHashSet();
    }

    public bool IsMapped(ModbusFunction table, ushort address, int count)
    {
        if (_mapped is null)
        {
            return true;
        }

        for (var i = 0; i < count; i++)
        {
            if (!_mapped.Contains((table, (ushort)(address + i))))
            {
                return false;
            }
        }

        return true;
    }

    public void ReadRegisters(ModbusFunction table, ushort address, Span<ushort> destination)
    {
        var pages = table == ModbusFunction.ReadInputRegisters ? _input : _holding;
        lock (_lock)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                var a = address + i;
                destination[i] = pages[a / PageSize]?[a % PageSize] ?? 0;
            }
        }
    }

    public void WriteRegisters(ModbusFunction table, ushort address, ReadOnlySpan<ushort> values)
    {
        var pages = table == ModbusFunction.ReadInputRegisters ? _input : _holding;
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = address + i;
                (pages[a / PageSize] ??= new ushort[PageSize])[a % PageSize] = values[i];
            }
        }
    }

    public void ReadBits(ModbusFunction table, ushort address, Span<bool> destination)
    {
        var pages = table == ModbusFunction.ReadDiscreteInputs ? _discrete : _coils;
        lock (_lock)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                var a = address + i;
                destination[i] = pages[a / PageSize]?[a % PageSize] ?? false;
            }
        }
    }

    public void WriteBits(ModbusFunction table, ushort address, ReadOnlySpan<bool> values)
    {
        var pages = table == ModbusFunction.ReadDiscreteInputs ? _discrete : _coils;
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = address + i;
                (pages[a / PageSize] ??= new bool[PageSize])[a % PageSize] = values[i];
            }
        }
    }
}
