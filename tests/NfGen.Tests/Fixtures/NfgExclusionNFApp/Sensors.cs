using System;
using System.Runtime.CompilerServices;

namespace NfgExclusionNFApp
{
    public enum SensorMode
    {
        Idle = 0,
        Sampling = 1,
        Fault = 7,
    }

    // Excluded by the .nfproj list.
    public class SensorEventArgs : EventArgs
    {
        public int Channel;
        public double Value;

        public SensorEventArgs(int channel, double value)
        {
            Channel = channel;
            Value = value;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern int NativeTimestamp();
    }

    // Excluded by the .nfproj list.
    public class SensorListener
    {
        private int _count;

        public virtual void OnSample(object sender, SensorEventArgs e)
        {
            _count++;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void NativeAttach(SensorListener listener);
    }

    // Excluded by the .nfproj list: like System.Collections.DictionaryEntry.
    public struct PinEntry
    {
        public object Key;
        public object Value;

        public PinEntry(object key, object value)
        {
            Key = key;
            Value = value;
        }
    }

    public class SensorHub
    {
        private PinEntry _last;
        private SensorListener _listener;
        private SensorMode _mode;
        private int[] _pins;

        public SensorHub(SensorListener listener)
        {
            _listener = listener;
            _pins = new int[4];
        }

        public PinEntry Last
        {
            get { return _last; }
        }

        public void Raise(int channel, double value)
        {
            SensorEventArgs e = new SensorEventArgs(channel, value);
            _last = new PinEntry(channel, value);
            if (_listener != null)
            {
                _listener.OnSample(this, e);
            }
        }

        public PinEntry Lookup(object key)
        {
            return new PinEntry(key, NativeFind(key));
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void NativeStart(SensorListener listener, int[] pins, SensorMode mode);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern bool NativeStore(PinEntry entry, string label);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern object NativeFind(object key);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NativeRead(string name, SensorMode mode, byte[] buffer);
    }

    public static class PinRegistry
    {
        public static void Notify(SensorHub hub, SensorEventArgs e)
        {
            hub.Raise(e.Channel, e.Value);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void NativeReset(int pin);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern PinEntry NativeGet(int pin);
    }
}
