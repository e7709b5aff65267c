using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>One meter's status with its newest usable reading.</summary>
public sealed record MeterState(Meter Meter, Building Building, Reading? Latest, MeterStatus Status);

/// <summary>Every meter's status now, for the API's /meters and the console's pages alike.</summary>
public sealed class MeterStatusQuery(SiteModel site, IReadingStore readings, TimeProvider time)
{
    /// <param name="building">Only this building's meters; null for all.</param>
    public async Task<IReadOnlyList<MeterState>> ListAsync(string? building, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = new List<MeterState>();
        foreach (var b in site.Buildings.Where(b => building is null || b.Id == building))
        {
            foreach (var m in b.Meters)
            {
                var latest = await readings.LatestAsync(m.Id, now.AddMinutes(5), cancellationToken).ConfigureAwait(false);
                if (latest is { IsUsable: false } gap)
                {
                    // The newest row records that the meter did not answer: its status is its last real reading's.
                    var recent = await readings.ReadAsync(m.Id, gap.Timestamp.AddDays(-2), gap.Timestamp, cancellationToken).ConfigureAwait(false);
                    latest = recent.LastOrDefault(r => r.IsUsable) is { Meter.Value: not null } usable ? usable : null;
                }

                result.Add(new MeterState(m, b, latest, MeterStatuses.Of(m, latest, now)));
            }
        }

        return result;
    }
}
