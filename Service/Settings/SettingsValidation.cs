using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Service.Settings;

/// <summary>A Quartz cron expression: seconds minutes hours day-of-month month day-of-week [year].</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CronAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string cron && Error(cron) is { } error
            ? new ValidationResult($"a Quartz cron expression with seconds, e.g. \"0 1/15 * * * ?\" ({error})", [validationContext.MemberName!])
            : ValidationResult.Success;

    /// <summary>Why Quartz refuses a cron expression, or null when it accepts it.</summary>
    public static string? Error(string cron)
    {
        try
        {
            _ = new Quartz.CronExpression(cron);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}

/// <summary>A list whose items differ in one property, e.g. brokers by name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class UniqueByAttribute(string property) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not System.Collections.IEnumerable items)
        {
            return ValidationResult.Success;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in items)
        {
            var key = item?.GetType().GetProperty(property)?.GetValue(item)?.ToString() ?? "";
            if (!seen.Add(key))
            {
                return new ValidationResult($"items with different {property}s; [{index}] repeats \"{key}\"", [validationContext.MemberName!]);
            }

            index++;
        }

        return ValidationResult.Success;
    }
}

/// <summary>Factors by energy kind, named as in site.yaml, each 0 or more per canonical unit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FactorsByKindAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        foreach (var (name, factor) in value as IReadOnlyDictionary<string, double> ?? new Dictionary<string, double>())
        {
            if (!Core.Domain.EnergyKinds.TryParse(name, out _))
            {
                return new ValidationResult($"energy kinds as in site.yaml (electricity, natural-gas, heat …); \"{name}\" is none", [validationContext.MemberName!]);
            }

            if (!double.IsFinite(factor) || factor < 0)
            {
                return new ValidationResult($"a factor of 0 or more per canonical unit for {name}", [validationContext.MemberName!]);
            }
        }

        return ValidationResult.Success;
    }
}
