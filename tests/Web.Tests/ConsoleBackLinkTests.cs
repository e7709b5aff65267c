namespace EnergyMonitor.Web.Tests;

/// <summary>After an acknowledgement the console goes back where the officer was, and nowhere else.</summary>
public sealed class ConsoleBackLinkTests
{
    [Theory]
    [InlineData("/alerts", true)]
    [InlineData("/alerts?state=all&lang=en", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("/\t/evil.example", false)] // a browser drops the TAB: //evil.example
    [InlineData("/é", false)] // not ASCII: no Location header can carry it
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    public void The_consoles_back_link_is_a_path_on_this_site(string back, bool local)
    {
        Assert.Equal(local, Pages.ConsoleForms.IsLocalPath(back));
    }
}
