namespace EnergyMonitor.Core.Site;

/// <summary>Checks for the identifiers that the statistical forms and monitoring platforms use.</summary>
public static class Codes
{
    // GB 32100-2015 法人和其他组织统一社会信用代码编码规则: 31 symbols (no I, O, S, V, Z), weights 3^i mod 31.
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>The check character (18th) of a unified social credit code, or null if the body has a foreign symbol.</summary>
    public static char? CreditCodeCheckCharacter(ReadOnlySpan<char> body17)
    {
        if (body17.Length != 17)
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = CreditAlphabet.IndexOf(body17[i]);
            if (value < 0)
            {
                return null;
            }

            sum += value * CreditWeights[i];
        }

        var check = (31 - (sum % 31)) % 31;
        return CreditAlphabet[check];
    }

    public static bool IsValidCreditCode(string code) =>
        code.Length == 18 && CreditCodeCheckCharacter(code.AsSpan(0, 17)) == code[17];

    /// <summary>A 6-digit administrative-division code (GB/T 2260), e.g. 320115.</summary>
    public static bool IsValidRegionCode(string code) =>
        code.Length == 6 && code.All(char.IsAsciiDigit) && code[..2] != "00";

    /// <summary>
    /// The 10-character building code of the monitoring guideline: 6-digit division code, one capital letter
    /// for the building category, 3-digit serial; e.g. 320100A008.
    /// </summary>
    public static bool IsValidBuildingCode(string code) =>
        code.Length == 10
        && IsValidRegionCode(code[..6])
        && char.IsAsciiLetterUpper(code[6])
        && code[7..].All(char.IsAsciiDigit);

    /// <summary>
    /// Whether a building's division code lies inside a region: 320115 lies in 320100 (a city) and 320000
    /// (a province). Trailing "00" pairs of the region code are wildcards.
    /// </summary>
    public static bool IsWithinRegion(string buildingDivision, string regionCode)
    {
        var prefix = regionCode.AsSpan();
        while (prefix.Length > 2 && prefix.EndsWith("00"))
        {
            prefix = prefix[..^2];
        }

        return buildingDivision.AsSpan().StartsWith(prefix);
    }
}
