using System.CommandLine;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Site;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>submit</c>: the statistical submission (公共机构能源资源消费统计) of a year, reviewed before it is written.</summary>
internal static class SubmitCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var year = new Option<int>("--year") { Description = "The year reported (the previous year, filed by 31 March).", Required = true };
        var institution = new Option<string?>("--institution") { Description = "One institution's id; default all of the site." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the forms go.", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var explanations = new Option<FileInfo?>("--explanations") { Description = "YAML: institution id → field → the reason for a change the review asks about." };
        var command = new Command("submit",
            $"The statistical submission of a year in the {InstitutionSubmission.CurrentEdition} edition of the forms (基本信息, 能源资源消费状况, 数据中心机房, 采暖), " +
            "with the 行政区域汇总. Reviewed first (审核): while any finding is an error it writes nothing, lists them, and exits 2.")
        {
            settings, site, year, institution, output, explanations,
        };
        command.Add(Import(time));
        command.Add(Explanations(time));
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var stdout = parse.InvocationConfiguration.Output;
            var y = parse.GetValue(year);
            var id = parse.GetValue(institution);
            var model = config.Site.Model;
            if (id is not null && model.Institutions.All(i => i.Id != id))
            {
                await error.WriteLineAsync($"--institution: no institution \"{id}\" in the site file").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            (string, IReadOnlyDictionary<string, Dictionary<string, string>>)? file = null;
            if (parse.GetValue(explanations) is { } path)
            {
                var (loaded, problems) = ExplanationFile.Load(path.FullName);
                if (problems.Count > 0)
                {
                    ConfigReport.Write(problems, error);
                    return ExitCodes.ConfigInvalid;
                }

                file = (path.Name, loaded);
            }

            // The quotas as the service loads them: an error in quotas.yaml stops the command with exit 2 (CliStore
            // registers the reports, which refuse a malformed file), never a submission judged without its quotas.
            // The explanations are those entered in the console for the year, and over them the file's.
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var stored = await store.Services.GetRequiredService<Core.Ports.IExplanationStore>().ListAsync(y, ct).ConfigureAwait(false);
            var reviewed = await store.Services.GetRequiredService<SubmissionReviewer>()
                .ReviewAsync(y, file is { } given ? SubmissionReviewer.Merge(stored, given.Item2, y, given.Item1, time.GetUtcNow()) : stored, id, ct).ConfigureAwait(false);
            var submissions = reviewed.Submissions;
            var findings = reviewed.Remaining.ToList();
            foreach (var f in findings.OrderBy(f => f.Level).ThenBy(f => f.Institution, StringComparer.Ordinal))
            {
                await (f.Level == FindingLevel.Error ? error : stdout).WriteLineAsync(
                    $"{(f.Level == FindingLevel.Error ? "错误" : "提示")} {f.Institution} {f.Field} = {f.Value}：{f.Rule}。处理：{f.Fix}").ConfigureAwait(false);
            }

            var errors = findings.Count(f => f.Level == FindingLevel.Error);
            if (errors > 0)
            {
                await error.WriteLineAsync($"审核未通过：{errors} 个错误，未导出。修正或说明后重新运行（在控制台“统计报送”页填写说明，或 --explanations）。").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var summary = SubmissionExports.Summarise(model.Region.Code, y, submissions);
            var directory = parse.GetRequiredValue(output);
            directory.Create();
            var name = Path.Combine(directory.FullName, $"submission-{model.Region.Code}-{y}");
            await File.WriteAllTextAsync(name + ".json", SubmissionExports.ToJson(submissions, summary), ct).ConfigureAwait(false);
            await File.WriteAllBytesAsync(name + ".csv", SubmissionExports.Csv(submissions), ct).ConfigureAwait(false);
            await File.WriteAllBytesAsync(name + ".xlsx", SubmissionExports.Xlsx(submissions, summary), ct).ConfigureAwait(false);
            await stdout.WriteLineAsync($"审核通过（{findings.Count} 个提示）。{submissions.Count} 个单位，综合能耗合计 {summary.TotalKgce / 1000:N2} tce；已写出 {name}.json / .csv / .xlsx（{InstitutionSubmission.CurrentEdition} 版）").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>submit explanations --year Y</c>: the explanations entered in the console for a year, written in the form
    /// <c>--explanations</c> reads (who gave each and when in a comment above it), to keep with the year's files or to
    /// edit and pass back.
    /// </summary>
    private static Command Explanations(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var year = new Option<int>("--year") { Description = "The year reported.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "The YAML file to write; default standard output." };
        var command = new Command("explanations", "Write the review explanations entered in the console for a year, as the YAML file --explanations reads.") { settings, site, year, output };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var y = parse.GetValue(year);
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var stored = await store.Services.GetRequiredService<Core.Ports.IExplanationStore>().ListAsync(y, ct).ConfigureAwait(false);
            var zone = config.Site.Model.TimeZone;
            var yaml = ExplanationFile.Format($"{y} 年统计报表审核说明（submit --explanations 读取此文件），{stored.Count} 条，由 submit explanations 写出。",
                stored.Select(e => (e.Institution, e.Field, e.Reason, (string?)$"{e.By} {TimeZoneInfo.ConvertTime(e.At, zone):yyyy-MM-dd HH:mm}")));
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, yaml, new System.Text.UTF8Encoding(false), ct).ConfigureAwait(false);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteAsync(yaml).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>submit import DIR</c>: a city or province reads its counties' JSON submissions (each as <c>submit</c> wrote it)
    /// and writes the 行政区域汇总 over all of them. No database is shared: submissions flow upwards as files.
    /// </summary>
    private static Command Import(TimeProvider time)
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder of submission-*.json files from the counties." };
        var region = new Option<string>("--region") { Description = "The 行政区划 code of the region summed (a city: 6 digits ending 00).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the summary goes.", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var import = new Command("import", "Sum the counties' submissions into the region's 行政区域汇总 (JSON and XLSX). Every county must report the same year and edition.")
        {
            directory, region, output,
        };
        import.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var files = parse.GetRequiredValue(directory).GetFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
            var code = parse.GetRequiredValue(region);
            if (files.Count == 0 || !Core.Site.Codes.IsValidRegionCode(code))
            {
                await error.WriteLineAsync(files.Count == 0 ? $"{parse.GetRequiredValue(directory).FullName}: no submission .json files" : $"--region: \"{code}\" is not a 6-digit 行政区划 code").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var all = new List<InstitutionSubmission>();
            foreach (var file in files)
            {
                try
                {
                    var submissions = SubmissionExports.FromJson(await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false));
                    var foreign = submissions.FirstOrDefault(s => !Core.Site.Codes.IsWithinRegion(s.RegionCode, code));
                    if (foreign is not null)
                    {
                        await error.WriteLineAsync($"{file.Name}: institution {foreign.Institution} of region {foreign.RegionCode} is not within {code}").ConfigureAwait(false);
                        return ExitCodes.ConfigInvalid;
                    }

                    all.AddRange(submissions);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or KeyNotFoundException)
                {
                    await error.WriteLineAsync($"{file.Name}: not a submission this build reads: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.ConfigInvalid;
                }
            }

            var years = all.Select(s => s.Year).Distinct().ToList();
            var duplicates = all.GroupBy(s => s.Basic.CreditCode).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (years.Count != 1 || duplicates.Count > 0)
            {
                await error.WriteLineAsync(years.Count != 1 ? $"the files report different years: {string.Join(", ", years)}" : $"institutions reported twice: {string.Join(", ", duplicates)}").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var summary = SubmissionExports.Summarise(code, years[0], all);
            var outDir = parse.GetRequiredValue(output);
            outDir.Create();
            var name = Path.Combine(outDir.FullName, $"submission-{code}-{years[0]}-summary");
            await File.WriteAllTextAsync(name + ".json", SubmissionExports.ToJson(all, summary), ct).ConfigureAwait(false);
            await File.WriteAllBytesAsync(name + ".xlsx", SubmissionExports.Xlsx(all, summary), ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{files.Count} 个文件，{all.Count} 个单位，综合能耗合计 {summary.TotalKgce / 1000:N2} tce → {name}.json / .xlsx").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return import;
    }
}
