using System.Globalization;
using System.Text.Json.Nodes;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EnergyMonitor.Simulation;

/// <summary>
/// The demo's MQTT-bound meters as devices: each reading becomes the payload its site binding describes
/// (value at the binding's field, in the meter's own unit and before its multiplier; timestamp in epoch
/// milliseconds at the binding's timestamp field) and is published with QoS 1.
/// </summary>
public static class SimulatedMqttMeters
{
    /// <summary>The default timestamp field when a binding names none: a device that stamps its readings.</summary>
    public const string DefaultTimestampPath = "$.ts";

    public static (string Topic, byte[] Payload) Message(Meter meter, Reading reading)
    {
        var source = (MqttSource)meter.Source!;
        var raw = UnitCatalog.Convert(reading.Value, meter.CanonicalUnit, meter.Unit) / meter.Multiplier.Factor;
        if (source.Field is null)
        {
            return (source.Topic, System.Text.Encoding.UTF8.GetBytes(raw.ToString("R", CultureInfo.InvariantCulture)));
        }

        var root = new JsonObject();
        Set(root, source.Field, JsonValue.Create(Math.Round(raw, 6)));
        Set(root, source.Timestamp ?? DefaultTimestampPath, JsonValue.Create(reading.Timestamp.ToUnixTimeMilliseconds()));
        return (source.Topic, System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    /// <summary>Publishes the readings from one connection, keeping up to 500 QoS 1 publishes in flight.</summary>
    public static async Task PublishAsync(int port, IEnumerable<(Meter Meter, Reading Reading)> readings, Action<int> progress, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("demo-meters")
            .WithProtocolVersion(MqttProtocolVersion.V500).Build(), cancellationToken).ConfigureAwait(false);
        var inFlight = new List<Task>(500);
        foreach (var (meter, reading) in readings)
        {
            var (topic, payload) = Message(meter, reading);
            inFlight.Add(client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken));
            if (inFlight.Count == inFlight.Capacity)
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
                progress(inFlight.Count);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        progress(inFlight.Count);
        await client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a dotted path (<c>$.a.b</c>) in a JSON object, creating the objects on the way.</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var steps = (path.StartsWith('$') ? path[1..].TrimStart('.') : path).Split('.', StringSplitOptions.RemoveEmptyEntries);
        var node = root;
        foreach (var step in steps[..^1])
        {
            if (node[step] is not JsonObject child)
            {
                child = [];
                node[step] = child;
            }

            node = child;
        }

        node[steps[^1]] = value;
    }
}
