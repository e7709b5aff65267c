using System.Globalization;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// Numbers as a Chinese report prints them: thousands separators, stated precision, and 万 (10⁴) for large totals
/// where a reader expects it (万kWh, 万元); English reports keep plain separators.
/// </summary>
public static class ReportNumbers
{
    public static string Amount(double value, int decimals = 0) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A large total in 万 (10,000) with two decimals when it is at least 10 万 and the language is Chinese.</summary>
    public static string Large(double value, string unit, Language language)
    {
        return !language.IsEnglish && Math.Abs(value) >= 100_000
            ? $"{(value / 10_000).ToString("N2", CultureInfo.InvariantCulture)} 万{unit}"
            : $"{Amount(value, Math.Abs(value) < 100 ? 2 : 0)} {unit}";
    }

    /// <summary>A change as a signed percentage with one decimal (+3.2 %), or a dash when there is nothing to compare.</summary>
    public static string Change(double? fraction) => fraction is { } f ? (f * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Share(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Optional(double? value, int decimals) => value is { } v ? Amount(v, decimals) : "—";
}
