using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

// dotnet run -c Release --project bench/EnergyMonitor.Bench.DuckDb -- [meters] [days]
// The same counters as `EnergyMonitor.Bench backfill` (same seed and order), loaded with DuckDB's appender, then the
// raw GROUP BY a backfill replaces: use per meter and local day as max − min of the counter.
var meters = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var days = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 365;
var path = Path.Combine(Path.GetTempPath(), $"em-duckdb-{Guid.NewGuid():N}.duckdb");
try
{
    using var connection = new DuckDBConnection($"Data Source={path}");
    connection.Open();
    using (var create = connection.CreateCommand())
    {
        create.CommandText = "CREATE TABLE readings (meter VARCHAR, ts TIMESTAMPTZ, value DOUBLE)";
        create.ExecuteNonQuery();
    }

    var load = Stopwatch.StartNew();
    var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
    var random = new Random(7);
    var counters = new double[meters];
    var names = Enumerable.Range(0, meters).Select(m => $"m{m:D4}").ToArray();
    using (var appender = connection.CreateAppender("readings"))
    {
        for (var k = 0; k < days * 96; k++)
        {
            var t = from.AddMinutes(15 * k).UtcDateTime;
            for (var m = 0; m < meters; m++)
            {
                counters[m] += random.NextDouble() * 5;
                appender.CreateRow().AppendValue(names[m]).AppendValue(t).AppendValue(counters[m]).EndRow();
            }
        }
    }

    Console.WriteLine($"DuckDB load: {(long)meters * days * 96:N0} readings in {load.Elapsed.TotalSeconds:F1} s");
    var group = Stopwatch.StartNew();
    using var query = connection.CreateCommand();
    query.CommandText =
        "CREATE TABLE daily AS SELECT meter, date_trunc('day', ts + INTERVAL 8 HOUR) AS day, max(value) - min(value) AS amount, count(*) AS n " +
        "FROM readings GROUP BY ALL";
    query.ExecuteNonQuery();
    Console.WriteLine($"DuckDB GROUP BY meter, local day: {group.Elapsed.TotalSeconds:F2} s ({(long)meters * days * 96 / group.Elapsed.TotalSeconds:N0} readings/s)");
}
finally
{
    File.Delete(path);
    File.Delete(path + ".wal");
}
