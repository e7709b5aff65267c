using System.Globalization;
using System.Text.RegularExpressions;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Model;

public enum PeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>A report's period: a month (2025-10), a quarter (2025-Q3) or a year (2025), in local days.</summary>
public readonly partial record struct ReportPeriod(PeriodKind Kind, int Year, int Number)
{
    public DateOnly First => Kind switch
    {
        PeriodKind.Month => new DateOnly(Year, Number, 1),
        PeriodKind.Quarter => new DateOnly(Year, ((Number - 1) * 3) + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    /// <summary>The first day after the period.</summary>
    public DateOnly End => Kind switch
    {
        PeriodKind.Month => First.AddMonths(1),
        PeriodKind.Quarter => First.AddMonths(3),
        _ => First.AddYears(1),
    };

    public int Days => End.DayNumber - First.DayNumber;

    /// <summary>The period before: last month, last quarter, last year.</summary>
    public ReportPeriod Previous => Kind switch
    {
        PeriodKind.Month => Number == 1 ? new(Kind, Year - 1, 12) : new(Kind, Year, Number - 1),
        PeriodKind.Quarter => Number == 1 ? new(Kind, Year - 1, 4) : new(Kind, Year, Number - 1),
        _ => new(Kind, Year - 1, 1),
    };

    /// <summary>The same period a year earlier.</summary>
    public ReportPeriod YearEarlier => this with { Year = Year - 1 };

    public override string ToString() => Kind switch
    {
        PeriodKind.Month => $"{Year}-{Number:D2}",
        PeriodKind.Quarter => $"{Year}-Q{Number}",
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    public string Title(Language language) => (Kind switch
    {
        PeriodKind.Month => new LocalizedText($"{Year}年{Number}月", new DateTime(Year, Number, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture)),
        PeriodKind.Quarter => new LocalizedText($"{Year}年第{"一二三四"[Number - 1]}季度", $"Q{Number} {Year}"),
        _ => new LocalizedText($"{Year}年", Year.ToString(CultureInfo.InvariantCulture)),
    }).In(language);

    public static bool TryParse(string text, out ReportPeriod period)
    {
        period = default;
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["m"].Success)
        {
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            period = new ReportPeriod(PeriodKind.Month, year, month);
            return month is >= 1 and <= 12;
        }

        if (m.Groups["q"].Success)
        {
            period = new ReportPeriod(PeriodKind.Quarter, year, int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture));
            return period.Number is >= 1 and <= 4;
        }

        period = new ReportPeriod(PeriodKind.Year, year, 1);
        return true;
    }

    [GeneratedRegex(@"^(?<y>20\d\d)(-(?<m>\d\d)|-Q(?<q>\d))?$")]
    private static partial Regex Pattern();
}

/// <summary>What a report covers: a building, an institution, or the whole region; written <c>region</c>, <c>building:ID</c>, <c>institution:ID</c>.</summary>
public readonly record struct ReportScope(SeriesScope Level, string Id)
{
    public static ReportScope Region(string regionCode) => new(SeriesScope.Region, regionCode);

    public static bool TryParse(string text, string regionCode, out ReportScope scope)
    {
        scope = default;
        if (text == "region")
        {
            scope = Region(regionCode);
            return true;
        }

        var parts = text.Split(':', 2);
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            return false;
        }

        SeriesScope? level = parts[0] switch { "building" => SeriesScope.Building, "institution" => SeriesScope.Institution, _ => null };
        if (level is null)
        {
            return false;
        }

        scope = new ReportScope(level.Value, parts[1]);
        return true;
    }

    /// <summary>The series of the scope's use under an item code.</summary>
    public string ItemSeries(ItemCode item) => SeriesKey.Of(Level, Id, item).Text;

    /// <summary>For file names: <c>region</c>, <c>building-b1</c>.</summary>
    public string FileName => Level == SeriesScope.Region ? "region" : $"{Name}-{Id}";

    private string Name => Level == SeriesScope.Building ? "building" : "institution";

    public override string ToString() => Level == SeriesScope.Region ? "region" : $"{Name}:{Id}";
}
