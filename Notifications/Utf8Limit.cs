using System.Globalization;
using System.Text;

namespace EnergyMonitor.Notifications;

/// <summary>Cutting text to a platform's byte limit without splitting a character (a 3-byte 汉字 or a 4-byte emoji).</summary>
public static class Utf8Limit
{
    /// <summary>The longest prefix of whole text elements within <paramref name="maxBytes"/>, with <paramref name="marker"/> appended when cut.</summary>
    public static string Truncate(string text, int maxBytes, string marker = "…")
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(marker);
        var result = new StringBuilder();
        var used = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var size = Encoding.UTF8.GetByteCount(element);
            if (used + size > budget)
            {
                break;
            }

            result.Append(element);
            used += size;
        }

        return result.Append(marker).ToString();
    }

    /// <summary>Splits text into parts within the limit, at line ends where it can and inside a line only when one line is too long.</summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var candidate = current.Length == 0 ? line : current + "\n" + line;
            if (Encoding.UTF8.GetByteCount(candidate) <= maxBytes)
            {
                current.Clear().Append(candidate);
                continue;
            }

            if (current.Length > 0)
            {
                parts.Add(current.ToString());
                current.Clear();
            }

            var rest = line;
            while (Encoding.UTF8.GetByteCount(rest) > maxBytes)
            {
                var head = Truncate(rest, maxBytes, "");
                parts.Add(head);
                rest = rest[head.Length..];
            }

            current.Append(rest);
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }
}
