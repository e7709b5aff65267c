using System.Globalization;
using System.Text;
using CsCheck;

namespace EnergyMonitor.Notifications.Tests;

public sealed class Utf8LimitTests
{
    [Fact]
    public void Ten_hanzi_cut_to_20_bytes_keep_five_and_the_marker()
    {
        // 3 bytes a 汉字, 3 bytes the ellipsis: 5 × 3 + 3 = 18 ≤ 20; a sixth would make 21.
        Assert.Equal("主楼总水表…", Utf8Limit.Truncate("主楼总水表疑似漏水了", 20));
    }

    [Fact]
    public void Text_within_the_limit_is_returned_as_it_is()
    {
        Assert.Equal("主楼总水表", Utf8Limit.Truncate("主楼总水表", 15));
    }

    [Fact]
    public void An_emoji_with_a_skin_tone_is_kept_whole_or_left_out()
    {
        // 👍🏽 is one text element of 8 bytes (two 4-byte code points); the whole is 10 bytes. With 9, 6 are left
        // beside the 3-byte marker: "a" fits, the emoji does not, and half of it is never sent.
        Assert.Equal("a…", Utf8Limit.Truncate("a👍🏽b", 9));
    }

    [Fact]
    public void Lines_go_together_while_they_fit_and_a_long_line_is_cut_on_a_character()
    {
        var parts = Utf8Limit.Split("一二\n三四\n" + new string('水', 5), 9);

        // "一二" (6 bytes) and "三四" would make 13 with the line end: each its own part; 水×5 = 15 bytes → 3 + 2.
        Assert.Equal(["一二", "三四", "水水水", "水水"], parts);
    }

    [Fact]
    public void Every_cut_fits_its_limit_ends_on_a_text_element_and_is_a_prefix()
    {
        var text = Gen.OneOf(Gen.Char['a', 'z'].Select(c => c.ToString()), Gen.Const("汉"), Gen.Const("👍🏽"), Gen.Const("\n"), Gen.Const("é"))
            .Array[0, 60].Select(a => string.Concat(a));

        Gen.Select(text, Gen.Int[4, 64]).Sample((t, limit) =>
        {
            var cut = Utf8Limit.Truncate(t, limit);
            var body = cut.EndsWith('…') && cut != t ? cut[..^1] : cut;

            return Encoding.UTF8.GetByteCount(cut) <= limit
                && t.StartsWith(body, StringComparison.Ordinal)
                && StringInfo.ParseCombiningCharacters(t).Contains(body.Length) | body.Length == t.Length;
        });
    }

    [Fact]
    public void Split_parts_fit_the_limit_and_join_back_into_the_text()
    {
        var text = Gen.OneOf(Gen.Char['a', 'z'].Select(c => c.ToString()), Gen.Const("汉"), Gen.Const("\n"))
            .Array[0, 80].Select(a => string.Concat(a));

        Gen.Select(text, Gen.Int[4, 40]).Sample((t, limit) =>
        {
            var parts = Utf8Limit.Split(t, limit);

            // Parts break at line ends (the '\n' dropped) or inside an over-long line (nothing dropped).
            var letters = string.Concat(t.Where(c => c != '\n'));
            return parts.All(p => Encoding.UTF8.GetByteCount(p) <= limit) && string.Concat(parts).Replace("\n", "", StringComparison.Ordinal) == letters;
        });
    }
}
