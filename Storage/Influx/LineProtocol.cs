using EnergyMonitor.Core.Domain;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace EnergyMonitor.Storage.Influx;

/// <summary>
/// Readings as InfluxDB points, built with InfluxDB.Client's <see cref="PointData"/>: measurement
/// <c>reading</c>, the meter and its site tags as tags, <c>value</c> (float) and <c>quality</c> (integer) as fields.
/// </summary>
public static class LineProtocol
{
    public static string Point(string measurement, Reading reading, IReadOnlyDictionary<string, string> tags)
    {
        var point = PointData.Measurement(measurement).Tag("meter", reading.Meter.Value);
        foreach (var (key, value) in tags)
        {
            point = point.Tag(key, value);
        }

        return point
            .Field("value", reading.Value)
            .Field("quality", (long)reading.Quality)
            .Timestamp(reading.Timestamp.ToUnixTimeMilliseconds(), WritePrecision.Ms)
            .ToLineProtocol();
    }
}
