using EnergyMonitor.Simulation.Demo;

namespace EnergyMonitor.Simulation.Tests;

public sealed class DemoWorkspaceTests
{
    private const string Facts = """
        institutions:
          - id: inst-a
            facts:
              - { year: 2020, floorArea: 10000, occupants: 300 }
              - { year: 2025, floorArea: 12000, occupants: 290 }
            buildings: []
        """;

    [Fact]
    public void The_newest_facts_of_2025_are_carried_to_2026_and_2027_and_marked()
    {
        var text = DemoWorkspace.CarryFactsForward(Facts, 2027);

        var lines = text.Split('\n');
        Assert.Contains("      - { year: 2026, floorArea: 12000, occupants: 290 } # carried forward by the demo", lines);
        Assert.Contains("      - { year: 2027, floorArea: 12000, occupants: 290 } # carried forward by the demo", lines);
        Assert.Equal(4, lines.Count(l => l.Contains("{ year:", StringComparison.Ordinal)));
        Assert.Equal("    buildings: []", lines[^1]); // what follows the facts is left where it was
    }

    [Fact]
    public void Facts_already_up_to_the_year_are_left_alone()
    {
        Assert.Equal(Facts, DemoWorkspace.CarryFactsForward(Facts, 2025));
    }

    [Fact]
    public void The_exchange_is_moved_to_its_moment_with_the_old_registers_last_reading()
    {
        const string site = """
                replacements:
                  - at: 2025-06-01T10:00:00+08:00
                    oldFinalReading: 1.0
            """;

        var text = DemoWorkspace.RecordExchange(site, new DateTimeOffset(2026, 7, 5, 14, 15, 0, TimeSpan.FromHours(8)), 16601.94);

        Assert.Contains("- at: 2026-07-05T14:15:00+08:00\n        oldFinalReading: 16601.9", text, StringComparison.Ordinal);
    }
}
