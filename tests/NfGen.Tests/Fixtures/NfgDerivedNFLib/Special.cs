using System.Runtime.CompilerServices;
using NfgBaseNFLib;

namespace NfgDerivedNFLib
{
    [DeviceKind("special")]
    public class SpecialDevice : DeviceBase
    {
        private Reading _lastReading;
        private int _gain;
        private ReadingEventArgs _pending;

        public override void Open()
        {
            base.Open();
            _gain = NativeGain(_handle, _lastReading);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeGain(int handle, Reading reading);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeCalibrate(ReadingEventArgs args, short[] table);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern SpecialDevice NativeFind(string id);
    }

    public class SpecialDeviceException : BaseDeviceException
    {
        public int SubCode;

        public SpecialDeviceException(string message) : base(message, 42)
        {
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern int NativeSubCode();
    }
}
