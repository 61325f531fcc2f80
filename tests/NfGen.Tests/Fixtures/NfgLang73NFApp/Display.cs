using System.Runtime.CompilerServices;

namespace NfgLangNFApp
{
    public enum Rotation
    {
        None = 0,
        Quarter = 90,
        Half = 180,
    }

    public struct Glyph
    {
        public char Code;
        public byte Width;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern int NativeMeasure(string font);
    }

    public class Display
    {
        private string _name;
        private Glyph[] _glyphs;
        private Rotation _rotation;
        private object _owner;

        public Display(string name)
        {
            _name = name;
            _glyphs = new Glyph[2];
        }

        public string Name
        {
            get { return _name; }
        }

        public void Write(string text, object owner)
        {
            _owner = owner;
            NativeWrite(text, _rotation);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeWrite(string text, Rotation rotation);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern string NativeRead(int line);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern bool NativeBlit(byte[] pixels, Glyph glyph, object tag);
    }

    internal static class DisplayNative
    {
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern void NativeInit(int width, int height);
    }
}
