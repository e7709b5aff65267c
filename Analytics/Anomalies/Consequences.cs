using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// One fault, one alert (docs/DOMAIN.md#anomalies): a finding that a stronger one explains is folded into it as
/// evidence and not raised on its own. A manager who gets three alerts for one stuck sub-meter stops reading them.
/// Pure: one pass's findings and the alerts still open before it in, the findings to raise out. A consequence whose
/// cause no longer holds in this pass (the register caught up, which clears the stuck alert) is dropped: the cause's
/// recovery is the one notice.
/// </summary>
/// <remarks>
/// The folds:
/// <list type="bullet">
/// <item>an imbalance on a parent whose child is stuck, silent, behind an offline gateway or counter-faulty, or whose
/// child's hours on the days judged show it (missing hours, a catch-up, a reset), is the child's;</item>
/// <item>a spike that is the catch-up of a register that stood or went silent is the stuck or silent meter's;</item>
/// <item>a spike on a parent in the hour its child spiked is the child's: the parent's feeder carries the burst;</item>
/// <item>a day-off finding whose excess a burst that day explains is the burst's;</item>
/// <item>a building's night or day-off finding that no circuit explains, in a building whose feeder is out of balance
/// with its sub-meters, is the imbalance's: the unmetered load runs day and night.</item>
/// </list>
/// A silent meter behind an offline gateway is folded where it is found (<see cref="SilentMeterRule"/>).
/// </remarks>
public static class Consequences
{
    public const string Imbalance = "submeter-imbalance", Spike = "spike", Stuck = "stuck", CounterFault = "counter-fault";

    /// <summary>The findings of a meter that explain what its parent's balance and its own hours show.</summary>
    private static readonly HashSet<string> MeterCauses = [Stuck, SilentMeterRule.MeterRule, CounterFault];

    /// <summary>
    /// Interval flags that say a child's day is not what it used: a catch-up spread over the time it stood, a gap lumped
    /// where readings resumed, a reset that lost what the counter showed. A skipped bad read is not one: the next
    /// reading carries its advance, and the day's total is exact.
    /// </summary>
    private const IntervalFlags Faulty = IntervalFlags.Stuck | IntervalFlags.LongGap | IntervalFlags.Reset;

