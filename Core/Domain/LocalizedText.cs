using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnergyMonitor.Core.Domain;

/// <summary>
/// A text in both languages people read, Simplified Chinese and English. It is the one way the project speaks two
/// languages: findings carry their summaries in it, and the catalogues of words (the console's, the reports', the
/// alert messages') are classes whose members are these texts, so a member's name is the text's stable key and the
/// compiler checks every use. <c>LocalizedTextCatalogueTests</c> checks that every member has both languages.
/// </summary>
[JsonConverter(typeof(LocalizedTextJsonConverter))]
public sealed record LocalizedText(string Zh, string En)
{
    public string In(Language language) => language.IsEnglish ? En : Zh;
}

/// <summary>
/// Writes <c>{"Zh": …, "En": …}</c>. Reads that, or a bare string: alerts stored before evidence names were
/// localised named their evidence in English only, and such a name reads as itself in both languages (an active
/// alert's finding is rewritten at the next pass, so only resolved alerts keep it).
/// </summary>
public sealed class LocalizedTextJsonConverter : JsonConverter<LocalizedText>
{
    public override LocalizedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString() ?? "";
            return new LocalizedText(text, text);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a localised text is an object with Zh and En, or a string");
        }

        string? zh = null, en = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "Zh", StringComparison.OrdinalIgnoreCase))
            {
                zh = reader.GetString();
            }
            else if (string.Equals(name, "En", StringComparison.OrdinalIgnoreCase))
            {
                en = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return new LocalizedText(zh ?? en ?? "", en ?? zh ?? "");
    }

    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(options.PropertyNamingPolicy?.ConvertName("Zh") ?? "Zh", value.Zh);
        writer.WriteString(options.PropertyNamingPolicy?.ConvertName("En") ?? "En", value.En);
        writer.WriteEndObject();
    }
}
