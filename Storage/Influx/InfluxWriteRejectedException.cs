namespace EnergyMonitor.Storage.Influx;

/// <summary>
/// The server refused points as invalid (HTTP 400), e.g. a field type conflict. Retrying the same points
/// cannot succeed, so the outbox splits the batch and quarantines the offenders with <see cref="ServerMessage"/>.
/// </summary>
public sealed class InfluxWriteRejectedException(string serverMessage)
    : Exception($"InfluxDB rejected the write: {serverMessage}")
{
    public string ServerMessage { get; } = serverMessage;
}

/// <summary>The server could not be reached or failed (5xx, timeout): the same write may succeed later.</summary>
public sealed class InfluxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
