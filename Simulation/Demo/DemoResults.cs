using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Simulation.Demo;

/// <summary>What the demo's steps produced, for its summary.</summary>
public sealed class DemoResults
{
    public long LiveReadings { get; set; }

    public int LiveMeters { get; set; }

    public long Stored { get; set; }

    public List<(Building Building, AssessmentReport? Report)> Assessments { get; set; } = [];

    public IReadOnlyList<ScoreResult> Scores { get; set; } = [];

    public int ScoreYear { get; set; }

    public DemoSubmission.Outcome? Submission { get; set; }

    public IReadOnlyList<Alert> Alerts { get; set; } = [];

    public string AlertLog { get; set; } = "";

    public List<(PlantedFault Fault, string? CaughtBy)> Caught { get; set; } = [];

    public IReadOnlyList<ArchivedReport> Reports { get; set; } = [];

    public List<string> Notes { get; } = [];
}
