using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnergyMonitor.Web;

/// <summary>
/// Writes a number that is not finite as null: JSON has no infinity or NaN, and System.Text.Json throws on them. An
/// assessment of a kind the building has no use of fits a model whose CV(RMSE) is infinite; the API answered 500 and
/// <c>assess --format json</c> crashed. Both the API's JSON options and the CLI's assessment writer use this one.
/// </summary>
public sealed class FiniteOrNullConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
