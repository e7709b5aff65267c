namespace EnergyMonitor.Core.Domain;

/// <summary>
/// The language people read: Simplified Chinese, the default of every page, report and message, or English. Its one
/// spelling in settings, on the command line and in a URL is <c>zh</c> or <c>en</c>; the parser also takes the
/// region-qualified tags a browser or an operator may write (<c>zh-CN</c>, <c>en-US</c>).
/// </summary>
public readonly record struct Language
{
    private readonly bool _english;

    private Language(bool english) => _english = english;

    /// <summary>简体中文; also what <c>default(Language)</c> is, so an unset language is Chinese.</summary>
    public static Language Chinese { get; } = new(false);

    public static Language English { get; } = new(true);

    public static IReadOnlyList<Language> All { get; } = [Chinese, English];

    public bool IsEnglish => _english;

    /// <summary>The short code used in settings, options and <c>?lang=</c>: <c>zh</c> or <c>en</c>.</summary>
    public string Code => _english ? "en" : "zh";

    /// <summary>The BCP 47 tag for HTML's <c>lang</c> attribute: <c>zh-CN</c> or <c>en</c>.</summary>
    public string Tag => _english ? "en" : "zh-CN";

    /// <summary>The codes a setting or option may take, for its help text and validation.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["zh", "en"];

    /// <summary><c>zh</c>, <c>en</c>, or either with a region (<c>zh-CN</c>, <c>en_GB</c>), in any case.</summary>
    public static bool TryParse(string? text, out Language language)
    {
        language = Chinese;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var primary = text.Trim().Split('-', '_')[0];
        if (primary.Equals("en", StringComparison.OrdinalIgnoreCase))
        {
            language = English;
            return true;
        }

        return primary.Equals("zh", StringComparison.OrdinalIgnoreCase);
    }

    public static Language Parse(string text) =>
        TryParse(text, out var language) ? language : throw new FormatException($"\"{text}\" is not a language: zh or en");

    /// <summary>
    /// A request's choice (<c>?lang=en</c>): English when asked for, Chinese otherwise, since a page must answer
    /// something and the default language is Chinese.
    /// </summary>
    public static Language FromQuery(string? value) => TryParse(value, out var language) ? language : Chinese;

    public override string ToString() => Code;
}
