using System.CommandLine;
using System.Text.Json;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Site;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>score</c>: each institution's annual assessment (考核评价) by the configured scheme.</summary>
internal static class ScoreCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var year = new Option<int>("--year") { Description = "The assessed year; a year not yet over is scored to date.", Required = true };
        var institution = new Option<string?>("--institution") { Description = "One institution's id; default all." };
        var scheme = new Option<FileInfo?>("--scheme") { Description = "The scheme; default scorecard.yaml beside the settings file." };
        var input = new Option<FileInfo?>("--input") { Description = "The officer's entries; default scorecard-YEAR.yaml beside the settings file (items left out score 0)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("score",
            "The annual energy- and resource-saving assessment (节约能源资源考核评价) of each institution: the quantitative items from the " +
            "indicators against their annual and five-year targets and the quota, the qualitative items the officer entered, the total, the grade and any veto.")
        {
            settings, site, year, institution, scheme, input, format,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var y = parse.GetValue(year);
            var folder = Path.GetDirectoryName(config.SettingsFile)!;
            var schemePath = parse.GetValue(scheme)?.FullName ?? Path.Combine(folder, "scorecard.yaml");
            var (loaded, schemeErrors) = ScorecardFiles.LoadScheme(schemePath);
            if (loaded is null)
            {
                ConfigReport.Write(schemeErrors, error);
                return ExitCodes.ConfigInvalid;
            }

            var inputPath = parse.GetValue(input)?.FullName ?? Path.Combine(folder, $"scorecard-{y}.yaml");
            IReadOnlyDictionary<string, ScoreInput> inputs = new Dictionary<string, ScoreInput>();
            if (File.Exists(inputPath) || parse.GetValue(input) is not null)
            {
                var (entries, inputYear, inputErrors) = ScorecardFiles.LoadInput(inputPath);
                if (inputErrors.Count > 0 || inputYear != y)
                {
                    ConfigReport.Write(inputErrors.Count > 0 ? inputErrors : [new ConfigError(inputPath, 0, 0, "year", $"{inputYear}", $"{y}, the year scored")], error);
                    return ExitCodes.ConfigInvalid;
                }

                inputs = entries;
            }

            var id = parse.GetValue(institution);
            if (id is not null && config.Site.Model.Institutions.All(i => i.Id != id))
            {
                await error.WriteLineAsync($"--institution: no institution \"{id}\" in the site file").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var results = await store.Services.GetRequiredService<InstitutionScores>().ScoreAsync(loaded, y, inputs, id, ct).ConfigureAwait(false);
            var quotaPath = Path.Combine(folder, "quotas.yaml");
            if (File.Exists(quotaPath))
            {
                var (quotas, quotaErrors) = QuotaFile.Load(quotaPath);
                if (quotaErrors.Count > 0)
                {
                    ConfigReport.Write(quotaErrors, error);
                    return ExitCodes.ConfigInvalid;
                }

                results = [.. results.Select(r => r with { Quotas = ScorecardSetup.Place(r, config.Site.Model, quotas) })];
            }

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetRequiredValue(format) == "json")
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new { scheme = loaded.Name, source = loaded.Source, year = y, results }, Json)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"{loaded.Name}（{y}）\n{loaded.Source}").ConfigureAwait(false);
            foreach (var r in results)
            {
                var name = config.Site.Model.Institutions.First(i => i.Id == r.Institution).Name;
                await output.WriteLineAsync($"\n{name}（{r.Institution}）：{r.Score:0.#} / {r.Total:0} 分，{r.Grade}").ConfigureAwait(false);
                foreach (var item in r.Items)
                {
                    await output.WriteLineAsync($"  {item.Name,-24} {item.Score,5:0.#} / {item.Points,-3:0}  {item.Basis.Zh}").ConfigureAwait(false);
                }

                foreach (var q in r.Quotas)
                {
                    var band = q.Band switch
                    {
                        Analytics.Quotas.QuotaBand.AtOrBelowGuide => "达到引导值",
                        Analytics.Quotas.QuotaBand.BelowBaseline => "介于引导值与基准值之间",
                        Analytics.Quotas.QuotaBand.BelowConstraint => "介于基准值与约束值之间",
                        _ => "超过约束值",
                    };
                    await output.WriteLineAsync($"  能耗定额（{q.Quota.Name}）：{q.Value:0.##}，{band}（引导 {q.Quota.Guide} / 基准 {q.Quota.Baseline} / 约束 {q.Quota.Constraint}；{q.Quota.Source} [{q.Quota.Confidence}]）").ConfigureAwait(false);
                }

                if (r.Quotas.Count == 0)
                {
                    await output.WriteLineAsync("  能耗定额：本地区未配置适用的定额（config/quotas.yaml）").ConfigureAwait(false);
                }

                foreach (var veto in r.Vetoed)
                {
                    await output.WriteLineAsync($"  一票否决：{veto}").ConfigureAwait(false);
                }

                foreach (var note in r.Notes)
                {
                    await output.WriteLineAsync($"  注：{note.Zh}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
