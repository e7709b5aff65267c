using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Prometheus;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>
/// The service's Prometheus metrics, on a registry of its own (no process-wide state): counters the acquisition
/// paths move as they work, and gauges read from the stores when /metrics is scraped.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly Counter _ingested;
    private readonly Histogram _storeLagSeconds;
    private readonly Counter _quarantined;
    private readonly Histogram _pollSeconds;
    private readonly Counter _pollFailures;
    private readonly Counter _frameFaults;
    private readonly Counter _jobRuns;
    private readonly Counter _jobFailures;
    private readonly Histogram _jobSeconds;
    private readonly Dictionary<MeterId, string> _sourceOfMeter;

    public ServiceMetrics(SiteModel site)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _ingested = factory.CreateCounter("energymonitor_readings_ingested_total", "Usable readings stored, by source (modbus/GATEWAY, mqtt, virtual, manual, other).", "source");
        _storeLagSeconds = factory.CreateHistogram("energymonitor_reading_store_lag_seconds",
            "Time from a reading's own timestamp to its being durable in the store, by source: acquisition falling behind shows here first.",
            new HistogramConfiguration { LabelNames = ["source"], Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });
        _quarantined = factory.CreateCounter("energymonitor_readings_quarantined_total", "Messages kept in the quarantine, by reason.", "reason");
        _pollSeconds = factory.CreateHistogram("energymonitor_poll_duration_seconds", "Time to read one meter's registers, by gateway.",
            new HistogramConfiguration { LabelNames = ["gateway"], Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _pollFailures = factory.CreateCounter("energymonitor_poll_failures_total", "Meter reads that failed (timeout, exception, gateway down), by gateway.", "gateway");
        _frameFaults = factory.CreateCounter("energymonitor_frame_faults_total",
            "Malformed DL/T 645 and CJ/T 188 answers (bad checksum, wrong address or identifier, truncated, noise, illegal digit, unknown unit), by gateway and fault; each is a missing reading, never a number.",
            "gateway", "fault");
        _jobRuns = factory.CreateCounter("energymonitor_job_runs_total", "Scheduled job runs, by job.", "job");
        _jobFailures = factory.CreateCounter("energymonitor_job_failures_total", "Scheduled job runs that threw, by job.", "job");
        _jobSeconds = factory.CreateHistogram("energymonitor_job_duration_seconds", "Scheduled job run time, by job.",
            new HistogramConfiguration { LabelNames = ["job"], Buckets = [0.1, 0.5, 1, 5, 15, 60, 300, 1800] });
        OutboxDepth = factory.CreateGauge("energymonitor_outbox_depth", "Readings waiting in the durable outbox for the remote store.");
        OutboxOldestSeconds = factory.CreateGauge("energymonitor_outbox_oldest_age_seconds", "Age of the oldest reading waiting in the outbox.");
        AlertsOpen = factory.CreateGauge("energymonitor_alerts_open", "Alerts open (not resolved), by severity.", "severity");
        Deliveries = factory.CreateCounter("energymonitor_alert_deliveries_total", "Alert notifications delivered since start, by channel.", "channel");
        DeliveryFailures = factory.CreateCounter("energymonitor_alert_delivery_failures_total", "Alert notification attempts that failed since start, by channel.", "channel");
        UnknownMeterSamples = factory.CreateCounter("energymonitor_samples_unknown_meter_total", "Samples dropped because their meter is not in the site (a site file changed under a running poll).");
        GatewayHeld = factory.CreateGauge("energymonitor_gateway_held",
            "1 for each gateway this instance polls (holds its lease), 0 for the site's other gateways.", "gateway");
        InstanceInfo = factory.CreateGauge("energymonitor_instance_info", "Always 1; names this instance (EnergyMonitor:Cluster:InstanceId, else the host name).", "instance_id");
        AlertDeliveryHeld = factory.CreateGauge("energymonitor_alert_delivery_held", "1 when this instance delivers the alert notifications (holds that lease).");
        MetersReporting = factory.CreateGauge("energymonitor_meters", "Meters in the site, by kind.", "kind");
        _sourceOfMeter = site.Meters.ToDictionary(m => m.Id, m => m.Source switch
        {
            ModbusSource s => "modbus/" + s.Gateway,
            Dlt645Source s => "dlt645/" + s.Gateway,
            Cjt188Source s => "cjt188/" + s.Gateway,
            MqttSource => "mqtt",
            _ => "manual",
        });
        foreach (var meter in site.Buildings.SelectMany(b => b.VirtualMeters))
        {
            _sourceOfMeter[meter.Id] = "virtual";
        }
        foreach (var kind in site.Meters.GroupBy(m => m.Kind))
        {
            MetersReporting.WithLabels(EnergyKinds.ConfigName(kind.Key)).Set(kind.Count());
        }
    }

    public CollectorRegistry Registry { get; }

    public void FrameFault(string gateway, MeterProtocols.MeterFrameFault fault) => _frameFaults.WithLabels(gateway, fault.ToString()).Inc();

    public Gauge OutboxDepth { get; }

    public Gauge OutboxOldestSeconds { get; }

    public Gauge AlertsOpen { get; }

    // The dispatcher counts deliveries itself; they are raised to its counts at scrape time.
    public Counter Deliveries { get; }

    public Counter DeliveryFailures { get; }

    public Gauge MetersReporting { get; }

    public Gauge GatewayHeld { get; }

    public Gauge AlertDeliveryHeld { get; }

    public Gauge InstanceInfo { get; }

    /// <summary>Read from the sample sink at each scrape.</summary>
    public Counter UnknownMeterSamples { get; }

    /// <param name="durableAt">When the store confirmed the write; a replayed or imported reading's lag is its age.</param>
    public void Ingested(IReadOnlyList<Reading> readings, DateTimeOffset durableAt)
    {
        // A reading marked missing (the meter did not answer) is stored as a gap, not counted as ingested.
        foreach (var group in readings.Where(r => r.IsUsable).GroupBy(r => SourceOf(r.Meter)))
        {
            _ingested.WithLabels(group.Key).Inc(group.Count());
            var lag = _storeLagSeconds.WithLabels(group.Key);
            foreach (var reading in group)
            {
                lag.Observe(Math.Max(0, (durableAt - reading.Timestamp).TotalSeconds));
            }
        }
    }

    // A point's series (power, voltage: "meter/point", SampleNormalizer.SeriesOf) counts with its meter's source.
    private string SourceOf(MeterId series) =>
        SeriesKey.TryParse(series.Value, out var key) && key.Value.Meter is { } meter && _sourceOfMeter.TryGetValue(meter, out var source) ? source : "other";

    public void Quarantined(IReadOnlyCollection<QuarantineEntry> entries)
    {
        foreach (var group in entries.GroupBy(e => e.Reason))
        {
            _quarantined.WithLabels(group.Key.ToString()).Inc(group.Count());
        }
    }

    public void Polled(string gateway, TimeSpan duration, bool succeeded)
    {
        _pollSeconds.WithLabels(gateway).Observe(duration.TotalSeconds);
        if (!succeeded)
        {
            _pollFailures.WithLabels(gateway).Inc();
        }
    }

    public void JobRan(string job, TimeSpan duration, bool failed)
    {
        _jobRuns.WithLabels(job).Inc();
        _jobSeconds.WithLabels(job).Observe(duration.TotalSeconds);
        if (failed)
        {
            _jobFailures.WithLabels(job).Inc();
        }
    }
}
