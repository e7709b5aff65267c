using System.Globalization;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Site;

/// <summary>
/// A meter computed from others, e.g. the unmetered part of a building's supply:
/// <c>main - children(main)</c>. Its consumption exists only as rollups (hourly, daily, monthly).
/// </summary>
public sealed record VirtualMeter(MeterId Id, string Name, EnergyKind Kind, ItemCode? Item, VirtualFormula Formula);

/// <summary>One term of a formula: a coefficient times a meter, or times the sum of a meter's children.</summary>
public readonly record struct FormulaTerm(double Coefficient, MeterId Meter, bool Children);

/// <summary>
/// A linear formula over meters: terms joined by + and -, each an optional factor (<c>0.5*</c>) and a meter id
/// or <c>children(id)</c>, the sum of the meters whose parent is that one.
/// </summary>
public sealed record VirtualFormula(string Text, IReadOnlyList<FormulaTerm> Terms)
{
    /// <summary>
    /// Parses a formula, or says what is wrong with it. Operators stand apart, with spaces around them, because
    /// meter ids may themselves contain hyphens: <c>adm-total - children(adm-total)</c>.
    /// </summary>
    public static VirtualFormula? Parse(string text, out string? error)
    {
        var terms = new List<FormulaTerm>();
        error = null;
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sign = 1.0;
        var expectTerm = true;
        foreach (var token in tokens)
        {
            if (token is "+" or "-")
            {
                if (!expectTerm && terms.Count > 0 || (expectTerm && terms.Count == 0 && sign == 1.0))
                {
                    sign = token == "-" ? -1 : 1;
                    expectTerm = true;
                    continue;
                }

                error = $"\"{token}\" where a meter was expected";
                return null;
            }

            if (!expectTerm)
            {
                error = $"\"{token}\" follows another term without + or - (operators need spaces around them)";
                return null;
            }

            if (ParseTerm(token, sign) is not { } parsed)
            {
                error = $"\"{token}\" is not a meter id, children(id) or a factor times one of them";
                return null;
            }

            terms.Add(parsed);
            expectTerm = false;
            sign = 1.0;
        }

        if (terms.Count == 0 || expectTerm)
        {
            error = terms.Count == 0 ? "an empty formula" : "a formula ending in an operator";
            return null;
        }

        return new VirtualFormula(text, terms);
    }

    private static FormulaTerm? ParseTerm(string term, double sign)
    {
        var coefficient = 1.0;
        var star = term.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            if (!double.TryParse(term[..star], NumberStyles.Float, CultureInfo.InvariantCulture, out coefficient))
            {
                return null;
            }

            term = term[(star + 1)..];
        }

        var children = term.StartsWith("children(", StringComparison.Ordinal) && term.EndsWith(')');
        var id = children ? term["children(".Length..^1] : term;
        return id.Length == 0 || id.Any(c => c is '(' or ')' or '*') ? null : new FormulaTerm(sign * coefficient, new MeterId(id), children);
    }
}
