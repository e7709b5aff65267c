using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>What a replay did: messages that became readings, and those that still fail, by reason.</summary>
public sealed record ReplayOutcome(int Replayed, int Readings, IReadOnlyDictionary<QuarantineReason, int> StillFailing, IReadOnlyList<string> UnknownSources);

/// <summary>
/// Runs quarantined MQTT messages through the current mappings again, after an operator has fixed the
/// config (a meter added, a mapping corrected). Messages that now map are stored and leave the quarantine;
/// the rest stay, with the reason they fail now.
/// </summary>
public sealed class QuarantineReplay(IReadOnlyDictionary<string, MessageMapper> mappersByBroker, ISampleSink sink, IQuarantine quarantine)
{
    public async Task<ReplayOutcome> ReplayAsync(IReadOnlyList<QuarantinedMessage> messages, CancellationToken cancellationToken)
    {
        var replayed = new List<long>();
        var samples = new List<Sample>();
        var failing = new Dictionary<QuarantineReason, int>();
        var unknownSources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var message in messages.OrderBy(m => m.Id))
        {
            if (!mappersByBroker.TryGetValue(message.Source, out var mapper))
            {
                unknownSources.Add(message.Source);
                continue;
            }

            // The original arrival time: the skew and late-data checks judge the message as of when it came.
            var result = mapper.Map(message.Topic, message.Payload, message.Received);
            if (result.Reason is { } reason)
            {
                failing[reason] = failing.GetValueOrDefault(reason) + 1;
                if (reason != message.Reason || result.Detail != message.Detail)
                {
                    await quarantine.UpdateReasonAsync(message.Id, reason, result.Detail, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            samples.AddRange(result.Samples);
            replayed.Add(message.Id);
        }

        // Stored before removal: a replay interrupted between the two leaves duplicates, which the idempotent
        // store absorbs on the next replay, never a lost message.
        if (samples.Count > 0)
        {
            await sink.AcceptAsync(samples, cancellationToken).ConfigureAwait(false);
        }

        await quarantine.RemoveAsync(replayed, cancellationToken).ConfigureAwait(false);
        return new ReplayOutcome(replayed.Count, samples.Count, failing, unknownSources.ToList());
    }
}
