using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Offline or silent: no reading for longer than the meter's own interval allows (4 intervals, at least an hour).
/// When every meter behind a Modbus gateway is silent, the gateway is the finding, once, not each of its meters.
/// </summary>
public sealed class SilentMeterRule : IAnomalyRule
{
    public const string MeterRule = "silent";
    public const string GatewayRule = "gateway-offline";

    public string Id => MeterRule;

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var silent = new List<(Meter Meter, DateTimeOffset? Last, TimeSpan Limit)>();
        var watched = input.Site.Meters.Where(m => m.Source is not ManualSource && input.Options.Enabled(MeterRule, m.Id.Value)).ToList();
        foreach (var meter in watched)
        {
            var limit = input.Options.For(meter.Id.Value)?.SilentAfter
                ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromHours(1).Ticks, meter.Interval.Ticks * input.Options.SilentIntervals));
            DateTimeOffset? last = input.LastReadings.TryGetValue(meter.Id, out var t) ? t : null;
            if (last is null || input.AsOf - last.Value > limit)
            {
                silent.Add((meter, last, limit));
            }
        }

        var byGateway = watched.Where(m => m.Source is ModbusSource).GroupBy(m => ((ModbusSource)m.Source).Gateway).ToDictionary(g => g.Key, g => g.Count());
        var offlineGateways = silent.Where(s => s.Meter.Source is ModbusSource).GroupBy(s => ((ModbusSource)s.Meter.Source).Gateway)
            .Where(g => g.Count() >= 2 && g.Count() == byGateway[g.Key]).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (gateway, meters) in offlineGateways)
        {
            var lastAny = meters.Max(m => m.Last);
            var since = lastAny ?? input.AsOf;
            var hours = (input.AsOf - since).TotalHours;
            yield return new Finding(GatewayRule, gateway, Severity(input, since), null, null, null, since,
                [new Evidence(EvidenceNames.SilentMeters, meters.Count, "", $"0 / {meters.Count}"), new Evidence(EvidenceNames.HoursWithoutReading, Math.Round(hours, 1), "h", $"≤ {meters.Min(m => m.Limit).TotalHours:0.#}")],
                new LocalizedText($"网关 {gateway} 离线：其下 {meters.Count} 块表均已 {hours:0.#} 小时无数据", $"Gateway {gateway} offline: none of its {meters.Count} meters has reported for {hours:0.#} h"),
                new LocalizedText("请检查网关供电、网线和交换机端口，必要时重启网关；恢复后缺失的数据会自动补算。", "Check the gateway's power, network cable and switch port, and restart it if needed; the gap is recomputed once readings resume."));
        }

        foreach (var (meter, last, limit) in silent)
        {
            if (meter.Source is ModbusSource m && offlineGateways.ContainsKey(m.Gateway))
            {
                continue;
            }

            var since = last ?? input.AsOf;
            var hours = (input.AsOf - since).TotalHours;
            var lastText = last is { } l ? input.Local(l).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "从未";
            yield return Findings.ForMeter(input, MeterRule, meter, Severity(input, since), since,
                [new Evidence(EvidenceNames.HoursWithoutReading, Math.Round(hours, 1), "h", $"≤ {limit.TotalHours:0.#}")],
                last is null
                    ? new LocalizedText($"{meter.Name}（{meter.Id}）从未上报数据", $"{meter.Name} ({meter.Id}) has never reported")
                    : new LocalizedText($"{meter.Name}（{meter.Id}）已 {hours:0.#} 小时无数据，最后一次读数 {lastText}", $"{meter.Name} ({meter.Id}) silent for {hours:0.#} h, last reading {lastText}"),
                new LocalizedText("请检查表计供电、通信线和采集配置（地址、主题）。", "Check the meter's power, its communication line and its acquisition settings (address, topic)."));
        }
    }

    private static AlertSeverity Severity(AnomalyInput input, DateTimeOffset since) =>
        input.AsOf - since >= input.Options.SilentCritical ? AlertSeverity.Critical : AlertSeverity.Warning;
}
