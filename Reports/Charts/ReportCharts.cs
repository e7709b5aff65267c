using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Model;
using ScottPlot;

namespace EnergyMonitor.Reports.Charts;

/// <summary>A rendered chart: its file name, caption and PNG bytes.</summary>
public sealed record ChartImage(string Name, string Caption, byte[] Png, int Width, int Height);

/// <summary>
/// The report's charts with ScottPlot 5, drawn with a CJK font so Chinese labels are text, never boxes. Each chart is
/// drawn from the report model only.
/// </summary>
public sealed class ReportCharts
{
    private readonly string _fontName;
    private readonly bool _en;

    public ReportCharts(CjkFont font, string language)
    {
        _fontName = CjkTypefaceResolver.Register(font);
        _en = language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
    }

    public int Width { get; init; } = 1000;

    public int Height { get; init; } = 420;

    public IReadOnlyList<ChartImage> All(ConsumptionReport report)
    {
        var charts = new List<ChartImage>();
        if (report.Daily.Count > 0)
        {
            charts.Add(DailyByKind(report));
        }

        if (report.Monthly.Count > 0)
        {
            charts.Add(MonthlyTrend(report));
        }

        if (report.Profile is { } profile)
        {
            charts.Add(LoadProfileChart(profile));
        }

        if (report.Heatmap is { } heatmap)
        {
            charts.Add(HeatmapChart(report, heatmap));
        }

        if (report.Items.FirstOrDefault(i => i.Code == "01000") is { Children.Count: > 0 } electricity)
        {
            charts.Add(SubItems(electricity));
        }

        if (report.Savings is { Days.Count: > 0 } savings)
        {
            charts.Add(BaselineAgainstActual(savings));
        }

        if (report.Targets is { Trajectory.Count: > 0 } targets)
        {
            charts.Add(TargetTrajectory(targets));
        }

        return charts;
    }

    private string T(string zh, string en) => _en ? en : zh;

    private Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(_fontName);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private ChartImage Save(Plot plot, string name, string caption) =>
        new(name, caption, plot.GetImageBytes(Width, Height, ImageFormat.Png), Width, Height);

    private static string KindName(EnergyKind kind, bool en) => (kind, en) switch
    {
        (EnergyKind.Electricity, false) => "电力",
        (EnergyKind.NaturalGas, false) => "天然气",
        (EnergyKind.Heat, false) => "热力",
        (EnergyKind.Water, false) => "水",
        (EnergyKind.Cooling, false) => "冷量",
        (EnergyKind.Steam, false) => "蒸汽",
        (EnergyKind.Lpg, false) => "液化石油气",
        (EnergyKind.Gasoline, false) => "汽油",
        (EnergyKind.Diesel, false) => "柴油",
        (EnergyKind.Coal, false) => "煤",
        (EnergyKind.Temperature, false) => "室外温度",
        _ => EnergyKinds.ConfigName(kind),
    };

    public static string KindLabel(EnergyKind kind, string language) => KindName(kind, language.StartsWith("en", StringComparison.OrdinalIgnoreCase));

    private ChartImage DailyByKind(ConsumptionReport report)
    {
        var title = T("逐日综合能耗（按能源品种）", "Daily energy by kind");
        var plot = NewPlot(title, T("日期", "Day"), "kgce");
        var kinds = report.Daily.SelectMany(d => d.Kgce.Keys).Distinct().Order().ToList();
        var bars = new List<Bar>();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < report.Daily.Count; i++)
        {
            var bottom = 0.0;
            foreach (var (kind, k) in kinds.Select((k, k2) => (k, k2)))
            {
                var value = report.Daily[i].Kgce.GetValueOrDefault(kind);
                bars.Add(new Bar { Position = i + 1, ValueBase = bottom, Value = bottom + value, FillColor = palette.GetColor(k), LineWidth = 0 });
                bottom += value;
            }
        }

