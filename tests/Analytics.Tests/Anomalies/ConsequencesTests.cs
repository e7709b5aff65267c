using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>
/// One fault, one alert, worked through the generated building (a feeder p with sub-meters c1 and c2): the folds of
/// <see cref="Consequences"/>, and the lifecycle when the cause clears.
/// </summary>
public sealed class ConsequencesTests
{
    private static readonly HolidayCalendar Calendar = TestCalendars.China2025And2026;

    private static IReadOnlyList<Finding> Raw(AnomalyInput input) => [.. AnomalyRules.All().SelectMany(r => r.Evaluate(input))];

    [Fact]
    public void A_stuck_sub_meter_is_one_alert_that_carries_its_parents_imbalance()
    {
        for (var seed = 1; seed <= 10; seed++)
        {
            var input = AnomalySuite.Generate(Planted.Stuck, 3000 + seed, Calendar);
            var raw = Raw(input);
            var folded = Consequences.Fold(input, raw);

            var stuck = Assert.Single(folded);
            Assert.Equal(("stuck", "c1"), (stuck.Rule, stuck.Subject));
            if (raw.Any(f => f.Rule == "submeter-imbalance"))
            {
                Assert.Contains(stuck.Evidence, e => e.Name == EvidenceNames.ParentOutOfBalance("p"));
            }
        }
    }

    [Fact]
    public void The_imbalance_is_folded_only_when_a_child_explains_it()
    {
        var input = AnomalySuite.Generate(Planted.Imbalance, 10_001, Calendar);

        var folded = Consequences.Fold(input, Raw(input));

        Assert.Equal(("submeter-imbalance", "p"), (folded.Single().Rule, folded.Single().Subject));
    }

    [Fact]
    public void A_spike_on_a_meter_whose_stuck_alert_was_open_is_its_catch_up_and_is_dropped()
    {
        var input = AnomalySuite.Generate(Planted.Spike, 4001, Calendar);
        var raw = Raw(input);
        var spike = Assert.Single(raw, f => f.Rule == "spike" && f.Subject == "c2");
        var stuckBefore = spike with { Rule = "stuck", Evidence = [new Evidence(EvidenceNames.FlatHours, 30, "h", "< 7")] };

        Assert.Contains(Consequences.Fold(input, raw), f => f.Rule == "spike"); // no stuck alert: a burst is a burst
        Assert.DoesNotContain(Consequences.Fold(input, raw, open: [stuckBefore]), f => f.Rule == "spike");
    }

    [Fact]
    public void Folding_keeps_the_higher_severity_of_cause_and_consequence()
    {
        var input = AnomalySuite.Generate(Planted.Stuck, 3001, Calendar);
        var raw = Raw(input).ToList();
        var stuck = raw.Single(f => f.Rule == "stuck");
        var imbalance = new Finding("submeter-imbalance", "p", AlertSeverity.Critical, "p", stuck.Building, stuck.Institution, stuck.Since,
            [new Evidence(EvidenceNames.UnmeteredShare, 0.4, "")], new LocalizedText("不平衡", "imbalance"), new LocalizedText("检查", "check"));

        var folded = Consequences.Fold(input, [.. raw.Where(f => f.Rule != "submeter-imbalance"), imbalance]);

        Assert.Equal(AlertSeverity.Critical, Assert.Single(folded).Severity);
    }

    [Fact]
    public void When_the_stuck_register_catches_up_one_recovery_goes_out_and_nothing_is_raised()
    {
        // Pass 1: stuck (with its parent's imbalance folded in) is raised. Pass 2: the register caught up, which
        // clears the stuck finding and shows a burst the same hour: the burst is the catch-up, dropped.
        var input = AnomalySuite.Generate(Planted.Stuck, 3002, Calendar);
        var first = Consequences.Fold(input, Raw(input));
        var now = input.AsOf;
        var raised = AlertLifecycle.Decide([], first, AnomalyRules.Ids.ToHashSet(), now, AlertPolicy.Default, []);
        var alert = new Alert(1, Assert.IsType<AlertChange.Raise>(Assert.Single(raised)).Finding, AlertState.Open, now, now, null, null, null);

        var burst = new Finding("spike", "c1", AlertSeverity.Warning, "c1", alert.Finding.Building, alert.Finding.Institution, now.AddHours(1),
            [new Evidence(EvidenceNames.HourlyUse, 900, "kWh", "≤ 120")], new LocalizedText("跳变", "spike"), new LocalizedText("检查", "check"));
        var second = Consequences.Fold(input, [burst], open: [alert.Finding]);
        var changes = AlertLifecycle.Decide([alert], second, AnomalyRules.Ids.ToHashSet(), now.AddHours(2), AlertPolicy.Default, []);

        Assert.Empty(second);
        Assert.IsType<AlertChange.Resolve>(Assert.Single(changes));
    }
}

/// <summary>A building-level budget overrun names the meters that drive it (attribution of the budget rule).</summary>
public sealed class BudgetAttributionTests
{
    [Fact]
    public void A_budget_overrun_names_the_circuit_whose_use_rose_in_the_last_week()
    {
        var input = AnomalySuite.Generate(Planted.Budget, 11_003, TestCalendars.China2025And2026);
        var from = input.AsOf.AddDays(-7);
        var added = new Dictionary<DateTimeOffset, double>();
        var hourly = input.Hourly.ToDictionary(h => h.Key, h => h.Value);
        hourly["c2"] = [.. input.Hourly["c2"].Select(r => r.Start >= from ? r with { Amount = r.Amount * 3 } : r)];
        foreach (var (before, after) in input.Hourly["c2"].Zip(hourly["c2"]))
        {
            added[before.Start] = after.Amount - before.Amount;
        }

        hourly["p"] = [.. input.Hourly["p"].Select(r => r with { Amount = r.Amount + added.GetValueOrDefault(r.Start) })];
        var byDay = added.GroupBy(a => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(a.Key, AnomalySuite.Zone).DateTime)).ToDictionary(g => g.Key, g => g.Sum(a => a.Value));
        var daily = input.Daily.ToDictionary(d => d.Key, d => (IReadOnlyList<RollupRow>)[.. d.Value.Select(r => r with { Amount = r.Amount + byDay.GetValueOrDefault(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, AnomalySuite.Zone).DateTime)) })]);

        var finding = Assert.Single(new BudgetRule().Evaluate(input with { Hourly = hourly, Daily = daily }));

        var shares = finding.Evidence.Where(e => e.Name.En.StartsWith("share of the excess", StringComparison.Ordinal)).ToList();
        Assert.Equal(EvidenceNames.ShareOfExcess("c2"), shares[0].Name);
        // The quota is tight (60 % of the usual pace): c2's rise is the largest driver, not the whole overrun.
        Assert.InRange(shares[0].Value, 0.1, 1);
        Assert.All(shares.Skip(1), s => Assert.True(s.Value < shares[0].Value));
        Assert.Contains("c2", finding.Summary.En, StringComparison.Ordinal);
        Assert.Contains("c2", finding.Summary.Zh, StringComparison.Ordinal);
        Assert.Equal("institution/i/budget", finding.Subject); // the month's alert stays on the institution
    }
}
