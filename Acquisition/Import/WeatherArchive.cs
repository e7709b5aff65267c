using System.Globalization;
using System.Text.Json;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// Hourly temperatures from a public weather archive with the Open-Meteo historical API's shape
/// (<c>GET {base}?latitude=…&amp;longitude=…&amp;start_date=…&amp;end_date=…&amp;hourly=temperature_2m&amp;timezone=…</c>, answering
/// <c>{"utc_offset_seconds": …, "hourly": {"time": ["2025-01-01T00:00", …], "temperature_2m": [3.1, …]}}</c>), for a
/// building without a sensor of its own. Hours the archive has no value for (null) are left out, so CalTRACK's
/// daily rules judge the day.
/// </summary>
public sealed class WeatherArchive(HttpClient http, Uri baseUrl)
{
    /// <summary>Open-Meteo's historical weather API; any server answering the same shape will do.</summary>
    public static Uri OpenMeteo { get; } = new("https://archive-api.open-meteo.com/v1/archive");

    public async Task<IReadOnlyList<Reading>> FetchAsync(string station, double latitude, double longitude, DateOnly first, DateOnly last, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"?latitude={latitude:0.####}&longitude={longitude:0.####}&start_date={first:yyyy-MM-dd}&end_date={last:yyyy-MM-dd}&hourly=temperature_2m&timezone={Uri.EscapeDataString(zone.Id)}");
        using var response = await http.GetAsync(new Uri(baseUrl + query), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the weather archive answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }

        return Parse(station, body);
    }

    /// <summary>The archive's answer as observations of <c>weather/{station}</c>; times are local with the answer's UTC offset.</summary>
    public static IReadOnlyList<Reading> Parse(string station, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            throw new InvalidOperationException("the weather archive refused the request: " + (root.TryGetProperty("reason", out var reason) ? reason.GetString() : "no reason given"));
        }

        var offset = TimeSpan.FromSeconds(root.GetProperty("utc_offset_seconds").GetInt32());
        var hourly = root.GetProperty("hourly");
        var times = hourly.GetProperty("time").EnumerateArray().Select(t => t.GetString()!).ToList();
        var temperatures = hourly.GetProperty("temperature_2m").EnumerateArray().ToList();
        if (times.Count != temperatures.Count)
        {
            throw new InvalidOperationException($"the weather archive gave {times.Count} times and {temperatures.Count} temperatures");
        }

        var series = WeatherSeries.Observations(station);
        var result = new List<Reading>(times.Count);
        for (var i = 0; i < times.Count; i++)
        {
            if (temperatures[i].ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            var local = DateTime.ParseExact(times[i], "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
            result.Add(new Reading(series, new DateTimeOffset(local, offset), temperatures[i].GetDouble()));
        }

        return result;
    }
}
