using EnergyMonitor.Core.Ports;
using Npgsql;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>
/// Leases in the <c>work_leases</c> table, timed by the database's clock. Each round runs in one transaction: the
/// instance's heartbeat, the renewal of what it holds, the surplus over its fair share given up, and free or expired
/// items claimed (<c>FOR UPDATE SKIP LOCKED</c>, so that two instances claiming at once take different items).
/// </summary>
/// <remarks>
/// The fair share is work ÷ live instances rounded up, an instance being live while its heartbeat is younger than the lease.
/// An instance that joins gets its share within two rounds: the holders give the surplus up in their next round, the
/// newcomer claims it in its own. A holder that dies keeps its items until its leases end, then the others claim them:
/// the longest a dead instance's work waits is one lease plus one renewal interval.
/// </remarks>
public sealed class PostgresWorkLeases(PostgresDatabase database, string instanceId, TimeSpan lease) : IWorkLeases
{
    public string InstanceId => instanceId;

    public async Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> work, CancellationToken cancellationToken)
    {
        var items = work.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var renew = new NpgsqlCommand(
            "INSERT INTO cluster_instances (instance_id, heartbeat) VALUES (@me, now()) ON CONFLICT (instance_id) DO UPDATE SET heartbeat = now();" +
            "INSERT INTO work_leases (work) SELECT unnest(@work) ON CONFLICT (work) DO NOTHING;" +
            "UPDATE work_leases SET expires = now() + @lease WHERE holder = @me AND work = ANY(@work);" +
            "UPDATE work_leases SET holder = NULL, expires = '-infinity', since = NULL WHERE holder = @me AND NOT (work = ANY(@work))", connection, transaction))
        {
            renew.Parameters.Add(new NpgsqlParameter<string>("me", instanceId));
            renew.Parameters.Add(new NpgsqlParameter<string[]>("work", items));
            renew.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
            await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long live;
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM cluster_instances WHERE heartbeat > now() - @lease", connection, transaction))
        {
            count.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
            live = Math.Max(1, (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }

        var held = await HeldAsync(connection, transaction, items, cancellationToken).ConfigureAwait(false);
        var share = FairShare(items.Length, live);
        if (held.Count > share)
        {
            // The surplus goes from the end of the order, so that what an instance keeps is stable round to round.
            var surplus = held.Order(StringComparer.Ordinal).Skip(share).ToArray();
            await using var release = new NpgsqlCommand(
                "UPDATE work_leases SET holder = NULL, expires = '-infinity', since = NULL WHERE holder = @me AND work = ANY(@surplus)", connection, transaction);
            release.Parameters.Add(new NpgsqlParameter<string>("me", instanceId));
            release.Parameters.Add(new NpgsqlParameter<string[]>("surplus", surplus));
            await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            held.ExceptWith(surplus);
        }
        else if (held.Count < share)
        {
            await using var claim = new NpgsqlCommand(
                "UPDATE work_leases SET holder = @me, expires = now() + @lease, since = now() WHERE work IN (" +
                "SELECT work FROM work_leases WHERE work = ANY(@work) AND (holder IS NULL OR expires < now()) " +
                "ORDER BY work LIMIT @wanted FOR UPDATE SKIP LOCKED) RETURNING work", connection, transaction);
            claim.Parameters.Add(new NpgsqlParameter<string>("me", instanceId));
            claim.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
            claim.Parameters.Add(new NpgsqlParameter<string[]>("work", items));
            claim.Parameters.Add(new NpgsqlParameter<int>("wanted", share - held.Count));
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                held.Add(reader.GetString(0));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return held;
    }

    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var release = new NpgsqlCommand(
            "UPDATE work_leases SET holder = NULL, expires = '-infinity', since = NULL WHERE holder = @me;" +
            "DELETE FROM cluster_instances WHERE instance_id = @me", connection);
        release.Parameters.Add(new NpgsqlParameter<string>("me", instanceId));
        await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every lease: its work, holder (null when free) and end; for the status pages.</summary>
    public async Task<IReadOnlyList<(string Work, string? Holder, DateTimeOffset Expires)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("SELECT work, holder, expires FROM work_leases WHERE expires > now() ORDER BY work", connection);
        var result = new List<(string, string?, DateTimeOffset)>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return result;
    }

    /// <summary>Work ÷ live, rounded up: every item has a taker, and no instance waits on another's surplus for long.</summary>
    public static int FairShare(int work, long live) => (int)((work + live - 1) / Math.Max(1, live));

    private async Task<HashSet<string>> HeldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] items, CancellationToken cancellationToken)
    {
        await using var query = new NpgsqlCommand("SELECT work FROM work_leases WHERE holder = @me AND work = ANY(@work) AND expires > now()", connection, transaction);
        query.Parameters.Add(new NpgsqlParameter<string>("me", instanceId));
        query.Parameters.Add(new NpgsqlParameter<string[]>("work", items));
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            held.Add(reader.GetString(0));
        }

        return held;
    }
}
