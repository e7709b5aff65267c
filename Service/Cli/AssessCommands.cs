using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyMonitor.Acquisition.Import;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>weather import</c> and <c>assess</c>: temperatures in, a weather-normalised assessment out.</summary>
internal static class AssessCommands
{
    public static Command Weather(TimeProvider time)
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv or .xlsx file: station,date,mean_temp_c (daily means) or station,timestamp,temp_c (observations), in °C." };
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var import = new Command("import", "Import a weather station's temperatures. Every row is checked first; a file with any bad row is not imported (exit 2). Importing again changes nothing.")
        {
            file, settings, site,
        };
        import.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var path = parse.GetRequiredValue(file).FullName;
            var (readings, errors) = WeatherFile.Read(path, config.Site.Model.TimeZone, new ImportLimits(config.Time.GetUtcNow(), config.Settings.Mqtt.FutureSkew), ct);
            if (errors.Count > 0)
            {
                return await ConfigReport.RefuseFileAsync(errors, parse.InvocationConfiguration.Error).ConfigureAwait(false);
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            await store.Services.GetRequiredService<IReadingStore>().WriteAsync(readings, ct).ConfigureAwait(false);
            await store.FinishAsync(parse.InvocationConfiguration.Output, ct).ConfigureAwait(false);
            var stations = readings.Select(r => r.Meter.Value).Distinct().Count();
            await parse.InvocationConfiguration.Output.WriteLineAsync($"imported {readings.Count} temperatures of {stations} series from {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("weather", "Temperatures of the weather stations that buildings name with weatherStation in site.yaml.") { import, Fetch(time) };
    }

    private static Command Fetch(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var station = new Option<string>("--station") { Description = "The station id buildings name with weatherStation.", Required = true };
        var latitude = new Option<double>("--latitude") { Description = "The station's latitude, decimal degrees.", Required = true };
        var longitude = new Option<double>("--longitude") { Description = "The station's longitude, decimal degrees.", Required = true };
        var from = new Option<string>("--from") { Description = "First local day, yyyy-MM-dd.", Required = true };
        var to = new Option<string>("--to") { Description = "Last local day, yyyy-MM-dd.", Required = true };
        var url = new Option<Uri>("--url") { Description = "The archive's endpoint (Open-Meteo's historical API shape).", DefaultValueFactory = _ => WeatherArchive.OpenMeteo };
        var fetch = new Command("fetch", "Fetch a station's hourly temperatures from a public weather archive (Open-Meteo's historical API by default) into the store. Fetching again changes nothing.")
        {
            settings, site, station, latitude, longitude, from, to, url,
        };
        fetch.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var id = parse.GetRequiredValue(station);
            if (!EnergyMonitor.Site.SiteConfigLoader.IdPattern().IsMatch(id) || parse.GetValue(latitude) is < -90 or > 90 || parse.GetValue(longitude) is < -180 or > 180
                || !TryRange($"{parse.GetRequiredValue(from)}..{parse.GetRequiredValue(to)}", out var days))
            {
                await error.WriteLineAsync("--station: an id; --latitude −90…90; --longitude −180…180; --from and --to: yyyy-MM-dd, the first not after the last").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            IReadOnlyList<Reading> readings;
            try
            {
                readings = await new WeatherArchive(http, parse.GetRequiredValue(url)).FetchAsync(id, parse.GetValue(latitude), parse.GetValue(longitude), days.First, days.Last, config.Site.Model.TimeZone, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException or TaskCanceledException)
            {
                await error.WriteLineAsync($"weather fetch: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            await store.Services.GetRequiredService<IReadingStore>().WriteAsync(readings, ct).ConfigureAwait(false);
            await store.FinishAsync(parse.InvocationConfiguration.Output, ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"fetched {readings.Count} hourly temperatures of station {id} for {days.First:yyyy-MM-dd} … {days.Last:yyyy-MM-dd}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return fetch;
    }

    public static Command Assess(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var building = new Option<string>("--building") { Description = "The building's id in site.yaml.", Required = true };
        var baseline = new Option<string>("--baseline") { Description = "The baseline days, yyyy-MM-dd..yyyy-MM-dd (a year).", Required = true };
        var reporting = new Option<string>("--reporting") { Description = "The reporting days, yyyy-MM-dd..yyyy-MM-dd.", Required = true };
        var kind = new Option<string>("--kind") { Description = "The energy kind, as in site.yaml.", DefaultValueFactory = _ => "electricity" };
        var format = new Option<string>("--format") { Description = "text or json (see docs/ASSESSMENT.md for the JSON contract).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("assess",
            "Weather-normalised savings of a building (IPMVP Option C, CalTRACK 2.0 daily model): the baseline model, its fit against " +
            "ASHRAE Guideline 14, and the reporting period's avoided use with its uncertainty. Reads the daily rollups and the building's weather station.")
        {
            settings, site, building, baseline, reporting, kind, format,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryRange(parse.GetRequiredValue(baseline), out var baseDays) || !TryRange(parse.GetRequiredValue(reporting), out var reportDays))
            {
                await error.WriteLineAsync($"--baseline and --reporting: expected yyyy-MM-dd..yyyy-MM-dd, the first day not after the last, within {Web.QueryInput.FirstYear}–{Web.QueryInput.LastYear}").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            if (!EnergyKinds.TryParse(parse.GetRequiredValue(kind), out var energyKind))
            {
                await error.WriteLineAsync($"--kind: \"{parse.GetRequiredValue(kind)}\" is not an energy kind").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var id = parse.GetRequiredValue(building);
            if (config.Site.Model.Buildings.All(b => b.Id != id))
            {
                await error.WriteLineAsync($"--building: no building \"{id}\" in the site file").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var report = await store.Services.GetRequiredService<BuildingAssessment>().AssessAsync(id, energyKind, baseDays, reportDays, ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(parse.GetRequiredValue(format) == "json" ? AssessmentJson.Write(report) : AssessmentText.Write(report)).ConfigureAwait(false);
            return report.Result.Model is null ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A day range as the API reads it (<see cref="Web.QueryInput.TryDayRange"/>), without the API's span cap: the CLI may fetch years of weather.</summary>
    private static bool TryRange(string text, out DayRange range)
    {
        var ok = Web.QueryInput.TryDayRange(text, out var first, out var last, out _, maxDays: int.MaxValue);
        range = ok ? new DayRange(first, last) : default;
        return ok;
    }
}

/// <summary>The assessment as the JSON contract of docs/ASSESSMENT.md: field names and units are stable for scripts.</summary>
internal static class AssessmentJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Converters = { new Web.FiniteOrNullConverter() } };

    public static string Write(AssessmentReport r)
    {
        var m = r.Result.Model;
        var s = r.Savings;
        var document = new Dictionary<string, object?>
        {
            ["building"] = r.Building,
            ["kind"] = EnergyKinds.ConfigName(r.Kind),
            ["weatherStation"] = r.WeatherStation,
            ["baseline"] = new { from = r.Baseline.First.ToString("O", CultureInfo.InvariantCulture), to = r.Baseline.Last.ToString("O", CultureInfo.InvariantCulture) },
            ["reporting"] = new { from = r.Reporting.First.ToString("O", CultureInfo.InvariantCulture), to = r.Reporting.Last.ToString("O", CultureInfo.InvariantCulture) },
            ["sufficient"] = r.Result.Sufficiency.IsSufficient,
            ["insufficientBecause"] = r.Result.Sufficiency.Reasons.Select(x => x.En).ToList(),
            ["model"] = m is null ? null : new Dictionary<string, object?>
            {
                ["type"] = m.Type.ToString(),
                ["heatingBalancePointC"] = m.HeatingBalanceC,
                ["coolingBalancePointC"] = m.CoolingBalanceC,
                ["intercept"] = m.Intercept,
                ["heatingSlope"] = m.HeatingBalanceC is null ? null : m.HeatingSlope,
                ["coolingSlope"] = m.CoolingBalanceC is null ? null : m.CoolingSlope,
                ["r2"] = m.Fit.R2,
                ["adjustedR2"] = m.Fit.AdjustedR2,
                ["cvrmse"] = m.Fit.CvRmse,
                ["nmbe"] = m.Fit.Nmbe,
                ["passesGuideline14"] = m.Fit.PassesGuideline14,
                ["days"] = m.Days,
            },
            ["savings"] = s is null ? null : new Dictionary<string, object?>
            {
                ["predicted"] = s.Predicted,
                ["actual"] = s.Actual,
                ["avoided"] = s.Avoided,
                ["unit"] = EnergyKinds.CanonicalUnit(r.Kind).Symbol,
                ["avoidedKgce"] = r.Avoided?.Kgce.Value,
                ["avoidedKgCo2"] = r.Avoided?.Co2.Value,
                ["coefficientSet"] = r.Avoided?.SetId,
                ["fraction"] = s.Fraction,
                ["fractionalUncertainty90"] = s.FractionalUncertainty,
                ["reportingDays"] = s.ReportingDays,
            },
            ["notes"] = r.Notes.Select(x => x.En).ToList(),
        };
        return JsonSerializer.Serialize(document, Options);
    }
}

/// <summary>The assessment for an energy officer reading a terminal.</summary>
internal static class AssessmentText
{
    public static string Write(AssessmentReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { $"Building {r.Building}, {EnergyKinds.ConfigName(r.Kind)}, weather station {r.WeatherStation}", $"Baseline {r.Baseline.First:yyyy-MM-dd} … {r.Baseline.Last:yyyy-MM-dd}; reporting {r.Reporting.First:yyyy-MM-dd} … {r.Reporting.Last:yyyy-MM-dd}" };
        if (r.Result.Model is not { } m)
        {
            lines.Add("No assessment: " + string.Join("; ", r.Result.Sufficiency.Reasons.Select(x => x.En)));
            return string.Join(Environment.NewLine, lines);
        }

        var unit = EnergyKinds.CanonicalUnit(r.Kind).Symbol;
        lines.Add(string.Create(c, $"Model {m.Type}: {m.Intercept:N1} {unit}/day") +
            (m.HeatingBalanceC is { } h ? string.Create(c, $" + {m.HeatingSlope:N2} × HDD({h:0.0} °C)") : "") +
            (m.CoolingBalanceC is { } k ? string.Create(c, $" + {m.CoolingSlope:N2} × CDD({k:0.0} °C)") : ""));
        lines.Add(string.Join("; ", m.Fit.Verdicts.Select(v => $"{v.Metric} {Shown(v)} ({v.Threshold}: {(v.Pass ? "pass" : "fail")})")));
        if (r.Savings is { } s)
        {
            lines.Add(string.Create(c, $"Predicted {s.Predicted:N0} {unit}, actual {s.Actual:N0} {unit}, avoided {s.Avoided:N0} {unit} ({s.Fraction:P1}") +
                (s.FractionalUncertainty is { } u ? string.Create(c, $" ± {u * Math.Abs(s.Fraction):P1} at 90 %)") : ")"));
            if (r.Avoided is { } a)
            {
                lines.Add(string.Create(c, $"Avoided {a.Kgce.Value:N0} kgce and {a.Co2.Value:N0} kgCO2 by coefficient set {a.SetId}"));
            }
        }

        lines.AddRange(r.Notes.Select(n => "Note: " + n.En));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>R² as a number, the others as percentages; rounding never shows a "−0".</summary>
    private static string Shown(Verdict v)
    {
        var value = Math.Round(v.Value, 4) + 0.0;
        return v.Metric == "R²" ? value.ToString("0.000", CultureInfo.InvariantCulture) : value.ToString("P1", CultureInfo.InvariantCulture);
    }
}
