using System.Text;

namespace EnergyMonitor.Site.Tests;

/// <summary>Hostile YAML is refused by its shape, before anything is built from it, with exit-2 config errors.</summary>
public sealed class YamlBoundsTests
{
    [Fact]
    public void A_billion_laughs_shaped_like_the_schema_is_refused_in_a_few_milliseconds()
    {
        // Nine levels of ten aliases each: 2 KB that would expand to 10⁹ scalars, the last where the site's name
        // goes, so that reading it (or quoting it in the error) walks the whole expansion.
        var yaml = new StringBuilder("x0: &l0 [\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\",\"ha\"]\n");
        for (var i = 1; i <= 9; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"x{i}: &l{i} [{string.Join(',', Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        yaml.Append("name: *l9\n");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = SiteConfigLoader.LoadText(yaml.ToString(), "site.yaml", SiteYaml.Now);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var error = Assert.Single(result.Errors);
        Assert.Equal("(structure)", error.Path);
        Assert.Contains("aliases are expanded", error.Found, StringComparison.Ordinal);
        Assert.True(allocated < 5_000_000, $"{allocated:N0} bytes allocated to refuse it");
    }

    [Fact]
    public void A_hundred_thousand_nested_brackets_are_refused_not_a_stack_overflow()
    {
        var result = SiteConfigLoader.LoadText("name: " + new string('[', 100_000), "site.yaml", SiteYaml.Now);

        var error = Assert.Single(result.Errors);
        Assert.Equal("(structure)", error.Path);
        Assert.Contains($"nested more than {YamlFile.MaxDepth} deep", error.Found, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_few_aliases_that_reuse_a_block_are_fine()
    {
        var yaml = SiteYaml.Valid.Replace("name: Test county", "x-defaults: &defaults { interval: 15 }\nname: Test county", StringComparison.Ordinal);
        var errors = new ErrorSink("site.yaml");

        Assert.NotNull(YamlFile.Parse(yaml, errors));
        Assert.Empty(errors.Errors);
    }

    [Fact]
    public void A_file_over_the_size_bound_is_refused_without_reading_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"big-{Guid.NewGuid():N}.yaml");
        using (var file = File.Create(path))
        {
            file.SetLength(YamlFile.MaxBytes + 1);
        }

        try
        {
            var result = SiteConfigLoader.Load(path, SiteYaml.Now);

            var error = Assert.Single(result.Errors);
            Assert.Equal("(file)", error.Path);
            Assert.Contains("bytes", error.Found, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
