using System.Globalization;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Reports.Submission;

/// <summary>
/// The review rules' thresholds. The defaults follow review practice (docs/DOMAIN.md#statistical-review): no official
/// rule set is published [S], so each is configurable.
/// </summary>
public sealed record ReviewOptions
{
    /// <summary>A year-on-year change of a consumption or indicator beyond this needs an explanation (±10 % [S]).</summary>
    public double YearOnYear { get; init; } = 0.10;

    /// <summary>用能人数 or 建筑面积 changing more than this from the year before needs an explanation (10 % [S]).</summary>
    public double FactsChange { get; init; } = 0.10;

    /// <summary>Plausible 单位面积能耗, kgce/m² (3–200 [S]).</summary>
    public (double Low, double High) EnergyPerArea { get; init; } = (3, 200);

    /// <summary>Plausible 人均能耗, kgce per person (50–8,000 [S]).</summary>
    public (double Low, double High) EnergyPerPerson { get; init; } = (50, 8000);

    /// <summary>Plausible unit prices, 元 per form unit, around the typical levels of review practice [S].</summary>
    public IReadOnlyDictionary<EnergyKind, (double Low, double High)> UnitPrices { get; init; } = new Dictionary<EnergyKind, (double, double)>
    {
        [EnergyKind.Electricity] = (0.4, 1.5),
        [EnergyKind.Water] = (2, 10),
        [EnergyKind.NaturalGas] = (2.5, 6.5),
        [EnergyKind.Heat] = (40, 150),
    };

    /// <summary>The estimated share of use above which the data is flagged (5 %, chosen).</summary>
    public double EstimatedShare { get; init; } = 0.05;

    /// <summary>Day and month rollups may differ by this share before the totals fail to tie out (rounding only).</summary>
    public double TieOut { get; init; } = 1e-6;
}

