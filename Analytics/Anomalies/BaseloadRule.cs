using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Night and day-off baseload of a building's electricity, judged the morning after. Night: the night's mean hourly
/// use (00:00–05:00) as a share of the day's mean hour, against the same share on the building's previous days of the
/// same type (working or not). Day off (weekend, holiday, per the calendar with its 调休 working days): the day's use
/// as a share of the median of the five working days before it, against that share on earlier days off. Each fires
/// when the share is above its learned median by a factor and by several MADs: equipment left on, not a season.
/// </summary>
/// <remarks>
/// The building's electricity sub-meters (its circuits: air-conditioning, lighting, sockets…) are judged by the same
/// rule on their own history, because the fault is on a circuit: a circuit that fires names the cause, and the
/// building's finding, if it fired too, is folded into the circuit's as evidence rather than raised beside it. A
/// circuit can fire where the building does not: air-conditioning left on over a cold-snap weekend (demo, 2026-12-26)
/// raised the building's Saturday to 99 % of a working day against its limit of 102 %, while the circuit itself was at
/// 127 % against its usual 70 %. A circuit's excess must be material, at least <see cref="MaterialShare"/> of the
/// building's use that day, so that a small circuit's noise is no alert.
/// </remarks>
public sealed class BaseloadRule : IAnomalyRule
{
    public const string NightRule = "night-baseload";
    public const string DayOffRule = "dayoff-baseload";

    /// <summary>The least excess of a circuit, as a share of its building's use, that is an alert (chosen: 5 %).</summary>
    public const double MaterialShare = 0.05;

