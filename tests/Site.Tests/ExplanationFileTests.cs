using CsCheck;

namespace EnergyMonitor.Site.Tests;

public sealed class ExplanationFileTests
{
    private static (Dictionary<string, Dictionary<string, string>> Reasons, IReadOnlyList<ConfigError> Errors) Load(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"explanations-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            return ExplanationFile.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reasons_are_read_by_institution_and_field()
    {
        var (reasons, errors) = Load("lishui-no2-school:\n  指标.人均综合能耗: 用能人数含在校学生\n");

        Assert.Empty(errors);
        Assert.Equal("用能人数含在校学生", reasons["lishui-no2-school"]["指标.人均综合能耗"]);
    }

    [Fact]
    public void Malformed_yaml_and_a_reason_that_is_not_text_are_errors_naming_the_field()
    {
        Assert.Contains(Load("a: [unclosed\n").Errors, e => e.ToString().Contains("well-formed YAML", StringComparison.Ordinal));

        var (_, errors) = Load("i1:\n  指标.人均综合能耗: [a, b]\n");
        Assert.Contains(errors, e => e.ToString().Contains("i1.指标.人均综合能耗", StringComparison.Ordinal));
    }

    [Fact]
    public void What_is_written_reads_back_as_it_was_whatever_the_text_holds()
    {
        // Quotes, backslashes, YAML's own marks, line breaks, tabs, NUL and other controls, and Chinese.
        var text = Gen.OneOf(Gen.Char['\0', '\u007f'], Gen.Char['\u4e00', '\u4fff'], Gen.Char["\"\\:#\n\r\u0085\u2028\ufeff"]).Array[1, 40].Select(c => new string(c));
        Gen.Select(text, text, text).Sample((institution, field, reason) =>
        {
            var (loaded, errors) = Load(ExplanationFile.Format("header\nsecond line", [(institution, field, reason, "by officer1\nat 2027-01-12")]));

            Assert.Empty(errors);
            Assert.Equal(reason, loaded[institution][field]);
        }, iter: 300);
    }
}
