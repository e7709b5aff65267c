namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>
/// The edition a meter speaks, chosen per meter: -2007 has 4-byte data identifiers and function 11H for a read;
/// -1997 has 2-byte identifiers (9010 …) and function 01H. Both offset DATA by 33H (docs/DOMAIN.md).
/// </summary>
public enum Dlt645Version
{
    V2007,
    V1997,
}

/// <summary>The control byte: D7 direction (set in a reply), D6 error, D5 more follows, D4–D0 the function.</summary>
public static class Dlt645Control
{
    public const byte Reply = 0x80;
    public const byte Error = 0x40;
    public const byte MoreFollows = 0x20;
    public const byte FunctionMask = 0x1F;

    /// <summary>2007: read data 11H (reply 91H, B1H with more, D1H error); read follow-up 12H; read address 13H; time sync 08H.</summary>
    public const byte Read2007 = 0x11;
    public const byte ReadFollowUp2007 = 0x12;
    public const byte ReadAddress = 0x13;
    public const byte BroadcastTime = 0x08;

    /// <summary>1997: read data 01H (reply 81H, A1H with more, C1H error); read follow-up 02H.</summary>
    public const byte Read1997 = 0x01;
    public const byte ReadFollowUp1997 = 0x02;

    public static byte Read(Dlt645Version version) => version == Dlt645Version.V2007 ? Read2007 : Read1997;

    public static byte ReadFollowUp(Dlt645Version version) => version == Dlt645Version.V2007 ? ReadFollowUp2007 : ReadFollowUp1997;

    public static byte Function(byte control) => (byte)(control & FunctionMask);

    public static bool IsReply(byte control) => (control & Reply) != 0;

    public static bool IsError(byte control) => (control & Error) != 0;

    public static bool HasMore(byte control) => (control & MoreFollows) != 0;
}
