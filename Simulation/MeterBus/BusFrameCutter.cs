using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>Which protocol a request on a shared line is in.</summary>
public enum BusProtocol
{
    Dlt645,
    Cjt188,
}

/// <summary>
/// Finds the next whole request in what a line has received, as each meter on a bus does: past the preamble, a
/// start byte, then the frame shape of DL/T 645 (68 at offset 7) or of CJ/T 188, with a sound checksum and end byte.
/// </summary>
public static class BusFrameCutter
{
    /// <returns>True with the frame's protocol, start and length; false when more bytes are needed. <paramref name="discard"/> bytes at the front are noise.</returns>
    public static bool TryCut(ReadOnlySpan<byte> buffer, out BusProtocol protocol, out int start, out int length, out int discard)
    {
        protocol = default;
        start = length = 0;
        discard = 0;
        while (discard < buffer.Length)
        {
            var at = buffer[discard..];
            if (at[0] != FrameLayout.Start)
            {
                discard++;
                continue;
            }

            var dltNeeds = at.Length > Dlt645Frame.LengthOffset && at.Length > 7 && at[7] == FrameLayout.Start ? Dlt645Frame.Layout.FrameLength(at[Dlt645Frame.LengthOffset]) : -1;
            if (dltNeeds > 0 && at.Length >= dltNeeds && Sound(at[..dltNeeds]))
            {
                (protocol, start, length) = (BusProtocol.Dlt645, discard, dltNeeds);
                return true;
            }

            var cjtNeeds = at.Length > Cjt188Frame.LengthOffset ? Cjt188Frame.Layout.FrameLength(at[Cjt188Frame.LengthOffset]) : -1;
            if (cjtNeeds > 0 && at.Length >= cjtNeeds && Sound(at[..cjtNeeds]))
            {
                (protocol, start, length) = (BusProtocol.Cjt188, discard, cjtNeeds);
                return true;
            }

            // Not yet whole under either reading: wait, unless both readings are already complete and wrong.
            var waiting = at.Length <= Cjt188Frame.LengthOffset || (dltNeeds > 0 && at.Length < dltNeeds) || (cjtNeeds > 0 && at.Length < cjtNeeds);
            if (waiting)
            {
                return false;
            }

            discard++;
        }

        return false;
    }

    private static bool Sound(ReadOnlySpan<byte> frame) => frame[^1] == FrameLayout.End && frame[^2] == Checksum.Sum(frame[..^2]);
}
