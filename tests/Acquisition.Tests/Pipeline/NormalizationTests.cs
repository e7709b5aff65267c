using EnergyMonitor.Acquisition.Import;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Site;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Acquisition.Tests.Pipeline;

/// <summary>
/// Every acquisition path (Modbus, MQTT, import, quarantine replay) is normalised in one place: transformer
/// ratios, units, and a flag on a value no meter can report. What the meter said is stored either way.
/// </summary>
public sealed class NormalizationTests
{
    // The main feeder with a register wrapping at 99,999.9 kWh secondary; CT 200/5 makes that 3,999,996 kWh primary.
    private static readonly SiteModel Site = SiteConfigLoader.LoadText(SiteYaml.With("multiplier: { ct: 200/5 }", "multiplier: { ct: 200/5 }\n            rolloverAt: 99999.9"), "site.yaml", SiteYaml.Now).Require();

    private static readonly DateTimeOffset T = new(2026, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("total", 12_345.6, false)] // an ordinary counter
    [InlineData("total", 0, false)]
    [InlineData("total", -3.0, true)] // the MQTT payload {"kwh": -3.0} of the issue
    [InlineData("total", 3_999_996, false)] // exactly at the wrap point
    [InlineData("total", 4_100_000, true)] // above the register's capacity
    [InlineData("water", -0.001, true)]
    [InlineData("water", 1e12, false)] // no wrap point configured: any non-negative counter
    public void The_normaliser_flags_a_value_the_meter_cannot_report_and_keeps_it(string meter, double value, bool impossible)
    {
        var normalizer = new SampleNormalizer(Site);
        var unit = Site.Meters.Single(m => m.Id.Value == meter).CanonicalUnit;

        Assert.True(normalizer.TryNormalize(new Sample(new MeterId(meter), null, T, value, unit, ReadingQuality.Good), out var reading));

        Assert.Equal(value, reading.Value, 6);
        Assert.Equal(impossible, reading.Quality.HasFlag(ReadingQuality.OutOfRange));
        Assert.Equal(!impossible, reading.IsUsable);
    }

    [Theory]
    [InlineData(TransformerScaling.Both, 4_000)] // a counter on the secondary side of CT 200/5: × 40
    [InlineData(TransformerScaling.Ct, 4_000)]
    [InlineData(TransformerScaling.Pt, 100)] // the feeder has no voltage transformer
    [InlineData(TransformerScaling.None, 100)]
    public void The_normaliser_applies_the_transformer_ratios_the_sample_names(TransformerScaling scaling, double expected)
    {
        var normalizer = new SampleNormalizer(Site);

        Assert.True(normalizer.TryNormalize(new Sample(new MeterId("total"), null, T, 100, UnitCatalog.Kwh, ReadingQuality.Good, scaling), out var reading));

        Assert.Equal(expected, reading.Value, 9);
    }

    [Fact]
    public void An_mqtt_payload_is_a_secondary_side_counter_scaled_by_the_pipeline_not_the_mapper()
    {
        var mapper = new EnergyMonitor.Acquisition.Mqtt.MessageMapper(Site, [], EnergyMonitor.Acquisition.Mqtt.PayloadLimits.Default);

        var result = mapper.Map("site/b1/water", System.Text.Encoding.UTF8.GetBytes("{\"total\": 12.5}"), T);

        var sample = Assert.Single(result.Samples);
        Assert.Equal(12.5, sample.Value);
        Assert.Equal(TransformerScaling.Both, sample.Scaling);
    }

    [Fact]
    public async Task A_counter_that_falls_is_stored_as_the_meter_said_and_left_to_the_counter_rule()
    {
        // 9,000 kWh, then 5 (a reset, an exchange or a glitch: only the consumption rule, which sees the readings
        // around it, can tell), then 9,010. Acquisition writes all three as read: none dropped, none flagged.
        var store = new WrittenReadings();
        var sink = new StoreSampleSink(new SampleNormalizer(Site), store);
        double[] secondary = [225, 0.125, 225.25];

        foreach (var (value, i) in secondary.Select((v, i) => (v, i)))
        {
            await sink.AcceptAsync([new Sample(new MeterId("total"), null, T.AddMinutes(15 * i), value, UnitCatalog.Kwh, ReadingQuality.Good, TransformerScaling.Both)], TestContext.Current.CancellationToken);
        }

        Assert.Equal([9_000, 5, 9_010], store.All.Select(r => r.Value));
        Assert.All(store.All, r => Assert.Equal(ReadingQuality.Good, r.Quality));
        Assert.Equal(0, sink.UnknownMeterSamples);
    }

    /// <summary>The readings the sink handed to the store, in order.</summary>
    private sealed class WrittenReadings : Core.Ports.IReadingStore
    {
        public List<Reading> All { get; } = [];

        public Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
        {
            All.AddRange(readings);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public void The_file_import_goes_through_the_same_normaliser_and_is_flagged_the_same_way()
    {
        var path = Path.Combine(Path.GetTempPath(), $"import-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "meter,timestamp,value\ntotal,2026-05-01 10:00,-3\ntotal,2026-05-01 10:15,120\n");
        try
        {
            var (samples, errors) = ReadingFile.Read(path, Site, new ImportLimits(T.AddDays(1), TimeSpan.FromMinutes(5)), TestContext.Current.CancellationToken);
            var normalizer = new SampleNormalizer(Site);
            var readings = samples.Select(s => normalizer.TryNormalize(s, out var r) ? r : throw new InvalidOperationException("unknown meter")).ToList();

            Assert.Empty(errors);
            Assert.Equal([true, false], readings.Select(r => r.Quality.HasFlag(ReadingQuality.OutOfRange)));
            Assert.All(readings, r => Assert.True(r.Quality.HasFlag(ReadingQuality.Manual)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
