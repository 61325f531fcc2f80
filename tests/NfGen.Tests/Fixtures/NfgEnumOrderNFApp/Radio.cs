using System.Runtime.CompilerServices;

namespace NfgEnumOrderNFApp
{
    // Apple calls a method taking Zone, so the TypeDef table puts Zone first; by full name it is last.
    public class Apple
    {
        public void Use()
        {
            Radio.Tune(Zone.North);
        }
    }

    public enum Zone
    {
        North = 1,
        South = 2,
    }

    // Culture-aware, "Ledger" sorts before "LEDState"; ordinally after.
    public enum Ledger
    {
        Open = 0,
        Closed = 1,
    }

    public enum LEDState
    {
        Off = 0,
        On = 1,
    }

    // "Radio/Band" sorts before "RadioAlarm" with '/' as the separator; after it with the '/' ignored or '_'.
    public enum RadioAlarm
    {
        Silent = 0,
        Loud = 1,
    }

    public class Radio
    {
        public enum Band
        {
            Am = 0,
            Fm = 1,
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Tune(Zone zone);
    }

    // Excluded and unused: gone from the .pe, but its nested enum stays in the header.
    [ExcludeType]
    public class Vault
    {
        public enum Lock
        {
            Shut = 0,
            Open = 1,
        }
    }

    // Excluded itself: not in the header.
    [ExcludeType]
    public enum Hidden
    {
        Gone = 0,
    }
}
