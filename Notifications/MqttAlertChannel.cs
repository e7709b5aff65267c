using EnergyMonitor.Core.Domain;
using MQTTnet;
using MQTTnet.Protocol;

namespace EnergyMonitor.Notifications;

/// <summary>
/// Alerts published to an MQTT topic (QoS 1, not retained), one event per message in the JSON of docs/ALERTS.md, for
/// a SCADA or building-management system to pick up. Connects on first use with its own client id and reconnects
/// after a failure on the next attempt. The host resolves the broker into <paramref name="connection"/>: a client id of
/// its own and a clean start, so that the channel never takes over the ingestor's session.
/// </summary>
public sealed class MqttAlertChannel(string name, MqttClientOptions connection, string topic, int perMinute) : IAlertChannel
{
    private IMqttClient? _client;

    public string Name => name;

    public int PerMinute => perMinute;

    public bool TakesBatches => true;

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
            foreach (var n in notifications)
            {
                var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(AlertEvent.Serialize(n))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithContentType("application/json").Build();
                var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                if (!result.IsSuccess)
                {
                    return DeliveryResult.Failed(result.ReasonCode.ToString(), result.ReasonString ?? "the broker refused the publish");
                }
            }

            return DeliveryResult.Ok;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await DropAsync().ConfigureAwait(false);
            return DeliveryResult.Failed("unreachable", e.Message);
        }
    }

    private async Task<IMqttClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }

        await DropAsync().ConfigureAwait(false);
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(connection, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
        }

        _client = client;
        return client;
    }

    private async Task DropAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }

            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await DropAsync().ConfigureAwait(false);
}
