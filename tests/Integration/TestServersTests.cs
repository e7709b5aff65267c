using System.Net;
using EnergyMonitor.Integration.Tests.Infrastructure;

namespace EnergyMonitor.Integration.Tests;

/// <summary>
/// The real servers that scripts/test.sh installs start on loopback from the fixtures, and are the versions the
/// design relies on. If one of these fails, the protocol and store tests built on it cannot be trusted.
/// </summary>
public sealed class TestServersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Influxd_1_6_serves_ping_and_v1_write_but_not_the_v2_api()
    {
        await using var influx = new InfluxDbServer();
        await influx.InitializeAsync();
        using var http = new HttpClient { BaseAddress = influx.Url };

        using var ping = await http.GetAsync("/ping", Ct);
        using var create = await http.PostAsync("/query?q=CREATE%20DATABASE%20probe", null, Ct);
        using var write = await http.PostAsync("/write?db=probe&precision=ms", new StringContent("r,meter=m1 value=1.5 1700000000000"), Ct);
        using var v2 = await http.PostAsync("/api/v2/write?org=o&bucket=b", new StringContent("r value=1"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, ping.StatusCode);
        Assert.StartsWith("1.6.", ping.Headers.GetValues("X-Influxdb-Version").Single());
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        // Why the v1 wire path exists: InfluxDB.Client 5 speaks only /api/v2, which 1.6.7 does not serve.
        Assert.Equal(HttpStatusCode.NotFound, v2.StatusCode);
    }

    [Fact]
    public async Task Mosquitto_relays_a_qos1_message_between_real_clients()
    {
        await using var broker = new MosquittoBroker();
        await broker.InitializeAsync();
        var port = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var subscriber = ChildProcess.Start("mosquitto_sub", ["-h", "127.0.0.1", "-p", port, "-t", "probe/#", "-q", "1", "-C", "1", "-v"]);
        await Task.Delay(500, Ct);
        await using var publisher = ChildProcess.Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", port, "-t", "probe/water", "-q", "1", "-m", "{\"total\":12.5}"]);

        Assert.Equal(0, await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Contains("probe/water {\"total\":12.5}", subscriber.Output);
    }

    [Fact]
    public async Task Debian_pymodbus_3_is_importable_by_the_system_python()
    {
        // The python3 first on PATH may be another interpreter (pyenv here) without the Debian module.
        await using var python = ChildProcess.Start("/usr/bin/python3", ["-c", "import pymodbus; print(pymodbus.__version__)"]);

        Assert.Equal(0, await python.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.StartsWith("3.", python.Output.Trim());
    }

    [Theory]
    [InlineData("mbpoll", "-V")]
    [InlineData("socat", "-V")]
    public async Task Protocol_peer_tools_are_installed(string tool, string versionFlag)
    {
        await using var process = ChildProcess.Start(tool, [versionFlag]);

        await process.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(string.IsNullOrWhiteSpace(process.Output), $"{tool} printed nothing");
    }
}
