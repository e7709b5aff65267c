using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>
/// A topic pattern and how to read its payloads. <see cref="MeterTemplate"/> names the meter from the captures
/// (<c>{meter}</c>); for multi-meter payloads the meter comes from each item instead.
/// </summary>
public sealed record MqttMapping(TopicPattern Topic, string MeterTemplate, PayloadSpec Payload, UnitInfo? Unit = null);

/// <summary>What one message became: samples for the sink, or the reason it goes to quarantine.</summary>
public sealed record MapResult(IReadOnlyList<Sample> Samples, QuarantineReason? Reason, string Detail)
{
    public static MapResult Quarantine(QuarantineReason reason, string detail) => new([], reason, detail);
}

/// <summary>
/// Maps MQTT messages to samples: the site's meter bindings (<c>mqtt: {topic, field}</c>) and the broker's
/// pattern mappings, then the payload parser and unit; the pipeline applies the multiplier. What a counter's value means (a wrap, a swap, a bad
/// read) is not decided here but by the consumption calculator, with the readings around it.
/// </summary>
public sealed class MessageMapper
{
    private readonly Dictionary<MeterId, Meter> _meters;
    private readonly List<MqttMapping> _mappings = [];
    private readonly PayloadLimits _limits;

    public MessageMapper(SiteModel site, IEnumerable<MqttMapping> patternMappings, PayloadLimits limits)
    {
        _meters = site.Meters.ToDictionary(m => m.Id);
        _limits = limits;
        foreach (var meter in site.Meters)
        {
            // Site topics are concrete (the loader refuses wildcards and braces), so they parse as capture-free patterns.
            if (meter.Source is MqttSource source && TopicPattern.TryParse(source.Topic, out var pattern, out _))
            {
                _mappings.Add(new MqttMapping(pattern!, meter.Id.Value, new PayloadSpec(source.Field, source.Timestamp), null));
            }
        }

        _mappings.AddRange(patternMappings);
    }

    /// <summary>The filters to subscribe to.</summary>
    public IReadOnlyList<string> Filters => _mappings.Select(m => m.Topic.Filter).Distinct(StringComparer.Ordinal).ToList();

    public MapResult Map(string topic, ReadOnlySpan<byte> payload, DateTimeOffset arrival)
    {
        foreach (var mapping in _mappings)
        {
            if (mapping.Topic.Match(topic) is not { } captures)
            {
                continue;
            }

            var parsed = PayloadParser.Parse(payload, mapping.Payload, arrival, _limits);
            if (parsed.Reason is { } reason)
            {
                return MapResult.Quarantine(reason, parsed.Detail);
            }

            var samples = new List<Sample>(parsed.Values.Count);
            foreach (var value in parsed.Values)
            {
                var id = value.Meter ?? TopicPattern.Expand(mapping.MeterTemplate, captures);
                if (id is null || !_meters.TryGetValue(new MeterId(id), out var meter))
                {
                    return MapResult.Quarantine(QuarantineReason.UnknownMeter, $"meter \"{id}\" is not in the site file");
                }

                var unit = mapping.Unit ?? meter.Unit;
                if (unit.Dimension != meter.CanonicalUnit.Dimension)
                {
                    return MapResult.Quarantine(QuarantineReason.NotANumber, $"{unit.Symbol} cannot measure a {EnergyKinds.ConfigName(meter.Kind)} meter");
                }

                // A payload reports the counter as the device shows it, on the secondary side of any transformers.
                samples.Add(new Sample(meter.Id, null, value.Timestamp, value.Value, unit, value.UsedArrivalTime ? ReadingQuality.ArrivalTime : ReadingQuality.Good, TransformerScaling.Both));
            }

            return new MapResult(samples, null, "");
        }

        return MapResult.Quarantine(QuarantineReason.UnmatchedTopic, $"no mapping for topic \"{topic}\"");
    }
}
