using System.Runtime.CompilerServices;

namespace NfgExcludeTypeNFApp
{
    [ExcludeType]
    public enum HiddenColor
    {
        Red = 1,
        Green = 2,
        Blue = 4,
    }

    public enum PenStyle
    {
        Solid = 0,
        Dashed = 3,
    }

    // Excluded and unused.
    [ExcludeType]
    public class HiddenHelper
    {
        public int Unused;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void NativeHidden();
    }

    // Excluded, but a kept type uses it (field, parameter, body).
    [ExcludeType]
    public struct HiddenPoint
    {
        public int X;
        public int Y;

        public HiddenPoint(int x, int y)
        {
            X = x;
            Y = y;
        }
    }

    // Excluded, but a kept type uses it as a base-free helper in a signature.
    [ExcludeType]
    public class HiddenBrush
    {
        public HiddenColor Color;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeApply(int strength);
    }

    public class Plotter
    {
        private HiddenPoint _origin;
        private PenStyle _style;
        private HiddenColor _color;
        private string _title;

        public void MoveTo(int x, int y)
        {
            _origin = new HiddenPoint(x, y);
            NativeMove(_origin.X, _origin.Y);
        }

        public void Paint(HiddenBrush brush)
        {
            brush.NativeApply((int)_color);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeMove(int x, int y);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeDraw(HiddenPoint to, PenStyle style, object tag);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeClear(HiddenColor color, ushort[] palette);
    }

    public struct Extent
    {
        public short Width;
        public short Height;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern int NativeArea();
    }
}
