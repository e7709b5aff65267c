using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Site;

/// <summary>Whether a meter reports a running total or the amount used since its last report.</summary>
public enum ReadingMode
{
    Cumulative,
    Interval,
}

/// <summary>
/// A physical or virtual meter. Readings are converted into the kind's canonical unit as
/// <c>raw × unit factor × CT × PT</c> before they are stored.
/// </summary>
public sealed record Meter(
    MeterId Id,
    string Name,
    EnergyKind Kind,
    ItemCode? Item,
    UnitInfo Unit,
    Multiplier Multiplier,
    ReadingMode Mode,
    TimeSpan Interval,
    double? RolloverAt,
    double? MaxPerHour,
    MeterId? Parent,
    IReadOnlyList<MeterReplacement> Replacements,
    MeterSource Source)
{
    public UnitInfo CanonicalUnit => EnergyKinds.CanonicalUnit(Kind);

    /// <summary>A temperature sensor: its readings are values at an instant, never consumption.</summary>
    public bool IsGauge => Kind == EnergyKind.Temperature;

    /// <summary>A raw device value in the canonical unit, multiplier applied.</summary>
    public double ToCanonical(double raw) => UnitCatalog.Convert(raw, Unit, CanonicalUnit) * Multiplier.Factor;

    /// <summary>
    /// Whether this meter can report <paramref name="canonical"/> at all: no register counts below zero, and a counter
    /// cannot stand above the point where it wraps. Acquisition stores what it cannot report flagged
    /// <see cref="ReadingQuality.OutOfRange"/>, never as good; whether a counter that falls is a wrap, a reset or a bad
    /// read is decided only by the consumption calculator, with the readings around it (docs/DOMAIN.md#counters-into-consumption).
    /// </summary>
    public bool CanReport(double canonical)
    {
        if (IsGauge)
        {
            // Outside the range any outdoor sensor can show: a disconnected probe's -3276.8 or 850.
            return canonical is >= -90 and <= 70;
        }

        if (canonical < 0)
        {
            return false;
        }

        // Conversion and multipliers can leave a hair of rounding above the configured wrap point.
        return Mode != ReadingMode.Cumulative || RolloverAt is not { } rollover || canonical <= ToCanonical(rollover) * (1 + 1e-9);
    }
}

/// <summary>Current and voltage transformer ratios; the meter counts secondary-side energy.</summary>
public readonly record struct Multiplier(double Ct, double Pt)
{
    public static Multiplier One => new(1, 1);

    public double Factor => Ct * Pt;
}

/// <summary>A meter swap: the old device's last counter value and the new device's first.</summary>
public sealed record MeterReplacement(DateTimeOffset At, double OldFinalReading, double NewInitialReading, string? Note);

/// <summary>Where a meter's readings come from.</summary>
public abstract record MeterSource;

/// <param name="FastInterval">How often the template's fast points (power, voltage) are read; null reads them with the counter.</param>
public sealed record ModbusSource(string Gateway, byte UnitId, string Template, TimeSpan? FastInterval = null) : MeterSource, IPolledSource;

/// <summary>A polled meter: which gateway (RS-485 line) it is on, and the template that says what to ask it.</summary>
public interface IPolledSource
{
    string Gateway { get; }

    string Template { get; }

    /// <summary>How often the template's fast points are read; null reads them with the counter.</summary>
    TimeSpan? FastInterval { get; }
}

/// <param name="Address">The meter's 12-digit address as printed on its nameplate (already checked).</param>
/// <param name="Edition">-2007 or -1997; the template's data identifiers must be of the same edition.</param>
public sealed record Dlt645Source(string Gateway, string Address, string Template, Dlt645Edition Edition, TimeSpan? FastInterval = null) : MeterSource, IPolledSource;

/// <param name="Address">The meter's 14-digit address as printed on its nameplate (already checked).</param>
/// <param name="MeterType">The CJ/T 188 type byte (10H cold water, 20H heat, 30H gas …), from the template.</param>
public sealed record Cjt188Source(string Gateway, string Address, string Template, byte MeterType) : MeterSource, IPolledSource
{
    public TimeSpan? FastInterval => null;
}

/// <summary>The DL/T 645 edition a meter speaks (docs/DOMAIN.md).</summary>
public enum Dlt645Edition
{
    V2007,
    V1997,
}

/// <summary>The protocols a gateway line carries meters of.</summary>
public enum MeterProtocol
{
    Modbus,
    Dlt645,
    Cjt188,
}

/// <summary>What the site file needs to know of a template to check the meters that name it.</summary>
public sealed record TemplateFacts(MeterProtocol Protocol, UnitInfo CountingUnit, Dlt645Edition? Edition = null, byte? Cjt188Type = null);

/// <param name="Field">JSON path of the value; null when the payload is a plain number.</param>
/// <param name="Timestamp">JSON path of the device timestamp; null uses the arrival time (and flags it).</param>
public sealed record MqttSource(string Topic, string? Field, string? Timestamp = null) : MeterSource;

/// <summary>Read by hand or imported from files; no acquisition runs for it.</summary>
public sealed record ManualSource : MeterSource;
