using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Storage.Embedded;
using MiniExcelLibs;

namespace EnergyMonitor.Reports.Tests;

/// <summary>The submission: built from the rollups, one failing example per review rule, the region summary, and the form layout read back.</summary>
[Collection("report")]
public sealed class SubmissionTests(ReportFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Institution Institution = new("i1", "区机关事务管理中心", "11320117MB0123456D", "01",
        [new YearFacts(2025, new Quantity<SquareMetre>(10_000), 400, 380, 4), new YearFacts(2026, new Quantity<SquareMetre>(10_000), 400, 380, 4) { VehiclesByFuel = new VehicleCounts(2, 1, 1, 0) }], null, []);

    /// <summary>A clean submission: every rule passes. Each test breaks one thing.</summary>
    internal static InstitutionSubmission Clean() => new(1, "2025-11", 2026, "320117", "i1",
        new BasicInfo("11320117MB0123456D", "区机关事务管理中心", "01", "国家机关", 10_000, 400, 380, 4, 2, 1, 1, 0),
        [
            new EnergyRow("01", "电力", EnergyKind.Electricity, "千瓦时", 1_000_000, 700_000, 1_020_000),
            new EnergyRow("02", "水", EnergyKind.Water, "吨", 20_000, 100_000, 19_500),
        ],
        null, null, 122_900, 12.29, 307.25, 50, 0.01, "CN-2023");

    private static IReadOnlyList<ReviewFinding> Review(InstitutionSubmission s, IReadOnlyDictionary<string, string>? explanations = null, IReadOnlyList<EnergyQuota>? quotas = null,
        IReadOnlyList<(EnergyKind, double, double)>? tieOut = null) =>
        SubmissionReview.Check(s, Institution, new ReviewOptions(), explanations ?? new Dictionary<string, string>(), quotas ?? [], tieOut ?? []);

    [Fact]
    public void A_clean_submission_passes_every_rule() => Assert.Empty(Review(Clean()));

    [Fact]
    public void A_bad_credit_code_is_a_missing_required_field() =>
        Assert.Contains(Review(Clean() with { Basic = Clean().Basic with { CreditCode = "11320117MB0123456X" } }), f => f.Field == "基本信息.统一社会信用代码" && f.Level == FindingLevel.Error);

    [Fact]
    public void A_year_on_year_change_beyond_ten_percent_needs_an_explanation_and_one_clears_it()
    {
        var s = Clean() with { Energy = [Clean().Energy[0] with { Quantity = 1_200_000 }, Clean().Energy[1]] };

        var finding = Assert.Single(Review(s));
        Assert.Equal("能源资源消费状况.电力", finding.Field);
        Assert.Contains("+17.6 %", finding.Value, StringComparison.Ordinal);
        Assert.Empty(Review(s, new Dictionary<string, string> { ["能源资源消费状况.电力"] = "新建数据中心机房投入使用" }));
    }

    [Fact]
    public void Occupants_changing_more_than_ten_percent_need_an_explanation() =>
        Assert.Contains(Review(Clean() with { Basic = Clean().Basic with { Occupants = 460 } }, null), f => f.Field == "基本信息.用能人数" && f.Level == FindingLevel.Error);

    [Fact]
    public void A_unit_price_outside_its_range_is_flagged() =>
        Assert.Contains(Review(Clean() with { Energy = [Clean().Energy[0] with { AmountYuan = 70 }, Clean().Energy[1]] }), f => f.Field == "能源资源消费状况.电力.金额" && f.Level == FindingLevel.Warning);

    [Fact]
    public void Energy_per_area_outside_the_plausible_range_needs_an_explanation() =>
        Assert.Contains(Review(Clean() with { EnergyPerArea = 250 }), f => f.Field == "指标.单位建筑面积能耗" && f.Level == FindingLevel.Error);

    [Fact]
    public void Energy_per_person_outside_the_plausible_range_needs_an_explanation() =>
        Assert.Contains(Review(Clean() with { EnergyPerPerson = 20 }), f => f.Field == "指标.人均综合能耗");

    [Fact]
    public void Above_the_constraint_value_of_an_applicable_quota_is_flagged()
    {
        var quota = new EnergyQuota("q", "test", "local", "U", ["32"], ["01"], IndicatorId.EnergyPerArea, 10.0, 8.0, 6.0);

        Assert.Contains(Review(Clean(), quotas: [quota]), f => f.Rule.Contains("约束值", StringComparison.Ordinal));
    }

    [Fact]
    public void Totals_that_do_not_tie_out_to_the_rollups_block_the_export() =>
        Assert.Contains(Review(Clean(), tieOut: [(EnergyKind.Electricity, 1_000_000, 999_000)]), f => f.Rule == "合计须与汇总数据一致" && f.Level == FindingLevel.Error);

    [Fact]
    public void A_high_estimated_share_is_flagged() =>
        Assert.Contains(Review(Clean() with { EstimatedShare = 0.12 }), f => f.Field == "数据质量.估算占比");

    [Fact]
    public async Task The_submission_is_built_from_the_rollups_and_ties_out()
    {
        var builder = new SubmissionBuilder(fixture.Site, new SqliteConsumptionStore(fixture.Database), CoefficientCatalog.Defaults, ReportFixture.Tariffs);
        var institution = fixture.Site.Institutions[0];

        var s = await builder.BuildAsync(institution, 2026, Ct);
        var tieOut = await builder.TieOutAsync(institution, 2026, Ct);

        var electricity = s.Energy.Single(e => e.Kind == EnergyKind.Electricity);
        Assert.Null(electricity.LastYear); // 2025 is metered for two months only: no basis for a change
        Assert.All(tieOut, t => Assert.Equal(t.FromMonths, t.FromDays, 6));
        Assert.Equal(electricity.Quantity * 0.1229, s.TotalKgce, 6);
        Assert.True(electricity.Quantity >= fixture.Expected.Oct26);
    }

    [Fact]
    public void The_region_summary_equals_the_sum_of_its_institutions_and_survives_the_JSON_round_trip()
    {
        var a = Clean();
        var b = Clean() with { Institution = "i2", Energy = [Clean().Energy[0] with { Quantity = 250_000, AmountYuan = 180_000 }], TotalKgce = 30_725 };

        var summary = SubmissionExports.Summarise("320117", 2026, [a, b]);
        var back = SubmissionExports.FromJson(SubmissionExports.ToJson([a, b], summary));

        Assert.Equal(1_250_000, summary.Energy.Single(e => e.Code == "01").Quantity);
        Assert.Equal(880_000, summary.Energy.Single(e => e.Code == "01").AmountYuan);
        Assert.Equal(20_000, summary.Energy.Single(e => e.Code == "02").Quantity);
        Assert.Equal(a.TotalKgce + b.TotalKgce, summary.TotalKgce);
        Assert.Equal(summary.TotalKgce, SubmissionExports.Summarise("320117", 2026, back).TotalKgce);
        Assert.Equal(a, back[0] with { Energy = a.Energy }); // records compare lists by reference
        Assert.Equal(a.Energy, back[0].Energy);
    }

    [Fact]
    public void The_XLSX_lays_out_the_base_forms_row_by_row_and_the_region_summary()
    {
        var a = Clean();
        using var stream = new MemoryStream(SubmissionExports.Xlsx([a], SubmissionExports.Summarise("320117", 2026, [a])));

        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "区机关事务管理中心").Cast<IDictionary<string, object?>>().ToList();
        var expected = SubmissionExports.FormRows(a);
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], SubmissionExports.FormHeader.Select(h => rows[i][h]?.ToString() ?? ""));
        }

        Assert.Equal(["基本信息", "1", "统一社会信用代码", "—", "", "11320117MB0123456D", ""], expected[0]);
        Assert.Contains(expected, r => r[2] == "电力消费量" && r[5] == "1000000.00" && r[6] == "1020000.00");
        Assert.DoesNotContain(expected, r => r[2].Contains("用地面积", StringComparison.Ordinal) || r[2].Contains("充电桩", StringComparison.Ordinal)); // deleted in the 2025 edition
        stream.Position = 0;
        Assert.Contains("行政区域汇总", MiniExcel.GetSheetNames(stream));
    }
}

