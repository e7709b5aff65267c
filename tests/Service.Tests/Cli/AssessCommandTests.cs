using System.Globalization;
using System.Text;
using System.Text.Json;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>
/// From files to an assessment through the commands an energy officer runs: import two years of a building's
/// counter readings and its weather station's daily means, roll up, assess; the JSON contract is parsed back.
/// </summary>
public sealed class AssessCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-assess-").FullName;

    private static double Use(double t) => 100 + (8 * DegreeDays.Heating(t, 14)) + (12 * DegreeDays.Cooling(t, 20));

    [Fact]
    public void Import_rollup_weather_import_and_assess_find_a_tenth_saved_after_a_retrofit()
    {
        var settings = Setup(withStation: true);
        var random = new Random(3);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var readings = new StringBuilder("meter,timestamp,value\n");
        var weather = new StringBuilder("station,date,mean_temp_c\n");
        var counter = 50_000.0;
        var first = new DateOnly(2024, 1, 1);
        for (var d = 0; d <= 731; d++)
        {
            var day = first.AddDays(d);
            readings.Append(CultureInfo.InvariantCulture, $"total,{day:yyyy-MM-dd} 00:00,{counter:F3}\n");
            var t = 16 - (13 * Math.Cos(2 * Math.PI * (d - 15) / 365.0)) + (3 * Gaussian());
            weather.Append(CultureInfo.InvariantCulture, $"nanjing,{day:yyyy-MM-dd},{t:F2}\n");
            counter += (day.Year == 2025 ? 0.9 : 1.0) * (Use(t) + (4 * Gaussian()));
        }

        File.WriteAllText(Path.Combine(_dir, "readings.csv"), readings.ToString());
        File.WriteAllText(Path.Combine(_dir, "weather.csv"), weather.ToString());

        Assert.Equal(0, CliRunner.Run("import", Path.Combine(_dir, "readings.csv"), "--settings", settings).Exit);
        Assert.Equal(0, CliRunner.Run("rollup", "--settings", settings).Exit);
        var imported = CliRunner.Run("weather", "import", Path.Combine(_dir, "weather.csv"), "--settings", settings);
        Assert.Equal(0, imported.Exit);
        Assert.Contains("imported 732 temperatures", imported.Out);

        var (exit, json, error) = CliRunner.Run("assess", "--building", "b1", "--baseline", "2024-01-01..2024-12-31", "--reporting", "2025-01-01..2025-12-31", "--format", "json", "--settings", settings);

        Assert.True(exit == 0, error + json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.True(root.GetProperty("sufficient").GetBoolean());
        var model = root.GetProperty("model");
        Assert.Equal("HddCdd", model.GetProperty("type").GetString());
        Assert.InRange(model.GetProperty("heatingBalancePointC").GetDouble(), 12.5, 15.5);
        Assert.InRange(model.GetProperty("coolingBalancePointC").GetDouble(), 18.5, 21.5);
        Assert.True(model.GetProperty("passesGuideline14").GetBoolean());
        var savings = root.GetProperty("savings");
        Assert.InRange(savings.GetProperty("fraction").GetDouble(), 0.085, 0.115);
        Assert.Equal("kWh", savings.GetProperty("unit").GetString());
        Assert.True(savings.GetProperty("avoidedKgce").GetDouble() > 0);
        Assert.Equal(365, savings.GetProperty("reportingDays").GetInt32());

        var text = CliRunner.Run("assess", "--building", "b1", "--baseline", "2024-01-01..2024-12-31", "--reporting", "2025-01-01..2025-12-31", "--settings", settings);
        Assert.Contains("Model HddCdd", text.Out);
        Assert.Contains("CV(RMSE)", text.Out);
    }

    [Fact]
    public void A_building_without_a_weather_station_gets_no_assessment_and_is_told_why()
    {
        var settings = Setup(withStation: false);

        var (exit, output, _) = CliRunner.Run("assess", "--building", "b1", "--baseline", "2024-01-01..2024-12-31", "--reporting", "2025-01-01..2025-12-31", "--settings", settings);

        Assert.Equal(1, exit);
        Assert.Contains("names no weatherStation", output);
    }

    [Fact]
    public void A_weather_file_with_an_impossible_temperature_is_refused_whole_with_exit_2()
    {
        var settings = Setup(withStation: true);
        File.WriteAllText(Path.Combine(_dir, "bad.csv"), "station,date,mean_temp_c\nnanjing,2024-01-01,3.5\nnanjing,2024-01-02,85\n");

        var (exit, _, error) = CliRunner.Run("weather", "import", Path.Combine(_dir, "bad.csv"), "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("mean_temp_c: found \"85\"", error);
        Assert.Contains("nothing imported", error);
    }

    [Fact]
    public void A_kind_the_building_has_no_use_of_is_assessed_to_null_figures_in_json_not_a_crash()
    {
        // Every day's water use is 0: the fitted model's CV(RMSE) is infinite, which JSON cannot write.
        var settings = WithTemperatures();

        var (exit, json, error) = CliRunner.Run("assess", "--building", "b1", "--kind", "water", "--baseline", "2024-01-01..2024-12-31", "--reporting", "2025-01-01..2025-03-31", "--format", "json", "--settings", settings);

        Assert.True(exit is 0 or 1, error + json);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.GetProperty("model") is { ValueKind: JsonValueKind.Object } model)
        {
            Assert.Equal(JsonValueKind.Null, model.GetProperty("cvrmse").ValueKind);
        }
    }

    [Fact]
    public void Periods_a_century_apart_read_only_their_own_days_and_years_outside_2000_to_2100_are_refused()
    {
        var settings = WithTemperatures();
        var (bad, _, why) = CliRunner.Run("assess", "--building", "b1", "--baseline", "0002-01-01..0002-01-31", "--reporting", "9998-01-01..9998-12-31", "--settings", settings);
        Assert.Equal(2, bad);
        Assert.Contains("2000–2100", why, StringComparison.Ordinal);

        // The span between the periods is not read: 37,000 days of temperatures and use once were.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (exit, output, error) = CliRunner.Run("assess", "--building", "b1", "--baseline", "2000-01-01..2000-12-31", "--reporting", "2099-01-01..2099-12-31", "--settings", settings);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(exit is 0 or 1, error + output);
        Assert.True(allocated < 40_000_000, $"{allocated:N0} bytes allocated");
    }

    private string WithTemperatures()
    {
        var settings = Setup(withStation: true);
        var weather = new StringBuilder("station,date,mean_temp_c\n");
        for (var day = new DateOnly(2024, 1, 1); day <= new DateOnly(2025, 3, 31); day = day.AddDays(1))
        {
            weather.Append(CultureInfo.InvariantCulture, $"nanjing,{day:yyyy-MM-dd},{16 - (13 * Math.Cos(2 * Math.PI * day.DayOfYear / 365.0)):F2}\n");
        }

        File.WriteAllText(Path.Combine(_dir, "weather.csv"), weather.ToString());
        Assert.Equal(0, CliRunner.Run("weather", "import", Path.Combine(_dir, "weather.csv"), "--settings", settings).Exit);
        return settings;
    }

    private string Setup(bool withStation)
    {
        var yaml = withStation ? SiteYaml.With("class: B", "class: B\n        weatherStation: nanjing") : SiteYaml.Valid;
        File.WriteAllText(Path.Combine(_dir, "site.yaml"), yaml);
        CliRunner.CopyTemplates(_dir);

        var settings = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(settings, """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "em.db" } } } }""");
        return settings;
    }


    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
