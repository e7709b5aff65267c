namespace EnergyMonitor.Site.Tests;

public sealed class ConfigErrorTests
{
    [Fact]
    public void What_was_found_is_repeated_as_its_first_line_clipped_and_without_control_characters()
    {
        var passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
        var long_ = new string('长', 1000);

        Assert.Equal("root:x:0:0:root:/root:/bin/bash …", new ConfigError("f", 1, 1, "p", passwd, "e").Found);
        Assert.Equal(long_[..ConfigError.MaxFound] + "… (1,000 characters)", new ConfigError("f", 1, 1, "p", long_, "e").Found);
        Assert.Equal("a\uFFFDb", new ConfigError("f", 1, 1, "p", "a\u001bb", "e").Found); // no terminal escapes from a file
        Assert.Equal("\"-2\"", new ConfigError("f", 1, 1, "p", "\"-2\"", "e").Found);
    }
}
