using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiniExcelLibs;

namespace EnergyMonitor.Reports.Submission;

/// <summary>A region's 行政区域汇总: every energy summed over its institutions' submissions.</summary>
public sealed record RegionSummary(string RegionCode, int Year, int Institutions, double FloorArea, int Occupants, IReadOnlyList<EnergyRow> Energy, double TotalKgce);

/// <summary>The submission as JSON (versioned contract), CSV and an XLSX laid out like the base forms.</summary>
public static class SubmissionExports
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(IReadOnlyList<InstitutionSubmission> submissions, RegionSummary summary) =>
        JsonSerializer.Serialize(new { version = InstitutionSubmission.CurrentVersion, edition = InstitutionSubmission.CurrentEdition, summary, submissions }, Json);

    public static IReadOnlyList<InstitutionSubmission> FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var version = document.RootElement.GetProperty("version").GetInt32();
        if (version != InstitutionSubmission.CurrentVersion)
        {
            throw new InvalidDataException($"submission version {version}; this build reads version {InstitutionSubmission.CurrentVersion}");
        }

        return document.RootElement.GetProperty("submissions").Deserialize<List<InstitutionSubmission>>(Json) ?? [];
    }

    public static RegionSummary Summarise(string regionCode, int year, IReadOnlyList<InstitutionSubmission> submissions) =>
        new(regionCode, year, submissions.Count, submissions.Sum(s => s.Basic.FloorArea ?? 0), submissions.Sum(s => s.Basic.Occupants ?? 0),
            [.. FormEnergies.All.Where(f => submissions.Any(s => s.Energy.Any(e => e.Code == f.Code))).Select(f =>
            {
                var rows = submissions.SelectMany(s => s.Energy).Where(e => e.Code == f.Code).ToList();
                return new EnergyRow(f.Code, f.Name, f.Kind, f.Unit, rows.Sum(r => r.Quantity), rows.All(r => r.AmountYuan is not null) ? rows.Sum(r => r.AmountYuan!.Value) : null,
                    rows.All(r => r.LastYear is not null) ? rows.Sum(r => r.LastYear!.Value) : null);
            })],
            submissions.Sum(s => s.TotalKgce));

    /// <summary>
    /// The summary tables: 部门汇总 by 主管部门 (institutions without one under 未填部门), 分类汇总 by 单位性质 — each a
    /// summary of its group, so every total equals the sum of its members.
    /// </summary>
    public static IReadOnlyList<(string Group, RegionSummary Summary)> ByDepartment(string regionCode, int year, IReadOnlyList<InstitutionSubmission> submissions) =>
        [.. submissions.GroupBy(s => s.Basic.Department ?? "未填部门").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, Summarise(regionCode, year, [.. g])))];

    public static IReadOnlyList<(string Group, RegionSummary Summary)> ByNature(string regionCode, int year, IReadOnlyList<InstitutionSubmission> submissions) =>
        [.. submissions.GroupBy(s => $"{s.Basic.NatureCode} {s.Basic.NatureName}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, Summarise(regionCode, year, [.. g])))];

    /// <summary>The base forms as rows: 表, 行次, 指标名称, 计量单位, 代码, 本年, 上年 — the layout of the paper forms (table numbers not published [U]).</summary>
    public static IReadOnlyList<string[]> FormRows(InstitutionSubmission s)
    {
        string N(double? v, int d = 0) => v is { } x ? x.ToString("F" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "";
        var rows = new List<string[]>
        {
            new[] { "基本信息", "1", "统一社会信用代码", "—", "", s.Basic.CreditCode, "" },
            new[] { "基本信息", "2", "单位名称", "—", "", s.Basic.Name, "" },
            new[] { "基本信息", "3", "单位性质", "—", s.Basic.NatureCode, s.Basic.NatureName, "" },
            new[] { "基本信息", "4", "建筑面积（不含住宅、宿舍）", "平方米", "", N(s.Basic.FloorArea), "" },
            new[] { "基本信息", "5", "用能人数（含编外人员）", "人", "", N(s.Basic.Occupants), "" },
            new[] { "基本信息", "6", "编制人数", "人", "", N(s.Basic.StaffEstablishment), "" },
            new[] { "基本信息", "7", "车辆数", "辆", "", N(s.Basic.Vehicles), "" },
            new[] { "基本信息", "8", "　其中：汽油车", "辆", "", N(s.Basic.VehiclesGasoline), "" },
            new[] { "基本信息", "9", "　　　　柴油车", "辆", "", N(s.Basic.VehiclesDiesel), "" },
            new[] { "基本信息", "10", "　　　　新能源车", "辆", "", N(s.Basic.VehiclesNewEnergy), "" },
        };
        var line = 1;
        foreach (var e in s.Energy)
        {
            rows.Add(["能源资源消费状况", (line++).ToString(CultureInfo.InvariantCulture), e.Name + "消费量", e.Unit, e.Code, N(e.Quantity, 2), N(e.LastYear, 2)]);
            rows.Add(["能源资源消费状况", (line++).ToString(CultureInfo.InvariantCulture), e.Name + "金额", "元", e.Code, N(e.AmountYuan, 2), ""]);
        }

        rows.Add(["能源资源消费状况", (line++).ToString(CultureInfo.InvariantCulture), "综合能耗", "千克标准煤", "", N(s.TotalKgce, 2), ""]);
        if (s.DataCentre is { } dc)
        {
            rows.Add(["数据中心机房能源消费状况", "1", "电力消费量", "千瓦时", "01", N(dc.ElectricityKwh, 2), ""]);
            rows.Add(["数据中心机房能源消费状况", "2", "电力金额", "元", "01", N(dc.AmountYuan, 2), ""]);
        }

        if (s.Heating is { } h)
        {
            rows.Add(["采暖能源资源消费状况", "1", "热力消费量（按热量收费）", "吉焦", "08", N(h.HeatGj, 2), ""]);
            rows.Add(["采暖能源资源消费状况", "2", "热力金额", "元", "08", N(h.AmountYuan, 2), ""]);
            rows.Add(["采暖能源资源消费状况", "3", "采暖面积", "平方米", "", N(h.HeatedArea), ""]);
        }

        return rows;
    }

    public static readonly string[] FormHeader = ["表", "行次", "指标名称", "计量单位", "代码", "本年", "上年"];

    public static byte[] Csv(IReadOnlyList<InstitutionSubmission> submissions)
    {
        var text = new StringBuilder();
        text.AppendLine("机构," + string.Join(",", FormHeader));
        foreach (var s in submissions)
        {
            foreach (var row in FormRows(s))
            {
                text.AppendLine(string.Join(",", new[] { s.Institution }.Concat(row).Select(Rendering.SpreadsheetCells.Csv)));
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>One sheet per institution with the forms' rows, the 行政区域汇总, and the 部门汇总 and 分类汇总 sheets.</summary>
    public static byte[] Xlsx(IReadOnlyList<InstitutionSubmission> submissions, RegionSummary summary)
    {
        var sheets = new Dictionary<string, object>();
        foreach (var s in submissions)
        {
            sheets[Sheet(s.Basic.Name)] = FormRows(s).Select(r => (IDictionary<string, object?>)FormHeader.Select((h, i) => (h, (object?)Rendering.SpreadsheetCells.Text(r[i]))).ToDictionary(p => p.h, p => p.Item2)).ToList();
        }

        sheets["行政区域汇总"] = summary.Energy.Select(e => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["代码"] = e.Code,
            ["能源品种"] = e.Name,
            ["计量单位"] = e.Unit,
            ["本年消费量"] = e.Quantity,
            ["金额（元）"] = e.AmountYuan,
            ["上年消费量"] = e.LastYear,
        }).ToList();
        sheets["部门汇总"] = SummaryRows(ByDepartment(summary.RegionCode, summary.Year, submissions));
        sheets["分类汇总"] = SummaryRows(ByNature(summary.RegionCode, summary.Year, submissions));
        using var stream = new MemoryStream();
        stream.SaveAs(sheets);
        return stream.ToArray();
    }

    private static List<IDictionary<string, object?>> SummaryRows(IEnumerable<(string Group, RegionSummary Summary)> groups) =>
        [.. groups.SelectMany(g => g.Summary.Energy.Select(e => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["分组"] = Rendering.SpreadsheetCells.Text(g.Group.Length == 0 ? g.Summary.RegionCode : g.Group), ["单位数"] = g.Summary.Institutions, ["代码"] = e.Code, ["能源品种"] = e.Name, ["计量单位"] = e.Unit,
            ["本年消费量"] = e.Quantity, ["金额（元）"] = e.AmountYuan, ["上年消费量"] = e.LastYear, ["综合能耗（千克标准煤）"] = g.Summary.TotalKgce,
        }))];

    private static string Sheet(string name) => new([.. name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).Take(31)]);
}
