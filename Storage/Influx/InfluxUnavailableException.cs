namespace EnergyMonitor.Storage.Influx;

/// <summary>The server could not be reached or failed (5xx, timeout): the same write may succeed later.</summary>
public sealed class InfluxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