/// <summary>部门汇总 and 分类汇总: each group's totals equal the sum of its members, and the groups together the region's.</summary>
public sealed class SummaryTableTests
{
    private static InstitutionSubmission Make(string id, string nature, string? department, double kwh) => new(1, "2025-11", 2026, "320117", id,
        new BasicInfo("11320117MB0123456D", id, nature, nature == "01" ? "国家机关" : "教育", 1000, 10, 10, 0, 0, 0, 0, 0) { Department = department },
        [new EnergyRow("01", "电力", EnergyKind.Electricity, "千瓦时", kwh, null, null)], null, null, kwh * 0.1229, null, null, null, 0, "CN-2023");

    [Fact]
    public void Groups_sum_their_members_and_together_make_the_region()
    {
        InstitutionSubmission[] all = [Make("a", "01", "区机关事务管理局", 100), Make("b", "021", "区教育局", 200), Make("c", "021", "区教育局", 300), Make("d", "021", null, 50)];

        var byDepartment = SubmissionExports.ByDepartment("320117", 2026, all);
        var byNature = SubmissionExports.ByNature("320117", 2026, all);

        Assert.Equal(500, byDepartment.Single(g => g.Group == "区教育局").Summary.Energy.Single().Quantity);
        Assert.Equal(50, byDepartment.Single(g => g.Group == "未填部门").Summary.Energy.Single().Quantity);
        Assert.Equal(550, byNature.Single(g => g.Group.StartsWith("021", StringComparison.Ordinal)).Summary.Energy.Single().Quantity);
        Assert.Equal(650, byDepartment.Sum(g => g.Summary.Energy.Single().Quantity));
        Assert.Equal(SubmissionExports.Summarise("320117", 2026, all).TotalKgce, byNature.Sum(g => g.Summary.TotalKgce), 9);

        // Both are sheets of the workbook the bureau receives, one row per group and energy.
        using var stream = new MemoryStream(SubmissionExports.Xlsx(all, SubmissionExports.Summarise("320117", 2026, all)));
        var departments = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "部门汇总").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["区教育局", "区机关事务管理局", "未填部门"], departments.Select(r => r["分组"]?.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(500, Convert.ToDouble(departments.Single(r => (string?)r["分组"] == "区教育局")["本年消费量"], System.Globalization.CultureInfo.InvariantCulture));
        stream.Position = 0;
        var natures = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: "分类汇总").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, natures.Count);
    }
}
