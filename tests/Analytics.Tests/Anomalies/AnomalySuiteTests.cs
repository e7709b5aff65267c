using EnergyMonitor.Analytics.Anomalies;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>
/// Every rule against a generated suite: 25 cases of each planted anomaly and 50 clean ones (300 sites), with a fixed
/// seed so the printed rates are reproducible. Each rule must find its planted anomaly in every case and raise
/// nothing on clean data; a finding on another planted case counts against its precision unless it is also true.
/// Print the table: dotnet test tests/Analytics.Tests --filter FullyQualifiedName~AnomalySuite --logger "console;verbosity=detailed"
/// </summary>
public sealed class AnomalySuiteTests(ITestOutputHelper output)
{
    private static readonly HolidayCalendar Calendar = TestCalendars.China2025And2026;

    [Fact]
    public void Each_rule_finds_its_planted_anomaly_and_stays_quiet_on_clean_data()
    {
        var cases = new List<(Planted Planted, int Seed)>();
        foreach (var planted in Enum.GetValues<Planted>())
        {
            for (var i = 0; i < (planted == Planted.None ? 50 : 25); i++)
            {
                cases.Add((planted, (1000 * (int)planted) + i));
            }
        }

        var rules = AnomalyRules.All();
        var stats = new SortedDictionary<string, (int Planted, int Found, int Findings, int Right, int CleanAlarms)>(StringComparer.Ordinal);
        foreach (var id in AnomalyRules.Ids)
        {
            stats[id] = default;
        }

        var misses = new List<string>();
        foreach (var (planted, seed) in cases)
        {
            var input = AnomalySuite.Generate(planted, seed, Calendar);
            var findings = rules.SelectMany(r => r.Evaluate(input)).ToList();
            var expected = AnomalySuite.Expected(planted);
            if (expected is { } e)
            {
                var s = stats[e.Rule];
                s.Planted++;
                if (findings.Any(f => f.Rule == e.Rule && f.Subject == e.Subject))
                {
                    s.Found++;
                }
                else
                {
                    misses.Add($"{planted} seed {seed}: no {e.Rule} on {e.Subject}; found {string.Join(", ", findings.Select(f => f.Key))}");
                }

                stats[e.Rule] = s;
            }

            foreach (var finding in findings)
            {
                var s = stats[finding.Rule];
                s.Findings++;
                var right = expected is { } x && ((x.Rule == finding.Rule && x.Subject == finding.Subject) || AnomalySuite.AlsoTrue(planted, finding));
                s.Right += right ? 1 : 0;
                s.CleanAlarms += planted == Planted.None ? 1 : 0;
                stats[finding.Rule] = s;
                if (!right)
                {
                    misses.Add($"{planted} seed {seed}: unexpected {finding.Key}: {finding.Summary.En}");
                }
            }
        }

        output.WriteLine($"{cases.Count} generated sites ({cases.Count(c => c.Planted == Planted.None)} clean)");
        output.WriteLine($"{"rule",-20} {"planted",8} {"recall",8} {"findings",9} {"precision",10} {"clean alarms",13}");
        foreach (var (rule, s) in stats)
        {
            var recall = s.Planted == 0 ? "–" : $"{(double)s.Found / s.Planted:P0}";
            var precision = s.Findings == 0 ? "–" : $"{(double)s.Right / s.Findings:P0}";
            output.WriteLine($"{rule,-20} {s.Planted,8} {recall,8} {s.Findings,9} {precision,10} {s.CleanAlarms,13}");
        }

        foreach (var miss in misses.Take(40))
        {
            output.WriteLine(miss);
        }

        // The stated rates (docs/DOMAIN.md#anomalies): every planted anomaly found, no alarm on clean data, no wrong finding.
        Assert.All(stats.Where(s => s.Value.Planted > 0), s => Assert.Equal(s.Value.Planted, s.Value.Found));
        Assert.All(stats, s => Assert.Equal(0, s.Value.CleanAlarms));
        Assert.All(stats, s => Assert.Equal(s.Value.Findings, s.Value.Right));
    }
}