/// <summary>Review (审核) before export: each rule a pure check, each finding naming the field, the value, the rule and the fix.</summary>
public static class SubmissionReview
{
    /// <param name="explanations">Field → explanation the officer gave; an explained finding that needs one is not an error.</param>
    public static IReadOnlyList<ReviewFinding> Check(InstitutionSubmission s, Institution institution, ReviewOptions options, IReadOnlyDictionary<string, string> explanations,
        IReadOnlyList<EnergyQuota> quotas, IReadOnlyList<(EnergyKind Kind, double FromDays, double FromMonths)> tieOut)
    {
        var findings = new List<ReviewFinding>();
        void Add(string field, string value, string rule, FindingLevel level, string fix) => findings.Add(new ReviewFinding(s.Institution, field, value, rule, level, fix));
        void NeedsExplanation(string field, string value, string rule, string fix)
        {
            if (!explanations.TryGetValue(field, out var why) || string.IsNullOrWhiteSpace(why))
            {
                Add(field, value, rule, FindingLevel.Error, fix + "；或为该字段填写原因（控制台“统计报送”页，或 submit --explanations）");
            }
        }

        // Missing required fields.
        if (!Codes.IsValidCreditCode(s.Basic.CreditCode))
        {
            Add("基本信息.统一社会信用代码", s.Basic.CreditCode, "必填且须通过校验位检查", FindingLevel.Error, "在 site.yaml 的 creditCode 填写 18 位统一社会信用代码");
        }

        if (s.Basic.NatureName.Length == 0)
        {
            Add("基本信息.单位性质", s.Basic.NatureCode, "须为 01、02x 或 03 单位性质代码", FindingLevel.Error, "在 site.yaml 的 nature 填写代码，如 01 国家机关、021 教育");
        }

        if (s.Basic.FloorArea is null || s.Basic.Occupants is null)
        {
            Add("基本信息.建筑面积/用能人数", "未填", "必填", FindingLevel.Error, $"在 site.yaml 的 facts 中补充 {s.Year} 年的 floorArea 和 occupants");
        }

        if (s.Basic.VehiclesByFuelMissing())
        {
            Add("基本信息.车辆（按燃料）", s.Basic.Vehicles?.ToString(CultureInfo.InvariantCulture) ?? "未填", "2025 版须分燃料填报车辆数（含新能源）", FindingLevel.Warning, "在 facts 中补充 vehiclesByFuel: { gasoline, diesel, newEnergy }");
        }

        // Year on year of every consumption.
        foreach (var e in s.Energy.Where(e => e.LastYear is > 0))
        {
            var change = (e.Quantity - e.LastYear!.Value) / e.LastYear.Value;
            if (Math.Abs(change) > options.YearOnYear)
            {
                NeedsExplanation($"能源资源消费状况.{e.Name}", $"{e.Quantity:N0} {e.Unit}（同比 {change:+0.0 %;-0.0 %}）", $"同比变化超过 ±{options.YearOnYear:P0}", "核对抄表与统计口径");
            }
        }

        // Facts changing by more than the threshold from the year before.
        var previous = institution.FactsFor(s.Year - 1);
        if (previous is not null && s.Basic.FloorArea is { } area && Math.Abs(area - previous.FloorArea.Value) > previous.FloorArea.Value * options.FactsChange)
        {
            NeedsExplanation("基本信息.建筑面积", $"{area:N0} m²（上年 {previous.FloorArea.Value:N0}）", $"较上年变化超过 {options.FactsChange:P0}", "核对建筑面积口径（不含住宅、宿舍）");
        }

        if (previous is not null && s.Basic.Occupants is { } people && Math.Abs(people - previous.Occupants) > previous.Occupants * options.FactsChange)
        {
            NeedsExplanation("基本信息.用能人数", $"{people:N0}（上年 {previous.Occupants:N0}）", $"较上年变化超过 {options.FactsChange:P0}", "核对用能人数口径（含编外人员）");
        }

        // Unit prices.
        foreach (var e in s.Energy.Where(e => e.AmountYuan is not null && e.Quantity > 0 && options.UnitPrices.ContainsKey(e.Kind)))
        {
            var price = e.AmountYuan!.Value / e.Quantity;
            var (low, high) = options.UnitPrices[e.Kind];
            if (price < low || price > high)
            {
                Add($"能源资源消费状况.{e.Name}.金额", $"{price:0.###} 元/{e.Unit}", $"单价应在 {low}–{high} 元/{e.Unit}", FindingLevel.Warning, "核对金额与数量的单位（元/万元、千瓦时/万千瓦时）");
            }
        }

        // Plausible indicators and the quota.
        if (s.EnergyPerArea is { } perArea && (perArea < options.EnergyPerArea.Low || perArea > options.EnergyPerArea.High))
        {
            NeedsExplanation("指标.单位建筑面积能耗", $"{perArea:0.##} kgce/m²", $"应在 {options.EnergyPerArea.Low}–{options.EnergyPerArea.High} kgce/m²", "核对建筑面积与能耗数量的单位");
        }

        if (s.EnergyPerPerson is { } perPerson && (perPerson < options.EnergyPerPerson.Low || perPerson > options.EnergyPerPerson.High))
        {
            NeedsExplanation("指标.人均综合能耗", $"{perPerson:0.#} kgce/人", $"应在 {options.EnergyPerPerson.Low}–{options.EnergyPerPerson.High} kgce/人", "核对用能人数与能耗数量");
        }

        foreach (var quota in quotas.Where(q => q.AppliesTo(s.RegionCode, s.Basic.NatureCode)))
        {
            var value = quota.Indicator == IndicatorId.EnergyPerArea ? s.EnergyPerArea : s.EnergyPerPerson;
            if (value > quota.Constraint)
            {
                Add($"指标.{quota.Indicator.Name.Zh}", $"{value:0.##}", $"超过约束值 {quota.Constraint}（{quota.Source}）", FindingLevel.Warning, "说明超定额原因并制定节能措施");
            }
        }

        // Totals that tie out to the rollups; data mostly estimated.
        foreach (var (kind, fromDays, fromMonths) in tieOut.Where(t => Math.Abs(t.FromDays - t.FromMonths) > Math.Max(1e-9, Math.Abs(t.FromMonths) * options.TieOut)))
        {
            Add($"能源资源消费状况.{EnergyKinds.ConfigName(kind)}", $"日汇总 {fromDays:N3}，月汇总 {fromMonths:N3}", "合计须与汇总数据一致", FindingLevel.Error, "运行 energymonitor rollup --from 该年 1 月 1 日 重算后再报");
        }

        if (s.EstimatedShare > options.EstimatedShare)
        {
            Add("数据质量.估算占比", $"{s.EstimatedShare:P1}", $"估算占比超过 {options.EstimatedShare:P0}", FindingLevel.Warning, "修复离线表计并补录缺失读数（energymonitor import）");
        }

        return findings;
    }

    private static bool VehiclesByFuelMissing(this BasicInfo basic) => basic.VehiclesGasoline is null && basic.Vehicles is > 0;
}