    public string Id => NightRule;

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var day = input.LastCompleteDay;
        foreach (var institution in input.Site.Institutions)
        {
            foreach (var building in institution.Buildings.Where(b => b.Meters.Any(m => m.Kind == EnergyKind.Electricity)))
            {
                if (Place.Of(input, building, institution, null, day) is not { } whole)
                {
                    continue;
                }

                var circuits = building.Meters.Where(m => m.Kind == EnergyKind.Electricity && m.Parent is not null)
                    .Select(m => Place.Of(input, building, institution, m, day)).OfType<Place>().ToList();
                var working = input.Calendar.IsWorkingDay(day);
                var found = new List<Finding>();
                foreach (var rule in working ? [NightRule] : new[] { NightRule, DayOffRule })
                {
                    Finding? Judge(Place place) => !input.Options.Enabled(rule, place.Series) ? null
                        : rule == NightRule ? Night(input, place, working) : DayOff(input, place);
                    if (Judge(whole) is { } own)
                    {
                        found.Add(Attribute(input, rule, own, whole, circuits, working, Judge));
                        continue;
                    }

                    // The building is within its range, yet a circuit is not, by a material amount: the circuit's fault.
                    found.AddRange(circuits.Select(Judge).OfType<Finding>().Where(cause => Excess(cause) >= MaterialShare * whole.Today.Total));
                }

                foreach (var finding in FoldDayOffIntoNight(found, input.Options.AttributionShare))
                {
                    yield return finding;
                }
            }
        }
    }

    /// <summary>
    /// Equipment left on overnight on a day off raises both the night and the day's use of the same circuit: one
    /// fault. The day-off finding is folded into the night one (as evidence) when the night's excess explains most of
    /// the day's.
    /// </summary>
    private static IEnumerable<Finding> FoldDayOffIntoNight(List<Finding> found, double share)
    {
        foreach (var finding in found)
        {
            if (finding.Rule == DayOffRule && found.Any(n => n.Rule == NightRule && n.Subject == finding.Subject && Excess(n) >= share * Excess(finding)))
            {
                continue;
            }

            yield return finding.Rule == NightRule && found.FirstOrDefault(d => d.Rule == DayOffRule && d.Subject == finding.Subject && Excess(finding) >= share * Excess(d)) is { } dayOff
                ? finding with { Evidence = [.. finding.Evidence, .. dayOff.Evidence.Where(e => e.Name == EvidenceNames.DayOffUse || e.Name == EvidenceNames.ShareOfWorkingDay)] }
                : finding;
        }
    }

    /// <summary>
    /// The building's finding, its excess decomposed over its circuits by each circuit's own usual level (the median
    /// of its earlier days of the same type). When one circuit explains at least <see cref="AnomalyOptions.AttributionShare"/>
    /// of the excess, the alert is raised on that circuit, with the building as context; otherwise on the building,
    /// naming the circuits that explain most of it, or saying that it has none.
    /// </summary>
    private static Finding Attribute(AnomalyInput input, string rule, Finding own, Place whole, List<Place> circuits, bool working, Func<Place, Finding?> judge)
    {
        var excess = Excess(own);

        // The parts are the circuits and what the feeders measure that no circuit does (an unmetered load is a cause
        // too), each by its own use above its usual level.
        var remainder = circuits.Count > 0 ? Place.Unmetered(input, whole, circuits, input.LastCompleteDay) : null;
        var parts = ExcessShares.Of(excess, circuits.Append(remainder).OfType<Place>().Select(p => (p, UsualExcess(input, rule, p, working))));
        var shares = parts.Where(p => p.Part != remainder && p.Share > 0).Select(p => (Circuit: p.Part, p.Share)).ToList();
        var unmeteredShare = parts.FirstOrDefault(p => p.Part == remainder).Share;
        var explained = shares.Select(s => new Evidence(EvidenceNames.ShareOfExcess(s.Circuit.Circuit!.Id.Value), Math.Round(s.Share, 3), "")).Take(3).ToList();
        if (unmeteredShare > 0)
        {
            explained.Add(new Evidence(EvidenceNames.ShareOfExcessUnmetered, Math.Round(unmeteredShare, 3), ""));
        }

        if (unmeteredShare >= input.Options.AttributionShare)
        {
            return own with
            {
                Evidence = [.. own.Evidence, .. explained],
                Summary = new LocalizedText($"{own.Summary.Zh}；未分项计量的负荷占超出部分的 {unmeteredShare:P0}", $"{own.Summary.En}; loads no sub-meter measures account for {unmeteredShare:P0} of the excess"),
            };
        }

        if (shares.Count > 0 && shares[0].Share >= input.Options.AttributionShare)
        {
            var (circuit, share) = shares[0];
            var buildingEvidence = own.Evidence.Select(e => e with { Name = EvidenceNames.OfBuilding(e.Name) });
            if (judge(circuit) is { } cause)
            {
                return cause with { Evidence = [.. cause.Evidence, .. buildingEvidence, .. explained] };
            }

            var meter = circuit.Circuit!;
            return own with
            {
                Subject = circuit.Series,
                Meter = meter.Id.Value,
                Evidence = [.. buildingEvidence, .. explained],
                Summary = new LocalizedText($"{own.Summary.Zh}；其中{meter.Name}占超出部分的 {share:P0}",
                    $"{own.Summary.En}; {meter.Name} accounts for {share:P0} of the excess"),
            };
        }

        if (circuits.Count == 0)
        {
            return own with
            {
                Summary = new LocalizedText(own.Summary.Zh + "（该楼无分项计量，无法定位到回路）", own.Summary.En + " (the building has no sub-metering to locate the circuit)"),
            };
        }

        return own with { Evidence = [.. own.Evidence, .. explained] };
    }

    /// <summary>A circuit's use on the judged day above its usual level for a day of that type, in kWh (night: the five night hours).</summary>
    private static double UsualExcess(AnomalyInput input, string rule, Place circuit, bool working)
    {
        var same = circuit.History.Where(d => input.Calendar.IsWorkingDay(d.Day) == working).ToList();
        if (same.Count < 3)
        {
            return 0;
        }

        return rule == NightRule
            ? (circuit.Today.NightMean - Robust.Median(same.Select(d => d.NightMean))) * DailyProfile.NightEndHour
            : circuit.Today.Total - Robust.Median(same.Select(d => d.Total));
    }

    /// <summary>What is judged: a building's electricity or one of its circuits, with its days up to the one judged.</summary>
    private sealed record Place(Building Building, Institution Institution, Meter? Circuit, string Series, DayUse Today, List<DayUse> History)
    {
        public string Name => Circuit is null ? Building.Name : $"{Circuit.Name}（{Building.Name}）";

        public string NameEn => Circuit is null ? Building.Name : $"{Circuit.Name} ({Building.Name})";

        /// <summary>
        /// What the building's feeders measured that none of their circuits did, hour by hour (a parent's use less its
        /// children's), as a place of its own; null without enough days.
        /// </summary>
        public static Place? Unmetered(AnomalyInput input, Place whole, List<Place> circuits, DateOnly day)
        {
            var parents = circuits.Select(c => c.Circuit!.Parent).OfType<MeterId>().Distinct().ToList();
            var byHour = new SortedDictionary<DateTimeOffset, double>();
            foreach (var parent in parents)
            {
                var children = whole.Building.Meters.Where(m => m.Parent == parent && m.Kind == EnergyKind.Electricity).Select(m => input.HourlyOf(m.Id.Value).ToDictionary(r => r.Start, r => r.Amount)).ToList();
                foreach (var row in input.HourlyOf(parent.Value))
                {
                    if (children.All(c => c.ContainsKey(row.Start)))
                    {
                        byHour[row.Start] = byHour.GetValueOrDefault(row.Start) + Math.Max(0, row.Amount - children.Sum(c => c[row.Start]));
                    }
                }
            }

            var rows = byHour.Select(h => new RollupRow("unmetered", RollupPeriod.Hour, h.Key, h.Value, 0, 0, IntervalFlags.None, 4)).ToList();
            var days = DailyProfile.Days(input, rows, day);
            return days.Count < 8 || days[^1].Day != day ? null : new Place(whole.Building, whole.Institution, null, "unmetered", days[^1], days.Take(days.Count - 1).ToList());
        }

        public static Place? Of(AnomalyInput input, Building building, Institution institution, Meter? circuit, DateOnly day)
        {
            var series = circuit?.Id.Value ?? SeriesGroups.Kind(SeriesScope.Building, building.Id, EnergyKind.Electricity);
            var days = DailyProfile.Days(input, input.HourlyOf(series), day);
            return days.Count < 8 || days[^1].Day != day ? null : new Place(building, institution, circuit, series, days[^1], days.Take(days.Count - 1).ToList());
        }
    }

    /// <summary>The day's use above what the finding's limit allowed, in kWh.</summary>
    private static double Excess(Finding finding) => finding.Evidence.FirstOrDefault(e => e.Name == EvidenceNames.Excess)?.Value ?? 0;

    private static Finding? Night(AnomalyInput input, Place place, bool working)
    {
        var (today, history) = (place.Today, place.History);
        var shares = history.Where(d => input.Calendar.IsWorkingDay(d.Day) == working && d.HourMean > 0).Select(d => d.NightMean / d.HourMean).ToList();
        if (shares.Count < 4 || today.HourMean <= 0)
        {
            return null;
        }

        var share = today.NightMean / today.HourMean;
        var (fires, expected) = Above(input.Options, share, shares);
        if (!fires)
        {
            return null;
        }

        // The five night hours above the share the limit allows of the day's mean hour.
        var excess = (today.NightMean - (expected * today.HourMean)) * DailyProfile.NightEndHour;
        var since = RollupPeriods.Local(today.Day.ToDateTime(TimeOnly.MinValue), input.Zone);
        return new Finding(NightRule, place.Series, AlertSeverity.Warning, place.Circuit?.Id.Value, place.Building.Id, place.Institution.Id, since,
            [
                new Evidence(EvidenceNames.NightMeanUse, Math.Round(today.NightMean, 2), "kWh/h"),
                new Evidence(EvidenceNames.NightShareOfDayMeanHour, Math.Round(share, 3), "", $"≤ {expected:0.###}"),
                new Evidence(EvidenceNames.Excess, Math.Round(excess, 1), "kWh"),
            ],
            new LocalizedText($"{place.Name} {today.Day:MM-dd} 夜间（0–5 时）平均用电 {today.NightMean:0.#} kWh/h，为全天平均的 {share:P0}，高于正常的 {expected:P0}",
                $"{place.NameEn}: night use (00–05) on {today.Day:MM-dd} averaged {today.NightMean:0.#} kWh/h, {share:P0} of the day's mean hour against a usual {expected:P0}"),
            new LocalizedText("夜间可能有空调、照明或设备未关闭：请安排值班人员巡查，并检查定时控制。", "Air conditioning, lighting or equipment may have been left on overnight: have the night duty check, and review the timers."));
    }

    private static Finding? DayOff(AnomalyInput input, Place place)
    {
        var (today, history) = (place.Today, place.History);
        double? Reference(int index) =>
            history.Take(index).Where(h => input.Calendar.IsWorkingDay(h.Day)).TakeLast(5).Select(h => h.Total).ToList() is { Count: >= 3 } before
                ? Robust.Median(before)
                : null;

        var shares = new List<double>();
        for (var i = 0; i < history.Count; i++)
        {
            if (!input.Calendar.IsWorkingDay(history[i].Day) && Reference(i) is { } r && r > 0)
            {
                shares.Add(history[i].Total / r);
            }
        }

        if (shares.Count < 3 || Reference(history.Count) is not { } reference || reference <= 0)
        {
            return null;
        }

        var share = today.Total / reference;
        var (fires, expected) = Above(input.Options, share, shares);
        if (!fires)
        {
            return null;
        }

        var holiday = input.Calendar.HolidayName(today.Day);
        var what = holiday ?? (today.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? "周末" : "休息日");
        var since = RollupPeriods.Local(today.Day.ToDateTime(TimeOnly.MinValue), input.Zone);
        return new Finding(DayOffRule, place.Series, AlertSeverity.Warning, place.Circuit?.Id.Value, place.Building.Id, place.Institution.Id, since,
            [
                new Evidence(EvidenceNames.DayOffUse, Math.Round(today.Total, 1), "kWh"),
                new Evidence(EvidenceNames.ShareOfWorkingDay, Math.Round(share, 3), "", $"≤ {expected:0.###}"),
                new Evidence(EvidenceNames.Excess, Math.Round(today.Total - (expected * reference), 1), "kWh"),
            ],
            new LocalizedText($"{place.Name} {today.Day:MM-dd}（{what}）用电 {today.Total:N0} kWh，为工作日的 {share:P0}，高于正常的 {expected:P0}",
                $"{place.NameEn} used {today.Total:N0} kWh on {today.Day:MM-dd} ({holiday ?? "a day off"}), {share:P0} of a working day against a usual {expected:P0}"),
            new LocalizedText("休息日用电偏高：请检查空调、照明是否未关，加班用电是否已登记。", "Day-off use is high: check for air conditioning or lighting left on, and whether overtime use was registered."));
    }

    /// <summary>Whether a share is above its history's median by the factor and by the MAD margin; and the limit it passed.</summary>
    private static (bool Fires, double Expected) Above(AnomalyOptions options, double share, List<double> history)
    {
        var median = Robust.Median(history);
        var mad = Robust.Mad(history, median);
        var limit = Math.Max(median * options.BaseloadFactor, median + (options.BaseloadMadFactor * mad));
        return (share > limit, limit);
    }
}