        plot.Add.Bars(bars);
        foreach (var (kind, k) in kinds.Select((k, k2) => (k, k2)))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = KindName(kind, _en), FillColor = palette.GetColor(k) });
        }

        var step = Math.Max(1, report.Daily.Count / 10);
        var ticks = Enumerable.Range(0, report.Daily.Count).Where(i => i % step == 0).ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(i => i + 1.0)], [.. ticks.Select(i => report.Daily[i].Day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontName = _fontName;
        return Save(plot, "daily-by-kind.png", title);
    }

    private ChartImage MonthlyTrend(ConsumptionReport report)
    {
        var title = T($"月度综合能耗趋势（{report.Period.Year} 年与上年同期）", $"Monthly energy, {report.Period.Year} against {report.Period.Year - 1}");
        var plot = NewPlot(title, T("月份", "Month"), "kgce");
        var bars = new List<Bar>();
        foreach (var (month, now, last) in report.Monthly)
        {
            if (last is { } l)
            {
                bars.Add(new Bar { Position = month - 0.2, Value = l, Size = 0.38, FillColor = Colors.Gray.WithAlpha(0.6), LineWidth = 0 });
            }

            bars.Add(new Bar { Position = month + 0.2, Value = now, Size = 0.38, FillColor = Colors.SteelBlue, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T($"{report.Period.Year - 1} 年", $"{report.Period.Year - 1}"), FillColor = Colors.Gray.WithAlpha(0.6) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T($"{report.Period.Year} 年", $"{report.Period.Year}"), FillColor = Colors.SteelBlue });
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(1, 12).Select(m => (double)m)], [.. Enumerable.Range(1, 12).Select(m => _en ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{m}月")]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontName = _fontName;
        return Save(plot, "monthly-trend.png", title);
    }

    private ChartImage LoadProfileChart(Model.LoadProfile profile)
    {
        var title = T("24 小时用电负荷曲线（工作日与节假日）", "24-hour electricity profile, working days against days off");
        var plot = NewPlot(title, T("时刻", "Hour"), T("平均用电 kWh/h", "Mean kWh per hour"));
        double[] hours = [.. Enumerable.Range(0, 24).Select(h => h + 0.5)];
        var working = plot.Add.Scatter(hours, profile.WorkingDays.ToArray());
        working.LegendText = T("工作日", "Working days");
        working.LineWidth = 2.5f;
        var off = plot.Add.Scatter(hours, profile.DaysOff.ToArray());
        off.LegendText = T("周末及节假日", "Weekends and holidays");
        off.LineWidth = 2.5f;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, 9).Select(i => i * 3.0)], [.. Enumerable.Range(0, 9).Select(i => $"{i * 3:D2}:00")]);
        plot.Axes.SetLimitsX(0, 24);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontName = _fontName;
        return Save(plot, "load-profile.png", title);
    }

    private ChartImage HeatmapChart(ConsumptionReport report, double[,] heatmap)
    {
        var title = T("逐时用电热力图（小时 × 日期）", "Hourly electricity, hour × day");
        var plot = NewPlot(title, T("日期", "Day"), T("时刻", "Hour"));
        var hm = plot.Add.Heatmap(heatmap);
        hm.Colormap = new ScottPlot.Colormaps.Turbo();
        hm.FlipVertically = true;
        var bar = plot.Add.ColorBar(hm);
        bar.Label = "kWh";
        var days = heatmap.GetLength(1);
        var step = Math.Max(1, days / 10);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, days).Where(i => i % step == 0).Select(i => (double)i)],
            [.. Enumerable.Range(0, days).Where(i => i % step == 0).Select(i => report.Period.First.AddDays(i).ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))]);
        return Save(plot, "heatmap.png", title);
    }

    private ChartImage BaselineAgainstActual(SavingsSection savings)
    {
        var title = T("基准能耗（按实际气温）与实际用电", "Baseline for the actual weather against actual use");
        var plot = NewPlot(title, T("日期", "Day"), "kWh");
        double[] xs = [.. savings.Days.Select((_, i) => i + 1.0)];
        var predicted = plot.Add.Scatter(xs, savings.Days.Select(d => d.Predicted).ToArray());
        predicted.LegendText = T("基准模型预测", "Baseline model");
        predicted.LineWidth = 2;
        predicted.LinePattern = LinePattern.Dashed;
        predicted.MarkerSize = 0;
        var actual = plot.Add.Scatter(xs, savings.Days.Select(d => d.Actual).ToArray());
        actual.LegendText = T("实际用电", "Actual");
        actual.LineWidth = 2;
        actual.MarkerSize = 3;
        var step = Math.Max(1, savings.Days.Count / 10);
        var ticks = Enumerable.Range(0, savings.Days.Count).Where(i => i % step == 0).ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(i => i + 1.0)], [.. ticks.Select(i => savings.Days[i].Day.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontName = _fontName;
        return Save(plot, "baseline-actual.png", title);
    }

    private ChartImage SubItems(ItemNode electricity)
    {
        var title = T("用电分项构成", "Electricity by sub-item");
        var plot = NewPlot(title, "", "kWh");
        var items = electricity.Children.OrderByDescending(c => c.Amount).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        plot.Add.Bars(items.Select((c, i) => new Bar { Position = i + 1, Value = c.Amount, FillColor = palette.GetColor(i), LineWidth = 0, Label = $"{c.ShareOfParent:P0}" }).ToList());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. items.Select((_, i) => i + 1.0)], [.. items.Select(c => _en ? c.NameEn : c.NameZh)]);
        plot.Axes.Margins(bottom: 0);
        return Save(plot, "sub-items.png", title);
    }

    /// <summary>
    /// 单位建筑面积能耗 as a change from the base year: each institution's steady path to its target (dashed) and what
    /// it achieved in each year the rollups cover (markers); below the path is on course.
    /// </summary>
    private ChartImage TargetTrajectory(TargetsSection targets)
    {
        var title = T("单位建筑面积能耗较基准年变化：目标路径与实际", "Energy per floor area against the base year: target path and actual");
        var plot = NewPlot(title, T("年份", "Year"), T("较基准年变化（%）", "Change from base year (%)"));
        var palette = new ScottPlot.Palettes.Category10();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var group in targets.Trajectory.GroupBy(p => p.Institution))
        {
            var color = palette.GetColor(index++);
            var points = group.OrderBy(p => p.Year).ToList();

            // Institutions on the same targets share one path: it is drawn once.
            var key = string.Join(",", points.Select(p => $"{p.Year}:{p.Required:R}"));
            if (paths.Add(key))
            {
                var path = plot.Add.Scatter(points.Select(p => (double)p.Year).ToArray(), points.Select(p => p.Required * 100).ToArray());
                path.LegendText = paths.Count == 1 ? T("目标路径", "Target path") : T($"目标路径（{group.Key}）", $"Target path ({group.Key})");
                path.LinePattern = LinePattern.Dashed;
                path.LineWidth = 2;
                path.MarkerSize = 0;
                path.Color = Colors.Gray;
            }

            var achieved = points.Where(p => p.Achieved is not null).ToList();
            var actual = plot.Add.Scatter(achieved.Select(p => (double)p.Year).ToArray(), achieved.Select(p => p.Achieved!.Value * 100).ToArray());
            actual.LegendText = group.Key;
            actual.Color = color;
            actual.LineWidth = 0; // years between are not measured: no line implies they were
            actual.MarkerSize = 9;
        }

        var years = targets.Trajectory.Select(p => p.Year).Distinct().Order().ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. years.Select(y => (double)y)], [.. years.Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.4));
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Legend.FontName = _fontName;
        return Save(plot, "targets.png", title);
    }
}
