using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Acquisition.Pipeline;

/// <summary>
/// Turns samples into stored readings, the one place where values are normalised on every path (Modbus, MQTT,
/// import, quarantine replay): the transformer ratios the sample names, the meter's reading into the kind's
/// canonical unit, flagged out of range where the meter cannot report the value; other points stored as series
/// <c>meter/point</c> in their own unit.
/// </summary>
public sealed class SampleNormalizer(SiteModel site)
{
    private readonly Dictionary<MeterId, Meter> _meters = site.Meters.ToDictionary(m => m.Id);

    /// <summary>The series id of a measurement point of a meter.</summary>
    public static MeterId SeriesOf(MeterId meter, string? point) => point is null ? meter : new MeterId(SeriesKey.Of(meter, point).Text);

    public bool TryNormalize(Sample sample, out Reading reading)
    {
        reading = default;
        if (!_meters.TryGetValue(sample.Meter, out var meter))
        {
            return false;
        }

        // A missing value is kept as a flagged zero: the gap itself is information (a dead meter, a lost poll).
        var value = (sample.Quality & ReadingQuality.Missing) != 0 || !double.IsFinite(sample.Value) ? 0 : sample.Value * Transformers.Factor(sample.Scaling, meter.Multiplier);
        var quality = double.IsFinite(sample.Value) ? sample.Quality : sample.Quality | ReadingQuality.Missing;
        if (sample.IsReading)
        {
            var unit = sample.Unit ?? meter.Unit;
            value = UnitCatalog.Convert(value, unit, meter.CanonicalUnit);
            if ((quality & ReadingQuality.Missing) == 0 && !meter.CanReport(value))
            {
                quality |= ReadingQuality.OutOfRange;
            }
        }

        reading = new Reading(SeriesOf(sample.Meter, sample.Point), sample.Timestamp, value, quality);
        return true;
    }
}