    /// <param name="open">The findings of the alerts open before this pass: a stuck alert that this pass clears (the
    /// register moved again) still explains the catch-up that cleared it.</param>
    public static IReadOnlyList<Finding> Fold(AnomalyInput input, IReadOnlyList<Finding> findings, IReadOnlyList<Finding>? open = null)
    {
        var result = findings.ToList();
        var offlineGateways = findings.Concat(open ?? []).Where(f => f.Rule == SilentMeterRule.GatewayRule).Select(f => f.Subject).ToHashSet(StringComparer.Ordinal);

        // The cause in this pass, to fold into; or whether one was open before it (then the consequence is dropped).
        Finding? CauseOf(Meter meter) =>
            result.FirstOrDefault(f => f.Meter == meter.Id.Value && MeterCauses.Contains(f.Rule))
            ?? (meter.Source is ModbusSource m ? result.FirstOrDefault(f => f.Rule == SilentMeterRule.GatewayRule && f.Subject == m.Gateway) : null);
        bool WasCaused(Meter meter) =>
            (open ?? []).Any(f => f.Meter == meter.Id.Value && MeterCauses.Contains(f.Rule))
            || (meter.Source is ModbusSource m && offlineGateways.Contains(m.Gateway));

        // The cause keeps its own summary and takes the higher severity of the two, so folding never quietens a fault.
        void FoldInto(Finding consequence, Finding? cause, Evidence evidence)
        {
            result.Remove(consequence);
            if (cause is not null && result.IndexOf(cause) is var i and >= 0)
            {
                result[i] = cause with { Evidence = [.. cause.Evidence, evidence], Severity = (AlertSeverity)Math.Max((int)cause.Severity, (int)consequence.Severity) };
            }
        }

        foreach (var imbalance in findings.Where(f => f.Rule == Imbalance))
        {
            var parent = input.Site.Meters.First(m => m.Id.Value == imbalance.Meter);
            var children = input.Site.Meters.Where(c => c.Parent == parent.Id && c.Kind == parent.Kind).ToList();
            var share = imbalance.Evidence.FirstOrDefault(e => e.Name == EvidenceNames.UnmeteredShare)?.Value ?? 0;
            if (children.Select(c => (Child: c, Cause: CauseOf(c))).FirstOrDefault(c => c.Cause is not null || WasCaused(c.Child) || ShowsFault(input, c.Child)) is { Child: not null } explained)
            {
                FoldInto(imbalance, explained.Cause, new Evidence(EvidenceNames.ParentOutOfBalance(parent.Id.Value), share, ""));
            }
        }

        foreach (var spike in result.Where(f => f.Rule == Spike).ToList())
        {
            var children = input.Site.Meters.Where(c => c.Parent?.Value == spike.Meter).Select(c => c.Id.Value).ToHashSet(StringComparer.Ordinal);
            if (result.FirstOrDefault(f => f.Rule == Spike && f.Meter is { } m && children.Contains(m) && Math.Abs((f.Since - spike.Since).TotalHours) < 1) is { } child)
            {
                var seen = spike.Evidence.Count > 0 ? spike.Evidence[0] : null;
                FoldInto(spike, child, new Evidence(EvidenceNames.ParentSpike(spike.Meter!), seen?.Value ?? 0, seen?.Unit ?? ""));
            }
        }

        // A burst on a day off is that day's excess: the day-off finding on the same meter or building is the spike's.
        foreach (var dayOff in result.Where(f => f.Rule == BaseloadRule.DayOffRule).ToList())
        {
            var day = DateOnly.FromDateTime(input.Local(dayOff.Since));
            var excess = Excess(dayOff);
            if (result.FirstOrDefault(f => f.Rule == Spike && f.Building == dayOff.Building && (dayOff.Meter is null || f.Meter == dayOff.Meter)
                && DateOnly.FromDateTime(input.Local(f.Since)) == day && f.Evidence.Count > 0 && excess <= 1.5 * f.Evidence[0].Value) is { } burst)
            {
                FoldInto(dayOff, burst, new Evidence(EvidenceNames.DayOffExcess, Math.Round(excess, 1), "kWh"));
            }
        }

        // Last of the spikes, so that what they carry (the parent's burst, the day off) goes with them: a catch-up
        // folds into the stuck or silent meter's finding, or is dropped where that alert clears in this pass.
        foreach (var spike in result.Where(f => f.Rule == Spike).ToList())
        {
            var meter = input.Site.Meters.First(m => m.Id.Value == spike.Meter);
            var amount = spike.Evidence.Count > 0 ? spike.Evidence[0].Value : 0;
            if (CauseOf(meter) is { } cause && cause.Rule != CounterFault)
            {
                FoldInto(spike, cause, new Evidence(EvidenceNames.CaughtUp, amount, meter.CanonicalUnit.Symbol));
            }
            else if ((open ?? []).Any(f => f.Meter == meter.Id.Value && f.Rule is Stuck or SilentMeterRule.MeterRule))
            {
                FoldInto(spike, null, new Evidence(EvidenceNames.CaughtUp, amount, meter.CanonicalUnit.Symbol));
            }
        }

        // A new unmetered load on a feeder raises the building's night and day-off use where no circuit explains it:
        // the building's baseload finding is the imbalance's.
        foreach (var baseload in result.Where(f => f.Rule is BaseloadRule.NightRule or BaseloadRule.DayOffRule && f.Meter is null).ToList())
        {
            if (result.FirstOrDefault(f => f.Rule == Imbalance && f.Building == baseload.Building) is { } imbalance)
            {
                var name = baseload.Rule == BaseloadRule.NightRule ? EvidenceNames.NightExcess : EvidenceNames.DayOffExcess;
                FoldInto(baseload, imbalance, new Evidence(name, Math.Round(Excess(baseload), 1), "kWh"));
            }
        }

        return result;
    }

    private static double Excess(Finding finding) =>
        finding.Evidence.FirstOrDefault(e => e.Name == EvidenceNames.Excess || e.Name == EvidenceNames.OfBuilding(EvidenceNames.Excess))?.Value ?? 0;

    /// <summary>
    /// Whether a child's hours on the two days the imbalance rule judges are not what it used: an hour missing (the
    /// meter was silent), or one the calculator flagged as a catch-up, a long gap or a reset. Hours of no use are not a
    /// sign: a lighting circuit is off at night.
    /// </summary>
    private static bool ShowsFault(AnomalyInput input, Meter child)
    {
        var from = Rollups.RollupPeriods.Local(input.LastCompleteDay.AddDays(-1).ToDateTime(TimeOnly.MinValue), input.Zone);
        var to = Rollups.RollupPeriods.Local(input.LastCompleteDay.AddDays(1).ToDateTime(TimeOnly.MinValue), input.Zone);
        var rows = input.HourlyOf(child.Id.Value).Where(r => r.Start >= from && r.Start < to).ToList();
        return rows.Count < (to - from).TotalHours - 0.5 || rows.Any(r => (r.Flags & Faulty) != 0);
    }
}
