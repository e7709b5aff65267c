using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Submission;

/// <summary>基本信息: the institution as the base form describes it (2025-11 edition: 用地面积, 充电桩数量, 可再生能源应用 and UPS装机容量 were deleted).</summary>
public sealed record BasicInfo(string CreditCode, string Name, string NatureCode, string NatureName, double? FloorArea, int? Occupants, int? StaffEstablishment,
    int? Vehicles, int? VehiclesGasoline, int? VehiclesDiesel, int? VehiclesNewEnergy, int? VehiclesOther)
{
    /// <summary>The 主管部门, for the 部门汇总; null when the site does not say.</summary>
    public string? Department { get; init; }
}

/// <summary>One row of 能源资源消费状况: an energy with its quantity in the form's unit and its cost.</summary>
public sealed record EnergyRow(string Code, string Name, EnergyKind Kind, string Unit, double Quantity, double? AmountYuan, double? LastYear);

/// <summary>数据中心机房能源消费状况: the IT rooms' electricity (meters coded 01D10).</summary>
public sealed record DataCentre(double ElectricityKwh, double? AmountYuan);

/// <summary>采暖能源资源消费状况: 热力消费量（按热量收费）and the heated area.</summary>
public sealed record Heating(double HeatGj, double? AmountYuan, double? HeatedArea);

/// <summary>
/// One institution's statistical submission for a year (公共机构能源资源消费统计), in the edition it follows: the
/// documented, versioned JSON contract of docs/SUBMISSION.md.
/// </summary>
public sealed record InstitutionSubmission(
    int Version,
    string Edition,
    int Year,
    string RegionCode,
    string Institution,
    BasicInfo Basic,
    IReadOnlyList<EnergyRow> Energy,
    DataCentre? DataCentre,
    Heating? Heating,
    double TotalKgce,
    double? EnergyPerArea,
    double? EnergyPerPerson,
    double? WaterPerPerson,
    double EstimatedShare,
    string CoefficientSet)
{
    public const int CurrentVersion = 1;
    public const string CurrentEdition = "2025-11";
}

public enum FindingLevel
{
    /// <summary>Blocks the export until fixed or explained.</summary>
    Error,

    /// <summary>Printed with the export; the bureau may ask about it.</summary>
    Warning,
}

/// <summary>A review (审核) finding: the field, its value, the rule and what would fix it.</summary>
public sealed record ReviewFinding(string Institution, string Field, string Value, string Rule, FindingLevel Level, string Fix);
