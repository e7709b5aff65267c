using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Writes;

namespace EnergyMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB store on the v2 API through InfluxDB.Client: its write API (org, bucket, token) and Flux queries.
/// Same points as the v1 path: measurement <c>reading</c>, tag <c>meter</c> plus site tags, fields value and quality.
/// </summary>
public sealed class InfluxV2ReadingStore : IReadingStore, IDisposable
{
    private readonly InfluxDBClient _client;
    private readonly InfluxOptions _options;
    private readonly Func<MeterId, IReadOnlyDictionary<string, string>> _tags;

    public InfluxV2ReadingStore(InfluxOptions options, Func<MeterId, IReadOnlyDictionary<string, string>>? tags = null)
    {
        _options = options;
        _tags = tags ?? (_ => new Dictionary<string, string>());
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url.ToString())
        {
            Token = options.Token,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        });
    }

    /// <summary>Creates the bucket when it is missing and the token may.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        var buckets = _client.GetBucketsApi();
        if (await buckets.FindBucketByNameAsync(_options.Bucket, cancellationToken).ConfigureAwait(false) is null)
        {
            var org = (await _client.GetOrganizationsApi().FindOrganizationsAsync(org: _options.Org, cancellationToken: cancellationToken).ConfigureAwait(false)).Single();
            await buckets.CreateBucketAsync(_options.Bucket, org.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        ReadingBatch.EnsureFinite(readings);
        var points = new List<PointData>(readings.Count);
        foreach (var reading in readings)
        {
            var point = PointData.Measurement(_options.Measurement).Tag("meter", reading.Meter.Value);
            foreach (var (key, value) in _tags(reading.Meter))
            {
                point = point.Tag(key, value);
            }

            points.Add(point.Field("value", reading.Value).Field("quality", (long)reading.Quality)
                .Timestamp(reading.Timestamp.ToUnixTimeMilliseconds(), WritePrecision.Ms));
        }

        try
        {
            await _client.GetWriteApiAsync().WritePointsAsync(points, _options.Bucket, _options.Org, cancellationToken).ConfigureAwait(false);
        }
        catch (BadRequestException e)
        {
            throw new ReadingsRejectedException(e.Message);
        }
    }

    public async Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        await QueryReadingsAsync(meter, $"range(start: {Time(from)}, stop: {Time(to)})", "", cancellationToken).ConfigureAwait(false);

    public async Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken)
    {
        // Flux ranges are half-open; one millisecond past the instant includes it.
        var rows = await QueryReadingsAsync(meter, $"range(start: 0, stop: {Time(atOrBefore.AddMilliseconds(1))})", "|> sort(columns: [\"_time\"], desc: true) |> limit(n: 5)", cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var flux = $"from(bucket: {Literal(_options.Bucket)}) |> range(start: {Time(from)}, stop: {Time(to)}) " +
                   $"|> filter(fn: (r) => r._measurement == {Literal(_options.Measurement)} and r._field == \"value\") " +
                   "|> group(columns: [\"meter\"]) |> count()";
        var tables = await _client.GetQueryApi().QueryAsync(flux, _options.Org, cancellationToken).ConfigureAwait(false);
        return tables.SelectMany(t => t.Records).ToDictionary(
            r => new MeterId((string)r.GetValueByKey("meter")),
            r => Convert.ToInt64(r.GetValue(), CultureInfo.InvariantCulture));
    }

    /// <summary>Deletes the bucket (test clean-up).</summary>
    public async Task DeleteBucketAsync(CancellationToken cancellationToken)
    {
        var buckets = _client.GetBucketsApi();
        if (await buckets.FindBucketByNameAsync(_options.Bucket, cancellationToken).ConfigureAwait(false) is { } bucket)
        {
            await buckets.DeleteBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<Reading>> QueryReadingsAsync(MeterId meter, string range, string tail, CancellationToken cancellationToken)
    {
        var flux = $"from(bucket: {Literal(_options.Bucket)}) |> {range} " +
                   $"|> filter(fn: (r) => r._measurement == {Literal(_options.Measurement)} and r.meter == {Literal(meter.Value)}) " +
                   "|> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\") " +
                   "|> group() |> sort(columns: [\"_time\"]) " + tail;
        var tables = await _client.GetQueryApi().QueryAsync(flux, _options.Org, cancellationToken).ConfigureAwait(false);
        // A point whose fields are not all visible yet is still being written (see InfluxV1ReadingStore.IsComplete).
        return tables.SelectMany(t => t.Records).Where(r => r.GetValueByKey("value") is not null && r.GetValueByKey("quality") is not null).Select(r => new Reading(
            meter,
            new DateTimeOffset(DateTime.SpecifyKind(r.GetTimeInDateTime()!.Value, DateTimeKind.Utc)),
            Convert.ToDouble(r.GetValueByKey("value"), CultureInfo.InvariantCulture),
            (ReadingQuality)Convert.ToInt64(r.GetValueByKey("quality"), CultureInfo.InvariantCulture))).ToList();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Literal(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
