using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.MeterProtocols.Cjt188;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>
/// A CJ/T 188 meter from its template: it answers 901FH with every field of its layout. A heat meter counts GJ; its
/// power, flow and temperatures follow the load with a 10 K difference between supply and return.
/// </summary>
public sealed class SimulatedCjt188Meter(MeterId id, Cjt188Address address, Cjt188Template template, TimeProvider time) : SimulatedBusMeter(id)
{
    private const double SupplyC = 55.0;
    private const double DifferenceK = 10.0;

    public Cjt188Address Address { get; } = address;

    public Cjt188Template Template { get; } = template;

    /// <summary>The heat meter's volume counter, m³.</summary>
    public double Volume { get; set; }

    /// <summary>
    /// The water a heat meter's circuit moves for a heat rate: GJ/h to kW, then 1.163 kWh heats a cubic metre of water
    /// by one kelvin, at the simulated 10 K between supply and return. Both the meter's flow rate and its volume
    /// counter follow it.
    /// </summary>
    public static double CubicMetresPer(double gigajoules) => gigajoules / 0.0036 / (1.163 * DifferenceK);

    public override byte[]? Answer(BusProtocol protocol, ReadOnlySpan<byte> request, bool broadcastAlone)
    {
        if (protocol != BusProtocol.Cjt188)
        {
            return null;
        }

        var header = Cjt188Frame.Decode(request, out var range);
        var data = request[range];
        var reply = new byte[Cjt188Frame.MaxFrameLength(4)];
        var answerAs = Fault == BusMeterFault.WrongAddress ? Cjt188Address.Parse("99999999999999") : Address;
        if (header.Control == Cjt188Frame.ReadAddress && header.Address.IsBroadcast)
        {
            if (!broadcastAlone)
            {
                return null;
            }

            Requests++;
            return Spoil(reply[..Cjt188Frame.Write(reply, 2, Template.MeterType, Address, Cjt188Frame.ReadAddress | Cjt188Frame.Reply, data)]);
        }

        if (!header.Address.Matches(Address) || header.Control != Cjt188Frame.ReadData || data.Length < 3 || data[0] != 0x1F || data[1] != 0x90)
        {
            return null;
        }

        Requests++;
        Span<byte> payload = stackalloc byte[Cjt188Frame.MaxDataLength];
        payload[0] = data[0];
        payload[1] = data[1];
        payload[2] = data[2];
        var clock = time.GetLocalNow().DateTime;
        var length = 3 + Cjt188MeteringData.Encode(payload[3..], Template.Layout, Value, clock, 0);
        if (Fault == BusMeterFault.IllegalDigit)
        {
            payload[3] = 0xA1;
        }

        return Spoil(reply[..Cjt188Frame.Write(reply, 2, Template.MeterType, answerAs, Cjt188Frame.ReadData | Cjt188Frame.Reply, payload[..length])]);
    }

    private (decimal Value, byte Unit) Value(Cjt188Field field)
    {
        var heatPowerKw = RatePerHour / 0.0036; // GJ/h → kW
        var format = Template.Layout.Fields.First(f => f.Field == field).Format;
        var (value, unit) = field switch
        {
            Cjt188Field.CurrentHeat or Cjt188Field.SettlementHeat => (Counter, (byte)0x11),
            Cjt188Field.HeatPower => (heatPowerKw, (byte)0x17),

            Cjt188Field.FlowRate => (CubicMetresPer(RatePerHour), (byte)0x35),
            Cjt188Field.CumulativeFlow => (Volume, (byte)0x2C),
            Cjt188Field.SupplyTemperature => (SupplyC, (byte)0),
            Cjt188Field.ReturnTemperature => (SupplyC - DifferenceK, (byte)0),
            Cjt188Field.WorkingHours => (RunningHours, (byte)0),
            _ => (Counter, (byte)0x2C),
        };
        return (SimulatedDlt645Meter.Fit(format, value), Fault == BusMeterFault.UnknownUnit && unit != 0 ? (byte)0x12 : unit);
    }
}
