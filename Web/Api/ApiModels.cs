using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;

namespace EnergyMonitor.Web.Api;

// The JSON contract of /api/v1 (docs/API.md). Names are camelCase on the wire; times are ISO 8601 with offset.
public sealed record SiteDto(string Name, RegionDto Region, IReadOnlyList<InstitutionDto> Institutions, IReadOnlyList<GatewayDto> Gateways);

public sealed record RegionDto(string Code, string Name, string TimeZone);

public sealed record InstitutionDto(string Id, string Name, string Nature, IReadOnlyList<BuildingDto> Buildings);

public sealed record BuildingDto(string Id, string Code, string Name, double FloorArea, string? WeatherStation, IReadOnlyList<MeterDto> Meters, IReadOnlyList<string> Series);

public sealed record MeterDto(string Id, string Name, string Kind, string Unit, string? Item, string? Parent, string Source);

public sealed record GatewayDto(string Id, string Host, int Port, string Transport);

public sealed record LatestReadingDto(DateTimeOffset Timestamp, double Value, string Quality);

/// <param name="Status">ok (a usable reading within three intervals), late (within a day), or offline.</param>
public sealed record MeterStatusDto(string Id, string Name, string Building, string Kind, string Unit, LatestReadingDto? Latest, string Status)
{
    public static MeterStatusDto From(MeterState s) => new(s.Meter.Id.Value, s.Meter.Name, s.Building.Id, EnergyKinds.ConfigName(s.Meter.Kind), s.Meter.Unit.Symbol,
        s.Latest is { } r ? new LatestReadingDto(r.Timestamp, r.Value, r.Quality.ToString()) : null, MeterStatuses.Name(s.Status));
}

public sealed record ConsumptionRowDto(DateTimeOffset Start, double Amount, double Estimated, double Rejected);

public sealed record ConsumptionDto(string Series, string Resolution, string Unit, DateTimeOffset From, DateTimeOffset To, double Total, double EstimatedShare, IReadOnlyList<ConsumptionRowDto> Rows);

public sealed record AlertDto(long Id, string Rule, string Severity, string State, string? Meter, string? Building, string? Institution, DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, DateTimeOffset? ResolvedAt, string Summary, string Action, IReadOnlyList<EvidenceDto> Evidence)
{
    public static AlertDto From(Alert a, Language language) => new(a.Id, a.Finding.Rule, a.Finding.Severity.ToString().ToLowerInvariant(), a.State.ToString().ToLowerInvariant(),
        a.Finding.Meter, a.Finding.Building, a.Finding.Institution, a.OpenedAt, a.LastSeenAt, a.AcknowledgedAt, a.AcknowledgedBy, a.ResolvedAt,
        a.Finding.Summary.In(language), a.Finding.Action.In(language), [.. a.Finding.Evidence.Select(e => new EvidenceDto(e.Name.In(language), e.Value, e.Unit, e.Expected))]);
}

/// <summary>One number behind an alert, named in the request's language.</summary>
public sealed record EvidenceDto(string Name, double Value, string Unit, string? Expected);

public sealed record AssessmentDto(string Building, string Kind, string WeatherStation, string Baseline, string Reporting, string? Model, double? R2, double? CvRmse, double? Nmbe,
    bool PassesGuideline14, double? Predicted, double? Actual, double? Avoided, double? SavingsFraction, double? Uncertainty, IReadOnlyList<string> Notes)
{
    /// <summary>Each reporting day: what was used and what the baseline predicts for its weather (the savings page's chart).</summary>
    public IReadOnlyList<AssessmentDayDto> Days { get; init; } = [];
}

public sealed record AssessmentDayDto(DateOnly Day, double Actual, double Predicted);

public sealed record ReportDto(long Id, string Period, string Scope, string Format, string File, string Sha256, long Bytes, DateTimeOffset GeneratedAt, string Download);

public sealed record BuildingMonthDto(string Id, string Name, string Institution, double FloorArea, double Kgce, double? KgcePerSquareMetre, int OfflineMeters);

/// <param name="DailyKgce">One value per day of this month, from the 1st; null for a day without rollups (yet).</param>
/// <param name="Meters">Meter counts by status: ok, late, offline.</param>
public sealed record OverviewDto(DateOnly Today, double MonthToDateKgce, double SameDaysLastYearKgce, double? Change, IReadOnlyList<double?> DailyKgce, IReadOnlyList<double?> DailyKgceLastYear,
    IReadOnlyList<BuildingMonthDto> Buildings, int OpenAlerts, int CriticalAlerts, IReadOnlyDictionary<string, int> Meters);

public sealed record DayValueDto(DateOnly Day, double? Kwh);

public sealed record HourValueDto(DateTimeOffset Hour, double? Kwh);

public sealed record SubItemDto(string Code, string NameZh, string NameEn, double Kwh, double? Share);

public sealed record BuildingPageDto(string Id, string Name, string Institution, double FloorArea, IReadOnlyList<DayValueDto> Daily, IReadOnlyList<HourValueDto> Hourly,
    IReadOnlyList<SubItemDto> SubItems, IReadOnlyList<MeterStatusDto> Meters);
