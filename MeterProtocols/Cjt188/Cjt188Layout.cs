namespace EnergyMonitor.MeterProtocols.Cjt188;

/// <summary>The fields of a 901FH reply, by what they mean.</summary>
public enum Cjt188Field
{
    CurrentFlow,
    SettlementFlow,
    SettlementHeat,
    CurrentHeat,
    HeatPower,
    FlowRate,
    CumulativeFlow,
    SupplyTemperature,
    ReturnTemperature,
    WorkingHours,
}

/// <summary>One field of the reply: its BCD picture and whether a unit byte follows it.</summary>
public readonly record struct Cjt188FieldLayout(Cjt188Field Field, BcdFormat Format, bool HasUnit, string FixedUnit = "")
{
    public int Length => Format.Bytes + (HasUnit ? 1 : 0);
}

/// <summary>
/// What follows DI and SER in a 901FH reply, field by field, then the meter's clock (7 bytes) and status (2 bytes).
/// The standard gives the order and the widths; the decimals of power and flow rate vary between makers, so a
/// template may give its own pictures (docs/DOMAIN.md).
/// </summary>
public sealed record Cjt188Layout(IReadOnlyList<Cjt188FieldLayout> Fields)
{
    public const int ClockLength = 7;
    public const int StatusLength = 2;

    private static readonly BcdFormat Counter = new(4, 2);

    /// <summary>Water and gas meters (T 1xH, 30H): current and settlement-day cumulative flow.</summary>
    public static Cjt188Layout Volume { get; } = new([
        new(Cjt188Field.CurrentFlow, Counter, true),
        new(Cjt188Field.SettlementFlow, Counter, true),
    ]);

    /// <summary>Heat and cooling meters (T 20H, 21H).</summary>
    public static Cjt188Layout Heat { get; } = new([
        new(Cjt188Field.SettlementHeat, Counter, true),
        new(Cjt188Field.CurrentHeat, Counter, true),
        new(Cjt188Field.HeatPower, Counter, true),
        new(Cjt188Field.FlowRate, Counter, true),
        new(Cjt188Field.CumulativeFlow, Counter, true),
        new(Cjt188Field.SupplyTemperature, new BcdFormat(3, 2), false, "°C"),
        new(Cjt188Field.ReturnTemperature, new BcdFormat(3, 2), false, "°C"),
        new(Cjt188Field.WorkingHours, new BcdFormat(3, 0), false, "h"),
    ]);

    public static Cjt188Layout For(Cjt188MeterType type) => type is Cjt188MeterType.Heat or Cjt188MeterType.Cooling ? Heat : Volume;

    /// <summary>Bytes after DI and SER.</summary>
    public int Length => Fields.Sum(f => f.Length) + ClockLength + StatusLength;

    /// <summary>This layout with <paramref name="field"/> read as <paramref name="format"/> (same width).</summary>
    public Cjt188Layout With(Cjt188Field field, BcdFormat format) =>
        new(Fields.Select(f => f.Field == field ? f with { Format = format } : f).ToList());

    public bool Has(Cjt188Field field) => Fields.Any(f => f.Field == field);
}

/// <summary>One decoded quantity, in the unit the meter sent and in the canonical one.</summary>
public readonly record struct Cjt188Quantity(Cjt188Field Field, decimal Value, string Unit, decimal Canonical, string CanonicalUnit);

/// <summary>A decoded 901FH reply.</summary>
public sealed record Cjt188MeteringData(IReadOnlyList<Cjt188Quantity> Quantities, DateTime? MeterClock, ushort Status)
{
    public Cjt188Quantity this[Cjt188Field field] => Quantities.First(q => q.Field == field);

    /// <summary>
    /// Decodes the bytes after DI and SER. A unit byte not in the table, an illegal digit or a length other than the
    /// layout's is a <see cref="MeterFrameException"/>: no number is made of them.
    /// </summary>
    public static Cjt188MeteringData Decode(ReadOnlySpan<byte> payload, Cjt188Layout layout)
    {
        if (payload.Length != layout.Length)
        {
            throw MeterFrameException.Of(MeterFrameFault.Length, $"metering data of {payload.Length} bytes, expected {layout.Length}");
        }

        var quantities = new List<Cjt188Quantity>(layout.Fields.Count);
        var at = 0;
        foreach (var field in layout.Fields)
        {
            var value = field.Format.Decode(payload.Slice(at, field.Format.Bytes));
            at += field.Format.Bytes;
            if (field.HasUnit)
            {
                var unit = Cjt188Unit.Of(payload[at++]);
                quantities.Add(new Cjt188Quantity(field.Field, value, unit.Symbol, value * unit.ToCanonical, unit.Canonical));
            }
            else
            {
                quantities.Add(new Cjt188Quantity(field.Field, value, field.FixedUnit, value, field.FixedUnit));
            }
        }

        var clock = ReadClock(payload.Slice(at, Cjt188Layout.ClockLength));
        at += Cjt188Layout.ClockLength;
        var status = (ushort)(payload[at] | (payload[at + 1] << 8));
        return new Cjt188MeteringData(quantities, clock, status);
    }

    /// <summary>Writes the payload a meter would send (for the simulator and the tests).</summary>
    public static int Encode(Span<byte> destination, Cjt188Layout layout, Func<Cjt188Field, (decimal Value, byte Unit)> values, DateTime clock, ushort status)
    {
        ArgumentNullException.ThrowIfNull(values);
        var at = 0;
        foreach (var field in layout.Fields)
        {
            var (value, unit) = values(field.Field);
            field.Format.Encode(value, destination.Slice(at, field.Format.Bytes));
            at += field.Format.Bytes;
            if (field.HasUnit)
            {
                destination[at++] = unit;
            }
        }

        WriteClock(clock, destination.Slice(at, Cjt188Layout.ClockLength));
        at += Cjt188Layout.ClockLength;
        destination[at++] = (byte)status;
        destination[at++] = (byte)(status >> 8);
        return at;
    }

    /// <summary>ss mm hh DD MM YYYY in BCD, the year's low byte first; an all-zero clock (never set) is null.</summary>
    private static DateTime? ReadClock(ReadOnlySpan<byte> bytes)
    {
        if (!Bcd.IsValid(bytes))
        {
            throw MeterFrameException.Of(MeterFrameFault.IllegalDigit, $"the meter's clock {Convert.ToHexString(bytes)} is not BCD");
        }

        var (second, minute, hour, day, month) = (Two(bytes, 0), Two(bytes, 1), Two(bytes, 2), Two(bytes, 3), Two(bytes, 4));
        var year = (int)Bcd.Decode(bytes.Slice(5, 2), false);
        if (year == 0 && month == 0 && day == 0)
        {
            return null;
        }

        // A clock that cannot be a date is the meter's problem, not the reading's: the counters are still sound.
        return month is >= 1 and <= 12 && year is >= 2000 and <= 2099 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60 && second < 60
            ? new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified)
            : null;
    }

    private static int Two(ReadOnlySpan<byte> bytes, int i) => (int)Bcd.Decode(bytes.Slice(i, 1), false);

    private static void WriteClock(DateTime clock, Span<byte> bytes)
    {
        Bcd.Encode(clock.Second, bytes[..1], false);
        Bcd.Encode(clock.Minute, bytes.Slice(1, 1), false);
        Bcd.Encode(clock.Hour, bytes.Slice(2, 1), false);
        Bcd.Encode(clock.Day, bytes.Slice(3, 1), false);
        Bcd.Encode(clock.Month, bytes.Slice(4, 1), false);
        Bcd.Encode(clock.Year, bytes.Slice(5, 2), false);
    }
}
