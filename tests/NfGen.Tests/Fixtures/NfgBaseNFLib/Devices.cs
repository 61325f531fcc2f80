using System;
using System.Runtime.CompilerServices;

namespace NfgBaseNFLib
{
    public struct Reading
    {
        public int Raw;
        public long Stamp;
        public short Scale;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern double NativeConvert(int unit);
    }

    public class BaseDeviceException : Exception
    {
        public int ErrorCode;
        public string Device;

        public BaseDeviceException(string message, int errorCode) : base(message)
        {
            ErrorCode = errorCode;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern string NativeDescribe();
    }

    public class ReadingEventArgs : EventArgs
    {
        public Reading Reading;
        public int Channel;

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeFill(int channel);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern ReadingEventArgs NativeCreate(byte[] raw);
    }

    [AttributeUsage(AttributeTargets.Class)]
    public class DeviceKindAttribute : Attribute
    {
        public string Kind;
        public int Revision;

        public DeviceKindAttribute(string kind)
        {
            Kind = kind;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern bool NativeMatches(object device);
    }

    [DeviceKind("base")]
    public class DeviceBase
    {
        protected int _handle;
        protected string _id;
        private object _sync;

        public virtual void Open()
        {
            _handle = NativeOpen(_id);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        protected extern int NativeOpen(string id);

        [MethodImpl(MethodImplOptions.InternalCall)]
        protected extern void NativeClose();

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeCount();
    }
}
