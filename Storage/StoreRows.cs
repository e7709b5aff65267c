using System.Data.Common;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage;

/// <summary>
/// How a row of the shared schema becomes a domain value, whichever database it came from: the embedded file and
/// PostgreSQL keep the same columns (instants as Unix milliseconds), so one mapping serves both readers.
/// </summary>
internal static class StoreRows
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The columns <see cref="Alert(DbDataReader, int)"/> reads, in order.</summary>
    public const string AlertColumns = "id, finding, state, opened_ms, last_seen_ms, acknowledged_ms, acknowledged_by, resolved_ms";

    /// <summary>The columns <see cref="Notification"/> reads: the notification's, then the alert's from its finding on.</summary>
    public const string NotificationColumns =
        "n.id, n.alert_id, n.kind, n.created_ms, n.attempts, a.finding, a.state, a.opened_ms, a.last_seen_ms, a.acknowledged_ms, a.acknowledged_by, a.resolved_ms";

    public static string Serialize(Finding finding) => JsonSerializer.Serialize(finding, Json);

    /// <summary>An alert from <see cref="AlertColumns"/>, starting at <paramref name="at"/>; a notification's row holds the same after its id.</summary>
    public static Alert Alert(DbDataReader reader, long id, int at) =>
        new(id, Finding(reader.GetString(at)), (AlertState)reader.GetInt32(at + 1), Ms(reader, at + 2)!.Value, Ms(reader, at + 3)!.Value,
            Ms(reader, at + 4), reader.IsDBNull(at + 5) ? null : reader.GetString(at + 5), Ms(reader, at + 6));

    public static Alert Alert(DbDataReader reader) => Alert(reader, reader.GetInt64(0), 1);

    public static Notification Notification(DbDataReader reader, string channel)
    {
        var alert = Alert(reader, reader.GetInt64(1), 5);
        return new Notification(reader.GetInt64(0), alert.Id, channel, (NotificationKind)reader.GetInt32(2), Ms(reader, 3)!.Value, reader.GetInt32(4), alert);
    }

    /// <summary>From <c>id, source, topic, payload, reason, detail, received_ms</c>; the reason is stored by name.</summary>
    public static QuarantinedMessage Quarantined(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3),
            Enum.Parse<QuarantineReason>(reader.GetString(4)), reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));

    /// <summary>From <c>id, period, scope, format, path, sha256, bytes, generated_ms</c>.</summary>
    public static ArchivedReport Archived(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetInt64(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));

    /// <summary>A reading of <paramref name="meter"/> from <c>ts_ms, value, quality</c>.</summary>
    public static Reading Reading(DbDataReader reader, MeterId meter) =>
        new(meter, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), (ReadingQuality)reader.GetInt32(2));

    public static DateTimeOffset? Ms(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    private static Finding Finding(string json) => JsonSerializer.Deserialize<Finding>(json, Json) ?? throw new InvalidDataException("an alert without its finding");
}
