namespace EnergyMonitor.MeterProtocols;

/// <summary>The sum mod 256 that both protocols close a frame with.</summary>
public static class Checksum
{
    public static byte Sum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return sum;
    }
}
