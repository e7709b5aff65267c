using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB store on the v1 wire API: line protocol to <c>POST /write</c>, InfluxQL to <c>/query</c>. It serves
/// InfluxDB 1.x, 2.x through its v1 compatibility API, and 3.x (InfluxDB.Client 5 speaks only /api/v2, which 1.6.7 answers with 404: docs/ARCHITECTURE.md).
/// </summary>
public sealed class InfluxV1ReadingStore : IReadingStore, IDisposable
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();
    private readonly Func<MeterId, IReadOnlyDictionary<string, string>> _tags;
    private readonly ConcurrentBag<StringBuilder> _builders = [];

    /// <param name="tags">Site tags of a meter (institution, building, kind, item); low-cardinality values only.</param>
    public InfluxV1ReadingStore(InfluxOptions options, Func<MeterId, IReadOnlyDictionary<string, string>>? tags = null, HttpMessageHandler? handler = null)
    {
        _options = options;
        _tags = tags ?? (_ => NoTags);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = options.Url,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        if (options.Token.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (options.Username.Length > 0)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        }
    }

    /// <summary>Creates the database (and retention policy) if the server lets us; harmless when they exist.</summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        if (!_options.CreateDatabase)
        {
            return;
        }

        await QueryAsync($"CREATE DATABASE {Identifier(_options.Database)}", post: true, cancellationToken).ConfigureAwait(false);
        if (_options.RetentionPolicy.Length > 0 && _options.RetentionDuration.Length > 0)
        {
            await QueryAsync(
                $"CREATE RETENTION POLICY {Identifier(_options.RetentionPolicy)} ON {Identifier(_options.Database)} DURATION {_options.RetentionDuration} REPLICATION 1 DEFAULT",
                post: true, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        ReadingBatch.EnsureFinite(readings);

        return WriteBodyAsync(readings, cancellationToken);
    }

    public async Task WriteBodyAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        // A batch of 5,000 is about 300 KB: building it in a reused builder and a rented buffer keeps each
        // batch off the large-object heap, whose collections otherwise cost more than the request.
        var builder = _builders.TryTake(out var reused) ? reused.Clear() : new StringBuilder(readings.Count * 96);
        foreach (var reading in readings)
        {
            LineProtocol.Append(builder, _options.Measurement, reading, _tags(reading.Meter));
            builder.Append('\n');
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(builder.Length));
        try
        {
            var length = 0;
            foreach (var chunk in builder.GetChunks())
            {
                length += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(length));
            }

            _builders.Add(builder);
            await PostAsync(new ReadOnlyMemory<byte>(buffer, 0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PostAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        var uri = $"/write?db={Uri.EscapeDataString(_options.Database)}&precision=ms" +
                  (_options.RetentionPolicy.Length > 0 ? $"&rp={Uri.EscapeDataString(_options.RetentionPolicy)}" : "");
        using var content = new ReadOnlyMemoryContent(lines);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InfluxUnavailableException($"InfluxDB at {_options.Url} unreachable: {e.Message}", e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var message = await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw response.StatusCode == HttpStatusCode.BadRequest
                ? new ReadingsRejectedException(message)
                : new InfluxUnavailableException($"InfluxDB at {_options.Url} answered {(int)response.StatusCode}: {message}");
        }
    }

    public async Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = await SelectAsync(
            $"SELECT \"value\", \"quality\" FROM {Identifier(_options.Measurement)} WHERE \"meter\" = {Literal(meter.Value)} " +
            $"AND time >= {Ms(from)}ms AND time < {Ms(to)}ms ORDER BY time ASC",
            cancellationToken).ConfigureAwait(false);
        return rows.Where(r => IsComplete(r.Values)).Select(r => ToReading(meter, r.Values)).ToList();
    }

    public async Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken)
    {
        // A few rows, not one: the newest may be a point still being written (IsComplete), and the newest
        // complete one before it is then the answer, as if the query had come a moment earlier.
        for (var attempt = 1; ; attempt++)
        {
            var rows = await SelectAsync(
                $"SELECT \"value\", \"quality\" FROM {Identifier(_options.Measurement)} WHERE \"meter\" = {Literal(meter.Value)} " +
                $"AND time <= {Ms(atOrBefore)}ms ORDER BY time DESC LIMIT 5",
                cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return null;
            }

            if (rows.FirstOrDefault(r => IsComplete(r.Values)) is { Values: not null } row)
            {
                return ToReading(meter, row.Values);
            }

            if (attempt == 3)
            {
                throw new InfluxUnavailableException($"InfluxDB at {_options.Url} returned only incomplete points for meter {meter.Value} three times");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = await SelectAsync(
            $"SELECT count(\"value\") FROM {Identifier(_options.Measurement)} WHERE time >= {Ms(from)}ms " +
            $"AND time < {Ms(to)}ms GROUP BY \"meter\"",
            cancellationToken).ConfigureAwait(false);
        return rows.Where(r => r.Meter is not null).ToDictionary(r => new MeterId(r.Meter!), r => r.Values[1].GetInt64());
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// InfluxDB 1.x puts a point's fields into its cache one field at a time, so a query racing a write can see a
    /// point's quality without its value (null): measured on 1.6.7, about one query in 450 while 5,000 points/s
    /// arrive (docs/PERFORMANCE.md). Such a point is still being written; readers skip it.
    /// </summary>
    private static bool IsComplete(JsonElement[] values) =>
        values[1].ValueKind == JsonValueKind.Number && values[2].ValueKind == JsonValueKind.Number;

    private static Reading ToReading(MeterId meter, JsonElement[] values) =>
        new(meter, DateTimeOffset.FromUnixTimeMilliseconds(values[0].GetInt64()), values[1].GetDouble(), (ReadingQuality)values[2].GetInt64());

    private async Task<List<(string? Meter, JsonElement[] Values)>> SelectAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var document = await QueryAsync(influxQl, post: false, cancellationToken).ConfigureAwait(false);
        var rows = new List<(string?, JsonElement[])>();
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxQL error: {error.GetString()} in: {influxQl}");
            }

            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var meter = s.TryGetProperty("tags", out var tags) && tags.TryGetProperty("meter", out var m) ? m.GetString() : null;
                foreach (var row in s.GetProperty("values").EnumerateArray())
                {
                    rows.Add((meter, row.EnumerateArray().Select(v => v.Clone()).ToArray()));
                }
            }
        }

        return rows;
    }

    private async Task<JsonDocument> QueryAsync(string influxQl, bool post, CancellationToken cancellationToken)
    {
        var query = $"db={Uri.EscapeDataString(_options.Database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
        HttpResponseMessage response;
        try
        {
            response = post
                ? await _http.PostAsync("/query", new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded"), cancellationToken).ConfigureAwait(false)
                : await _http.GetAsync("/query?" + query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InfluxUnavailableException($"InfluxDB at {_options.Url} unreachable: {e.Message}", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InfluxUnavailableException($"InfluxDB at {_options.Url} answered {(int)response.StatusCode} to a query: {await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false)}");
            }

            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    // InfluxQL: identifiers in double quotes, string literals in single quotes, backslash escapes.
    private static string Identifier(string name) => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// An instant as InfluxQL milliseconds, clamped to what InfluxDB can represent (nanoseconds in an int64:
    /// 1677-09-21 to 2262-04-11), so that "until the end of time" is a valid bound rather than an overflow.
    /// </summary>
    private static long Ms(DateTimeOffset t) => Math.Clamp(t.ToUnixTimeMilliseconds(), -9_223_372_036_854L, 9_223_372_036_854L);
}
