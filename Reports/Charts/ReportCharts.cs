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
    private readonly Language _language;

    public ReportCharts(CjkFont font, Language language)
    {
        _fontName = CjkTypefaceResolver.Register(font);
        _language = language;
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

    private string T(LocalizedText text) => text.In(_language);

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

    public static string KindLabel(EnergyKind kind, Language language) => EnergyKinds.DisplayName(kind).In(language);

    private ChartImage DailyByKind(ConsumptionReport report)
    {
        var title = T(ChartText.DailyByKind);
        var plot = NewPlot(title, T(ChartText.Day), "kgce");
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
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = KindLabel(kind, _language), FillColor = palette.GetColor(k) });
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
        var title = T(ChartText.MonthlyTrend(report.Period.Year));
        var plot = NewPlot(title, T(ChartText.Month), "kgce");
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
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T(ChartText.YearLegend(report.Period.Year - 1)), FillColor = Colors.Gray.WithAlpha(0.6) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T(ChartText.YearLegend(report.Period.Year)), FillColor = Colors.SteelBlue });
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(1, 12).Select(m => (double)m)], [.. Enumerable.Range(1, 12).Select(m => T(ChartText.MonthTick(m)))]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontName = _fontName;
        return Save(plot, "monthly-trend.png", title);
    }

    private ChartImage LoadProfileChart(Model.LoadProfile profile)
    {
        var title = T(ChartText.Profile);
        var plot = NewPlot(title, T(ChartText.Hour), T(ChartText.MeanKwhPerHour));
        double[] hours = [.. Enumerable.Range(0, 24).Select(h => h + 0.5)];
        var working = plot.Add.Scatter(hours, profile.WorkingDays.ToArray());
        working.LegendText = T(ChartText.WorkingDays);
        working.LineWidth = 2.5f;
        var off = plot.Add.Scatter(hours, profile.DaysOff.ToArray());
        off.LegendText = T(ChartText.DaysOff);
        off.LineWidth = 2.5f;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, 9).Select(i => i * 3.0)], [.. Enumerable.Range(0, 9).Select(i => $"{i * 3:D2}:00")]);
        plot.Axes.SetLimitsX(0, 24);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontName = _fontName;
        return Save(plot, "load-profile.png", title);
    }

    private ChartImage HeatmapChart(ConsumptionReport report, double[,] heatmap)
    {
        var title = T(ChartText.Heatmap);
        var plot = NewPlot(title, T(ChartText.Day), T(ChartText.Hour));
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
        var title = T(ChartText.Savings);
        var plot = NewPlot(title, T(ChartText.Day), "kWh");
        double[] xs = [.. savings.Days.Select((_, i) => i + 1.0)];
        var predicted = plot.Add.Scatter(xs, savings.Days.Select(d => d.Predicted).ToArray());
        predicted.LegendText = T(ChartText.BaselineModel);
        predicted.LineWidth = 2;
        predicted.LinePattern = LinePattern.Dashed;
        predicted.MarkerSize = 0;
        var actual = plot.Add.Scatter(xs, savings.Days.Select(d => d.Actual).ToArray());
        actual.LegendText = T(ChartText.Actual);
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
        var title = T(ChartText.SubItems);
        var plot = NewPlot(title, "", "kWh");
        var items = electricity.Children.OrderByDescending(c => c.Amount).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        plot.Add.Bars(items.Select((c, i) => new Bar { Position = i + 1, Value = c.Amount, FillColor = palette.GetColor(i), LineWidth = 0, Label = $"{c.ShareOfParent:P0}" }).ToList());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. items.Select((_, i) => i + 1.0)], [.. items.Select(c => T(c.Name))]);
        plot.Axes.Margins(bottom: 0);
        return Save(plot, "sub-items.png", title);
    }

    /// <summary>
    /// 单位建筑面积能耗 as a change from the base year: each institution's steady path to its target (dashed) and what
    /// it achieved in each year the rollups cover (markers); below the path is on course.
    /// </summary>
    private ChartImage TargetTrajectory(TargetsSection targets)
    {
        var title = T(ChartText.Trajectory);
        var plot = NewPlot(title, T(ChartText.Year), T(ChartText.ChangeFromBaseYear));
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
                path.LegendText = paths.Count == 1 ? T(ChartText.TargetPath) : T(ChartText.TargetPathOf(group.Key));
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
