using System.Globalization;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Tests.Consumption;

/// <summary>Worked examples, each computed by hand in its name or comment. Times are Beijing time (UTC+8, no daylight saving).</summary>
public sealed class ConsumptionCalculatorTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly MeterId M = new("m1");

    private static DateTimeOffset At(string local) =>
        new(DateTime.ParseExact("2026-03-01 " + local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.FromHours(8));

    private static Reading R(string local, double value, ReadingQuality quality = ReadingQuality.Good) => new(M, At(local), value, quality);

    private static CounterRules Rules(double? rollover = null, double? maxPerHour = null, TimeSpan? maxGap = null, params CounterReplacement[] replacements) =>
        new(ReadingMode.Cumulative, new IntervalGrid(TimeSpan.FromMinutes(15), Beijing), rollover, maxPerHour, replacements, maxGap ?? TimeSpan.FromHours(2));

    private static Dictionary<string, ConsumptionInterval> Compute(CounterRules rules, params Reading[] readings) =>
        ConsumptionCalculator.Compute(M, rules, null, readings, DateTimeOffset.MinValue).Intervals
            .ToDictionary(i => TimeZoneInfo.ConvertTime(i.Start, Beijing).ToString("HH:mm", CultureInfo.InvariantCulture));

    [Fact]
    public void On_grid_readings_100_110_125_give_10_then_15()
    {
        var result = Compute(Rules(), R("10:00", 100), R("10:15", 110), R("10:30", 125));

        Assert.Equal(2, result.Count);
        Assert.Equal(10, result["10:00"].Amount, 9);
        Assert.Equal(15, result["10:15"].Amount, 9);
        Assert.All(result.Values, i => Assert.Equal(IntervalFlags.None, i.Flags));
    }

    [Fact]
    public void Off_grid_readings_share_by_time_15_over_10_07_to_10_22_is_8_then_7()
    {
        // 8 of the 15 minutes fall in [10:00, 10:15) and 7 in [10:15, 10:30).
        var result = Compute(Rules(), R("10:07", 100), R("10:22", 115));

        Assert.Equal(8, result["10:00"].Amount, 9);
        Assert.Equal(7, result["10:15"].Amount, 9);
        Assert.All(result.Values, i => Assert.True(i.Flags.HasFlag(IntervalFlags.Interpolated)));
        Assert.All(result.Values, i => Assert.Equal(0, i.Estimated));
    }

    [Fact]
    public void Rollover_at_10000_from_9990_to_5_is_15()
    {
        // 10000 − 9990 + 5 = 15; then 5 → 20 is 15 more. Eight readings follow so that the fall is decided.
        var readings = new List<Reading> { R("10:00", 9990), R("10:15", 5) };
        for (var k = 1; k <= 8; k++)
        {
            readings.Add(R(At("10:15").AddMinutes(15 * k).ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm", CultureInfo.InvariantCulture), 5 + (15 * k)));
        }

        var result = Compute(Rules(rollover: 10000), [.. readings]);

        Assert.Equal(15, result["10:00"].Amount, 9);
        Assert.True(result["10:00"].Flags.HasFlag(IntervalFlags.Rollover));
        Assert.Equal(15, result["10:15"].Amount, 9);
    }

    [Fact]
    public void A_fall_at_the_end_waits_for_more_readings_before_it_is_called_a_rollover_reset_or_bad_read()
    {
        // With a 40 kW limit, 9990 → 5 wraps to 15 kWh in 15 minutes: implausible, so it is a fall, decided only
        // once eight readings follow. Until then nothing after 10:15 is counted.
        var result = ConsumptionCalculator.Compute(M, Rules(rollover: 10000, maxPerHour: 40), null, [R("10:00", 9980), R("10:15", 9990), R("10:30", 5)], DateTimeOffset.MinValue);

        Assert.Single(result.Intervals); // [10:00] = 10
        Assert.Empty(result.Checkpoints); // and nothing is final yet
    }

    [Fact]
    public void Checkpoints_lie_a_lookahead_window_behind_the_newest_reading()
    {
        // 24 quarter hours 10:00…15:45. A checkpoint at hour H anchors on the reading at H and is final once the reading
        // after it (H:15) has the eight readings after it that decide it: 13:15 is decided by 15:15; 14:15 would need 16:15.
        var readings = Enumerable.Range(0, 24).Select(k => new Reading(M, At("10:00").AddMinutes(15 * k), 100 + (10 * k))).ToList();

        var result = ConsumptionCalculator.Compute(M, Rules(), null, readings, DateTimeOffset.MinValue);

        Assert.Equal(23, result.Intervals.Count);
        Assert.Equal([At("10:00"), At("11:00"), At("12:00"), At("13:00")], result.Checkpoints.Select(c => c.Boundary));
        Assert.Equal(At("13:00"), result.Checkpoints[^1].Anchor.Timestamp);
        Assert.Equal(At("15:15"), result.Checkpoints[^1].Horizon);
    }

    [Fact]
    public void Replacement_at_10_20_old_final_5000_new_initial_0_from_4990_to_7_is_17()
    {
        // (5000 − 4990) on the old meter + (7 − 0) on the new one = 17, all in [10:15, 10:30).
        var rules = Rules(replacements: new CounterReplacement(At("10:20"), 5000, 0));
        var result = Compute(rules, R("10:15", 4990), R("10:30", 7), R("10:45", 12));

        Assert.Equal(17, result["10:15"].Amount, 9);
        Assert.True(result["10:15"].Flags.HasFlag(IntervalFlags.Replacement));
        Assert.Equal(5, result["10:30"].Amount, 9);
    }

    [Fact]
    public void A_gap_of_two_missing_readings_spreads_45_as_15_15_15_estimated()
    {
        var result = Compute(Rules(), R("10:00", 100), R("10:45", 145));

        Assert.Equal(["10:00", "10:15", "10:30"], result.Keys.Order());
        Assert.All(result.Values, i =>
        {
            Assert.Equal(15, i.Amount, 9);
            Assert.Equal(15, i.Estimated, 9);
            Assert.True(i.Flags.HasFlag(IntervalFlags.Estimated));
        });
    }

    [Fact]
    public void A_gap_longer_than_the_maximum_puts_300_whole_into_the_interval_where_readings_resume()
    {
        // 10:00 → 14:00 is 4 h, over the 2 h maximum: no invented profile, 300 in [13:45, 14:00).
        var result = Compute(Rules(maxGap: TimeSpan.FromHours(2)), R("10:00", 100), R("14:00", 400));

        var only = Assert.Single(result);
        Assert.Equal("13:45", only.Key);
        Assert.Equal(300, only.Value.Amount, 9);
        Assert.Equal(IntervalFlags.Estimated | IntervalFlags.LongGap, only.Value.Flags);
    }

    [Fact]
    public void A_step_of_100_in_15_minutes_that_persists_on_a_40_kW_feeder_is_rejected_and_kept_aside()
    {
        // 40 kW × 0.25 h = 10 kWh at most; 100 → 200 is rejected, and the counter stays up there: 200, 205, 210, …
        var result = Compute(Rules(maxPerHour: 40), [R("10:00", 100), .. Quarters("10:15", 200, 5, 10)]);

        Assert.Equal(0, result["10:00"].Amount);
        Assert.Equal(100, result["10:00"].Rejected, 9);
        Assert.True(result["10:00"].Flags.HasFlag(IntervalFlags.SpikeRejected));
        Assert.Equal(5, result["10:15"].Amount, 9);
    }

    /// <summary>Readings every quarter hour from <paramref name="first"/>: value, value + step, …</summary>
    private static Reading[] Quarters(string first, double value, double step, int count) =>
        [.. Enumerable.Range(0, count).Select(k => new Reading(M, At(first).AddMinutes(15 * k), value + (step * k)))];

    [Theory]
    [InlineData(1_000_000)] // the garbage is above the register's wrap point: no counter can show it
    [InlineData(100_000_000)] // the garbage fits the register: the series coming back shows it was garbage
    public void Symptom_a_single_garbage_reading_of_10_million_is_skipped_not_a_base_for_a_negative_rollover(double rollover)
    {
        // 15-minute counter at 5000 going up 2 per quarter; at 10:30 the gateway reads 9,876,543; at 10:45 it is back on
        // the path. Before: the jump was rejected, became the base, and the fall back was a "rollover" of about −9.9 million.
        var readings = Quarters("10:00", 5000, 2, 12).ToList();
        readings[2] = readings[2] with { Value = 9_876_543 };

        var result = Compute(Rules(rollover: rollover, maxPerHour: 40), [.. readings]);

        Assert.All(result.Values, i => Assert.True(i.Amount >= 0));
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
        Assert.Equal(22, result.Values.Sum(i => i.Amount), 9); // 5000 → 5022: the counter's true advance
        Assert.Equal(2, result["10:15"].Amount, 9); // 10:15 → 10:45 is 4, spread 2 + 2, estimated
        Assert.Equal(2, result["10:15"].Estimated, 9);
        Assert.True(result["10:15"].Flags.HasFlag(IntervalFlags.Unavailable));
    }

    [Fact]
    public void A_garbage_reading_up_is_skipped_even_without_a_physical_maximum_because_the_series_comes_back_below_it()
    {
        var readings = Quarters("10:00", 5000, 2, 12).ToList();
        readings[2] = readings[2] with { Value = 9_876_543 };

        var result = Compute(Rules(), [.. readings]);

        Assert.Equal(22, result.Values.Sum(i => i.Amount), 9);
        Assert.All(result.Values, i => Assert.True(i.Amount <= 2 + 1e-9));
    }

    [Fact]
    public void Symptom_a_reading_at_exactly_the_replacement_time_is_the_old_meters_final_reading()
    {
        // Replaced at 10:15 with old final 5002 = the reading stamped 10:15; the new meter reads 0 at 10:15:01 and 2.5 at
        // 10:30. The old meter's last quarter hour is 5000 → 5002 = 2 (before: counted as the new meter's, a 5002 spike);
        // the new meter's first is 0 → 2.5.
        var rules = Rules(maxPerHour: 40, replacements: new CounterReplacement(At("10:15"), 5002, 0));
        var readings = new List<Reading> { R("10:00", 5000), R("10:15", 5002), new(M, At("10:15").AddSeconds(1), 0) };
        readings.AddRange(Quarters("10:30", 2.5, 2.5, 10));

        var result = Compute(rules, [.. readings]);

        Assert.Equal(2, result["10:00"].Amount, 9);
        Assert.Equal(IntervalFlags.None, result["10:00"].Flags);
        Assert.Equal(2.5, result["10:15"].Amount, 9);
        Assert.True(result["10:15"].Flags.HasFlag(IntervalFlags.Replacement));
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
    }

    [Fact]
    public void A_register_that_stood_still_for_an_hour_and_caught_up_is_spread_over_the_hour_not_rejected()
    {
        // 40 kW feeder using 8 per quarter: 100 at 10:00, then 100 four times, then 140 at 11:15. 40 in 15 minutes is
        // over the 10 kWh limit, but 40 over the 75 minutes since 10:00 is not: 8 per quarter from 10:00, estimated.
        var rules = Rules(maxPerHour: 40);
        var readings = new List<Reading> { R("10:00", 100), R("10:15", 100), R("10:30", 100), R("10:45", 100), R("11:00", 100) };
        readings.AddRange(Quarters("11:15", 140, 8, 10));

        var result = Compute(rules, [.. readings]);

        foreach (var quarter in new[] { "10:00", "10:15", "10:30", "10:45", "11:00" })
        {
            Assert.Equal(8, result[quarter].Amount, 9);
            Assert.Equal(8, result[quarter].Estimated, 9);
            Assert.True(result[quarter].Flags.HasFlag(IntervalFlags.Stuck));
        }

        Assert.Equal(8, result["11:15"].Amount, 9);
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
    }

    [Fact]
    public void A_bad_read_at_half_the_true_value_just_after_a_wrap_is_skipped_and_the_next_step_is_no_spike()
    {
        // A 40 kW feeder (10 per quarter at most) using 8 per quarter, its register wrapping at 10000: 9990 at 09:45,
        // 9998 at 10:00, then 10006, shown as 6, at 10:15, but read as 3. On its own 9998 → 3 is a plausible wrap of 5.
        // But 3 → 14 at 10:30 is 11 in a quarter, over the 10 the feeder can use, while 9998 → 14 is a wrap of 16 in
        // half an hour, within 20: the reading of 10:15 lies below the counter's path. It is skipped, and the 16 is
        // shared by the two quarters. Taken as a wrap, it made the next step a persistent one and rejected its 11.
        var readings = new List<Reading> { R("09:45", 9990), R("10:00", 9998), R("10:15", 3) };
        for (var k = 0; k <= 8; k++)
        {
            readings.Add(new Reading(M, At("10:30").AddMinutes(15 * k), 14 + (8 * k)));
        }

        var result = Compute(Rules(rollover: 10000, maxPerHour: 40), [.. readings]);

        Assert.Equal(8, result["09:45"].Amount, 9);
        Assert.Equal(8, result["10:00"].Amount, 9);
        Assert.Equal(8, result["10:15"].Amount, 9);
        Assert.True(result["10:00"].Flags.HasFlag(IntervalFlags.Rollover));
        Assert.True(result["10:15"].Flags.HasFlag(IntervalFlags.Unavailable)); // the skipped reading is said
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
        Assert.DoesNotContain(result.Values, i => i.Flags.HasFlag(IntervalFlags.SpikeRejected));
    }

    [Fact]
    public void A_bad_read_left_just_below_the_top_when_the_register_wrapped_is_skipped_too()
    {
        // A 160 kW feeder (40 per quarter) wrapping at 10,000,000: 9,999,994.776 at 10:00, then 34.776 at 10:15 read as
        // 9,999,997.429, then 67.369. On its own 10:15 is a plausible 2.653; but from it 67.369 is a wrap of 69.94 in a
        // quarter, over 40, while from 10:00 it is 72.593 in half an hour, within 80: 10:15 lies below the path.
        var readings = new List<Reading> { R("09:45", 9_999_954.776), R("10:00", 9_999_994.776), R("10:15", 9_999_997.429) };
        for (var k = 0; k <= 8; k++)
        {
            readings.Add(new Reading(M, At("10:30").AddMinutes(15 * k), 67.369 + (40 * k)));
        }

        var result = Compute(Rules(rollover: 10_000_000, maxPerHour: 160), [.. readings]);

        Assert.Equal(72.593, result["10:00"].Amount + result["10:15"].Amount, 6);
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
        Assert.DoesNotContain(result.Values, i => i.Flags.HasFlag(IntervalFlags.Reset));
    }

    [Fact]
    public void A_bad_read_below_the_path_just_after_a_replacement_is_skipped_too()
    {
        // The same feeder; the meter is exchanged at 10:00, the old one's final reading 5000 (the reading of 10:00 is
        // the old meter's) and the new one starting at 0. At 10:15 the new meter shows 8, read as 3: 5000 → 3 across
        // the swap is a plausible 3. But 3 → 16 at 10:30 is 13 in a quarter, while 5000 → 16 across the swap is 16 in
        // half an hour: the reading of 10:15 lies below the path and is skipped.
        var swap = new CounterReplacement(At("10:00"), 5000, 0);
        var readings = new List<Reading> { R("09:45", 4992), R("10:00", 5000), R("10:15", 3) };
        for (var k = 0; k <= 8; k++)
        {
            readings.Add(new Reading(M, At("10:30").AddMinutes(15 * k), 16 + (8 * k)));
        }

        var result = Compute(Rules(maxPerHour: 40, replacements: [swap]), [.. readings]);

        Assert.Equal(8, result["10:00"].Amount, 9);
        Assert.Equal(8, result["10:15"].Amount, 9);
        Assert.True(result["10:00"].Flags.HasFlag(IntervalFlags.Replacement));
        Assert.All(result.Values, i => Assert.Equal(0, i.Rejected));
    }

    [Fact]
    public void A_register_that_stood_still_just_below_its_wrap_point_catches_up_across_it_not_as_a_bad_read()
    {
        // 40 kW feeder using 6 per quarter, register wrapping at 10000: 9984, 9990, then 9990 until 10:45; at 11:00 it
        // catches up to 10014, which shows as 14. From 10:45 that is a fall (a 24 wrap is over 15 minutes' 10), and by
        // 12:00 a later reading (38) is plausible from 9990 only because time went on; from 10:00, where it began to
        // stand, 14 is a 24 catch-up over an hour: 6 per quarter from 10:00, estimated, then 6 a quarter again.
        var readings = new List<Reading> { R("09:45", 9984), R("10:00", 9990), R("10:15", 9990), R("10:30", 9990), R("10:45", 9990) };
        readings.AddRange(Quarters("11:00", 14, 6, 10));

        var result = Compute(Rules(rollover: 10000, maxPerHour: 40), [.. readings]);

        foreach (var quarter in new[] { "10:00", "10:15", "10:30", "10:45" })
        {
            Assert.Equal(6, result[quarter].Amount, 9);
            Assert.True(result[quarter].Flags.HasFlag(IntervalFlags.Stuck));
        }

        Assert.Equal(6, result["11:00"].Amount, 9);
        Assert.DoesNotContain(result.Values, i => i.Flags.HasFlag(IntervalFlags.Unavailable) || i.Rejected > 0);
    }

    [Fact]
    public void A_counter_that_restarts_from_zero_counts_what_it_shows_since_as_estimated_when_the_meter_could_have_used_it()
    {
        // 40 kW feeder: 5000 at 10:00, then the gateway's pulse counter restarts: 3 at 10:15, 11, 19, …
        // 3 kWh ≤ 10 kWh in 15 minutes: counted, estimated; the part before the restart is lost and the interval says Reset.
        var result = Compute(Rules(maxPerHour: 40), [R("10:00", 5000), .. Quarters("10:15", 3, 8, 10)]);

        Assert.Equal(3, result["10:00"].Amount, 9);
        Assert.Equal(3, result["10:00"].Estimated, 9);
        Assert.True(result["10:00"].Flags.HasFlag(IntervalFlags.Reset));
        Assert.Equal(8, result["10:15"].Amount, 9);
    }

    [Fact]
    public void A_zero_from_a_failed_read_is_skipped_not_a_reset_and_a_jump_back_100_0_112_gives_6_and_6()
    {
        // The 0 at 10:15 is recovered from at 10:30 (112 ≥ 100): 12 over 30 minutes, spread 6 + 6, estimated.
        var result = Compute(Rules(), R("10:00", 100), R("10:15", 0), R("10:30", 112));

        Assert.Equal(6, result["10:00"].Amount, 9);
        Assert.Equal(6, result["10:15"].Amount, 9);
        Assert.All(result.Values, i => Assert.True(i.Flags.HasFlag(IntervalFlags.Unavailable) && i.Flags.HasFlag(IntervalFlags.Estimated)));
        Assert.DoesNotContain(result.Values, i => i.Flags.HasFlag(IntervalFlags.Reset));
    }

    [Fact]
    public void Missing_quality_readings_are_ignored_like_a_gap()
    {
        var result = Compute(Rules(), R("10:00", 100), R("10:15", 0, ReadingQuality.Missing), R("10:30", 120));

        Assert.Equal(10, result["10:00"].Amount, 9);
        Assert.Equal(10, result["10:15"].Amount, 9);
    }

    [Fact]
    public void A_reset_without_replacement_counts_nothing_across_it_and_never_goes_negative()
    {
        // 100 → 3 and the counter stays low for 8 more readings: a reset. 0 across it, then 1 per interval.
        var readings = new List<Reading> { R("10:00", 100), R("10:15", 3) };
        for (var k = 1; k <= 8; k++)
        {
            readings.Add(new Reading(M, At("10:15").AddMinutes(15 * k), 3 + k));
        }

        var result = ConsumptionCalculator.Compute(M, Rules(), null, readings, DateTimeOffset.MinValue).Intervals;

        Assert.Equal(0, result[0].Amount);
        Assert.True(result[0].Flags.HasFlag(IntervalFlags.Reset));
        Assert.All(result.Skip(1), i => Assert.Equal(1, i.Amount, 9));
        Assert.All(result, i => Assert.True(i.Amount >= 0));
    }

    [Fact]
    public void A_late_reading_at_10_15_turns_an_estimated_gap_into_measured_use()
    {
        // Before: 100 @10:00 and 145 @10:45, 15 + 15 + 15 estimated. The late 130 @10:15 arrives:
        // [10:00] = 30 measured; 130 → 145 over 30 min = 7.5 + 7.5, still estimated.
        var before = Compute(Rules(), R("10:00", 100), R("10:45", 145));
        var after = Compute(Rules(), R("10:00", 100), R("10:15", 130), R("10:45", 145));

        Assert.Equal(15, before["10:00"].Amount, 9);
        Assert.Equal(30, after["10:00"].Amount, 9);
        Assert.Equal(0, after["10:00"].Estimated);
        Assert.Equal(7.5, after["10:15"].Amount, 9);
        Assert.Equal(7.5, after["10:30"].Estimated, 9);
    }

    [Fact]
    public void Ct_200_over_5_multiplies_the_configured_replacement_and_rollover_readings_by_40()
    {
        // A CT of 200/5 A = 40: a register reading of 9999.9 wraps at 399,996 kWh primary; a final reading of 1234.5 is 49,380 kWh.
        var meter = new Meter(M, "feeder", EnergyKind.Electricity, null, UnitCatalog.Kwh, new Multiplier(40, 1), ReadingMode.Cumulative,
            TimeSpan.FromMinutes(15), 9999.9, null, null, [new MeterReplacement(At("10:20"), 1234.5, 0, null)], new ManualSource());

        var rules = CounterRules.For(meter, Beijing, TimeSpan.FromHours(2));

        Assert.Equal(399_996, rules.RolloverAt!.Value, 6);
        Assert.Equal(49_380, rules.Replacements[0].OldFinal, 6);
    }

    [Fact]
    public void Interval_meters_report_use_over_the_interval_ending_at_their_timestamp()
    {
        var rules = Rules() with { Mode = ReadingMode.Interval };
        var result = Compute(rules, R("10:15", 5), R("10:30", 7));

        Assert.Equal(5, result["10:00"].Amount);
        Assert.Equal(7, result["10:15"].Amount);
    }

    [Fact]
    public void Beijing_grid_has_no_daylight_saving_so_every_day_has_96_quarter_hours()
    {
        var grid = new IntervalGrid(TimeSpan.FromMinutes(15), Beijing);
        var summer = grid.Floor(new DateTimeOffset(2026, 7, 1, 23, 59, 0, TimeSpan.FromHours(8)));
        var winter = grid.Floor(new DateTimeOffset(2026, 1, 1, 0, 7, 0, TimeSpan.FromHours(8)));

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 15, 45, 0, TimeSpan.Zero), summer);
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero), winter);
    }

    [Fact]
    public void A_site_in_Kolkata_cuts_hours_at_local_hour_boundaries_which_are_half_past_in_UTC()
    {
        // 10:00 UTC is 15:30 IST (UTC+5:30); its local hour starts 15:00 IST = 09:30 UTC.
        var grid = new IntervalGrid(TimeSpan.FromHours(1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero), grid.Floor(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero)));
    }
}
