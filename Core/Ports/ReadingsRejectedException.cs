namespace EnergyMonitor.Core.Ports;

/// <summary>
/// A store refused readings as invalid (e.g. an InfluxDB field type conflict). Sending the same readings again
/// cannot succeed; every other exception from a store is taken as transient.
/// </summary>
public sealed class ReadingsRejectedException(string serverMessage) : Exception($"the store rejected the readings: {serverMessage}")
{
    public string ServerMessage { get; } = serverMessage;
}
