using NfOta.Interop;
using NfOta.Text;

namespace NfOta.Model
{
    /// <summary>A flash partition as NativeOta.GetSlotInfo describes it.</summary>
    public sealed class SlotInfo
    {
        public string Label { get; private set; }

        public int Address { get; private set; }

        public int Size { get; private set; }

        public int Type { get; private set; }

        public int Subtype { get; private set; }

        public bool Encrypted { get; private set; }

        public static SlotInfo FromRecord(byte[] record)
        {
            return new SlotInfo
            {
                Address = ReadInt(record, 0),
                Size = ReadInt(record, 4),
                Type = record[8],
                Subtype = record[9],
                Encrypted = record[10] != 0,
                Label = Ascii.DecodeField(record, NativeOtaStatus.SlotRecordLabelOffset, NativeOtaStatus.SlotRecordLabelLength),
            };
        }

        internal static int ReadInt(byte[] bytes, int offset)
        {
            return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24);
        }

        public override string ToString()
        {
            return Label;
        }
    }
}
