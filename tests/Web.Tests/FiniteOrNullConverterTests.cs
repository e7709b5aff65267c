using System.Text.Json;

using EnergyMonitor.Web.Api;

namespace EnergyMonitor.Web.Tests;

public sealed class FiniteOrNullConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new FiniteOrNullConverter() } };

    [Fact]
    public void An_infinite_or_NaN_figure_of_an_assessment_is_written_as_null_and_finite_ones_as_numbers()
    {
        var dto = new AssessmentDto("b", "water", "s", "2025-01-01..2025-12-31", "2026-01-01..2026-01-31", "Intercept", 0.5, double.PositiveInfinity, double.NaN,
            false, 1.25, null, double.NegativeInfinity, 0, null, []);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(dto, Options));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("CvRmse").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("Nmbe").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("Avoided").ValueKind);
        Assert.Equal(0.5, json.RootElement.GetProperty("R2").GetDouble());
        Assert.Equal(1.25, json.RootElement.GetProperty("Predicted").GetDouble());
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(dto)); // what the API did without it: a 500
    }
}
