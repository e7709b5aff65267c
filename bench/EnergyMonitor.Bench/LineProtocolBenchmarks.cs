using System.Text;
using BenchmarkDotNet.Attributes;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Influx;

namespace EnergyMonitor.Bench;

/// <summary>
/// Serialising one reading to line protocol: InfluxDB.Client's PointData (the design's default) against the
/// store's own formatter (<see cref="LineProtocol"/>), which replaced it after this benchmark.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolBenchmarks
{
    private static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["institution"] = "lishui-admin",
        ["building"] = "admin-main",
        ["kind"] = "electricity",
        ["item"] = "01A00",
    };

    private readonly StringBuilder _builder = new(256);
    private readonly Reading _reading = new(new MeterId("adm-main-light"), new DateTimeOffset(2025, 6, 1, 8, 15, 0, TimeSpan.Zero), 419023.25);

    [Benchmark(Baseline = true)]
    public string PointData()
    {
        var point = InfluxDB.Client.Writes.PointData.Measurement("reading").Tag("meter", _reading.Meter.Value);
        foreach (var (key, value) in Tags)
        {
            point = point.Tag(key, value);
        }

        return point.Field("value", _reading.Value).Field("quality", (long)_reading.Quality)
            .Timestamp(_reading.Timestamp.ToUnixTimeMilliseconds(), InfluxDB.Client.Api.Domain.WritePrecision.Ms).ToLineProtocol();
    }

    [Benchmark]
    public int OwnFormatter()
    {
        _builder.Clear();
        LineProtocol.Append(_builder, "reading", _reading, Tags);
        return _builder.Length;
    }
}
