using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Modbus;
using static EnergyMonitor.Acquisition.Tests.Polling.TemplateFixtures;

namespace EnergyMonitor.Acquisition.Tests.Polling;

public sealed class BlockPlannerTests
{
    [Fact]
    public void Contiguous_points_merge_into_one_request()
    {
        // 0x2006..0x2007, 0x2008..0x2009, 0x200C..0x200D with a gap of 2: one block 0x2006+8.
        var blocks = BlockPlanner.Plan([Point("a", 0x2006), Point("b", 0x2008), Point("c", 0x200C)], 125, 2);

        var block = Assert.Single(blocks);
        Assert.Equal((0x2006, 8), (block.Address, block.Count));
        Assert.Equal(3, block.Points.Count);
    }

    [Fact]
    public void A_gap_wider_than_allowed_starts_a_new_request()
    {
        var blocks = BlockPlanner.Plan([Point("a", 0), Point("b", 2), Point("c", 20)], 125, 8);

        Assert.Equal([(0, 4), (20, 2)], blocks.Select(b => ((int)b.Address, (int)b.Count)));
    }

    [Fact]
    public void No_request_exceeds_the_register_limit()
    {
        var points = Enumerable.Range(0, 100).Select(i => Point($"p{i}", (ushort)(i * 2))).ToList();

        var blocks = BlockPlanner.Plan(points, 60, 8);

        Assert.All(blocks, b => Assert.InRange((int)b.Count, 1, 60));
        Assert.Equal(200, blocks.Sum(b => b.Count));
        Assert.Equal(100, blocks.Sum(b => b.Points.Count));
        Assert.Equal(4, blocks.Count);
    }

    [Fact]
    public void Holding_and_input_registers_never_share_a_request()
    {
        var blocks = BlockPlanner.Plan([Point("h", 0), Point("i", 2, function: ModbusFunction.ReadInputRegisters)], 125, 8);

        Assert.Equal([ModbusFunction.ReadHoldingRegisters, ModbusFunction.ReadInputRegisters], blocks.Select(b => b.Function));
    }

    [Fact]
    public void Overlapping_and_unordered_points_are_covered_once()
    {
        var blocks = BlockPlanner.Plan([Point("c", 10, RegisterType.Float64), Point("a", 10, RegisterType.UInt16), Point("b", 12)], 125, 0);

        var block = Assert.Single(blocks);
        Assert.Equal((10, 4), (block.Address, block.Count));
    }

    [Fact]
    public void Splitting_halves_the_points_and_each_half_covers_only_its_own()
    {
        var block = Assert.Single(BlockPlanner.Plan([Point("a", 0), Point("b", 2), Point("c", 4), Point("d", 100)], 125, 125));

        var (first, second) = BlockPlanner.Split(block);

        Assert.Equal(["a", "b"], first.Points.Select(p => p.Name));
        Assert.Equal((0, 4), (first.Address, first.Count));
        Assert.Equal(["c", "d"], second.Points.Select(p => p.Name));
        Assert.Equal((4, 98), (second.Address, second.Count));
    }
}
