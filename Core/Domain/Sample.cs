using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Domain;

/// <summary>Which transformer ratios scale a value measured on the secondary side.</summary>
public enum TransformerScaling
{
    None,
    Ct,
    Pt,
    Both,
}

/// <summary>Transformer ratios, applied in one place: the pipeline's normaliser.</summary>
public static class Transformers
{
    /// <summary>What a secondary-side value is multiplied by to give the primary side.</summary>
    public static double Factor(TransformerScaling scaling, Multiplier multiplier) => scaling switch
    {
        TransformerScaling.Ct => multiplier.Ct,
        TransformerScaling.Pt => multiplier.Pt,
        TransformerScaling.Both => multiplier.Factor,
        _ => 1,
    };
}

/// <summary>
/// A value as the device said it, before normalisation. <see cref="Point"/> is null for the meter's own
/// reading (its counter), whose <see cref="Unit"/> is the device's counting unit; other points (power,
/// voltage) carry their name and stay in the unit the device reports. <see cref="Scaling"/> says which of the
/// meter's transformer ratios the normaliser applies to it.
/// </summary>
public readonly record struct Sample(MeterId Meter, string? Point, DateTimeOffset Timestamp, double Value, UnitInfo? Unit, ReadingQuality Quality, TransformerScaling Scaling = TransformerScaling.None)
{
    public bool IsReading => Point is null;
}
