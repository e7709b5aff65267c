namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>Every rule the anomaly pass runs, in the order their findings are listed.</summary>
public static class AnomalyRules
{
    public static IReadOnlyList<IAnomalyRule> All(IReadOnlyList<double>? monthlyBudgetShares = null) =>
    [
        new SilentMeterRule(),
        new StuckMeterRule(),
        new SpikeRule(),
        new CounterFaultRule(),
        new LeakRule(),
        new BaseloadRule(),
        new SubmeterImbalanceRule(),
        new BudgetRule { MonthlyShares = monthlyBudgetShares },
    ];

    /// <summary>The rule ids a finding may carry, for routing and overrides.</summary>
    public static IReadOnlyList<string> Ids { get; } =
        [SilentMeterRule.MeterRule, SilentMeterRule.GatewayRule, "stuck", "spike", "counter-fault", "night-leak", BaseloadRule.NightRule, BaseloadRule.DayOffRule, "submeter-imbalance", "budget"];
}
