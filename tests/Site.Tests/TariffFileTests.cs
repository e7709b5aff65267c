using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Site.Tests;

public sealed class TariffFileTests
{
    private static string Write(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tariffs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_shipped_tariffs_load_with_time_of_use_bands_covering_the_day()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "config", "tariffs.yaml")))
        {
            dir = dir.Parent;
        }

        var (book, errors) = TariffFile.Load(Path.Combine(dir.FullName, "config", "tariffs.yaml"));

        Assert.Empty(errors);
        var electricity = book.For(EnergyKind.Electricity, new DateOnly(2026, 10, 1))!;
        Assert.True(electricity.IsTimeOfUse);
        Assert.Equal(1.05, electricity.PriceAt(9));
        Assert.Equal(0.30, electricity.PriceAt(3));
        Assert.Null(book.For(EnergyKind.Electricity, new DateOnly(2024, 12, 31)));
    }

    [Fact]
    public void Bands_that_leave_an_hour_uncovered_and_a_tariff_with_no_price_are_errors_naming_the_field()
    {
        var path = Write("""
            tariffs:
              - kind: electricity
                from: 2026-01-01
                source: x
                timeOfUse:
                  - { name: 峰, price: 1, hours: "8-18" }
                  - { name: 谷, price: 0.3, hours: "0-7,18-24" }
              - { kind: water, from: 2026-01-01, source: x }
            """);
        try
        {
            var (_, errors) = TariffFile.Load(path);

            Assert.Contains(errors, e => e.ToString().Contains("tariffs[0].timeOfUse", StringComparison.Ordinal) && e.ToString().Contains("exactly once", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.ToString().Contains("tariffs[1].price", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
