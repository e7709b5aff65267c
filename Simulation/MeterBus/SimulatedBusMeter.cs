using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>How a simulated meter misbehaves, to test that a bad answer never becomes a number.</summary>
public enum BusMeterFault
{
    None,
    Silent,
    BadChecksum,
    WrongAddress,
    IllegalDigit,
    Noise,
    Truncated,
    UnknownUnit,
}

/// <summary>One meter on a simulated line: it hears every request and answers those addressed to it.</summary>
public abstract class SimulatedBusMeter(MeterId id)
{
    public MeterId Id { get; } = id;

    public BusMeterFault Fault { get; set; }

    /// <summary>How many requests addressed to it the meter has heard.</summary>
    public long Requests { get; protected set; }

    /// <summary>The meter's counter (its counting unit, secondary side) and its rate per hour.</summary>
    public double Counter { get; set; }

    public double RatePerHour { get; set; }

    public double RunningHours { get; set; }

    /// <summary>The answer to <paramref name="request"/> (a whole frame from its 68H), or null when it is not for this meter.</summary>
    public abstract byte[]? Answer(BusProtocol protocol, ReadOnlySpan<byte> request, bool broadcastAlone);

    /// <summary>Spoils a sound answer the way the meter's <see cref="Fault"/> says (the value-level faults are the meter's own).</summary>
    protected byte[]? Spoil(byte[] answer)
    {
        switch (Fault)
        {
            case BusMeterFault.Silent:
                return null;
            case BusMeterFault.BadChecksum:
                answer[^2] ^= 0x5A;
                return answer;
            case BusMeterFault.Noise:
                return [0x00, 0x13, .. answer];
            case BusMeterFault.Truncated:
                return answer[..(answer.Length / 2)];
            default:
                return answer;
        }
    }
}
