using NfOta.Interop;
using NfOta.Model;

namespace NfOta.Device
{
    /// <summary>
    /// The managed app in a deploy partition, read through NativeOta.ReadPartition (decrypted): the
    /// run of .pe assemblies from the partition's start, as nanoCLR finds them (marker "NFMRK1",
    /// length from the header, each padded to 4 bytes), the native assemblies they need, and
    /// nf-ota's release record in the last sector. Reads headers only, a few hundred bytes.
    /// </summary>
    public sealed class DeployedApp
    {
        private const int HeaderSize = 124;
        private const int MaxNameLength = 64;

        /// <summary>The deploy partition's label.</summary>
        public string Label { get; private set; }

        /// <summary>Bytes from the partition's start to the end of the last assembly of the run.</summary>
        public int Length { get; private set; }

        public int AssemblyCount { get; private set; }

        /// <summary>The native assemblies (name, checksum) the app's assemblies need.</summary>
        public NativeAssemblyList Needs { get; private set; }

        /// <summary>
        /// nf-ota's release record, when it describes what is there: its length fits and its SHA-256
        /// matches the partition's bytes read back. Null otherwise (an app deployed over USB since, an
        /// erased partition, an update cut short).
        /// </summary>
        public AppRecord Record { get; private set; }

        /// <summary>Read the app in the deploy partition described by <paramref name="partition"/>.</summary>
        public static DeployedApp Read(SlotInfo partition)
        {
            var header = new byte[HeaderSize];
            var nameBytes = new byte[MaxNameLength];
            int at = 0, count = 0, natives = 0;
            var names = new string[16];
            var checksums = new uint[16];
            while (at + HeaderSize <= partition.Size - AppRecord.SectorSize)
            {
                NativeFailure.Check(NativeOta.ReadPartition(partition.Label, at, header, 0, HeaderSize), "reading the app in " + partition.Label);
                if (!IsMarker(header))
                {
                    break;
                }
                int total = (int)U32(header, 40 + 4 * 15);
                if (total < HeaderSize || total > partition.Size - at)
                {
                    break;
                }
                uint checksum = U32(header, 20);
                if (checksum != 0)
                {
                    if (natives == names.Length)
                    {
                        names = Grow(names);
                        checksums = Grow(checksums);
                    }
                    names[natives] = NameOf(partition.Label, at, header, total, nameBytes);
                    checksums[natives++] = checksum;
                }
                count++;
                at += (total + 3) & ~3;
            }
            var needNames = new string[natives];
            var needChecksums = new uint[natives];
            System.Array.Copy(names, needNames, natives);
            System.Array.Copy(checksums, needChecksums, natives);

            var record = new byte[AppRecord.Length];
            NativeFailure.Check(NativeOta.ReadPartition(partition.Label, AppRecord.OffsetIn(partition.Size), record, 0, record.Length), "reading the app record in " + partition.Label);
            return new DeployedApp
            {
                Label = partition.Label,
                Length = at,
                AssemblyCount = count,
                Needs = new NativeAssemblyList(needNames, needChecksums),
                Record = Matching(partition, AppRecord.Parse(record)),
            };
        }

        private static AppRecord Matching(SlotInfo partition, AppRecord record)
        {
            if (record == null || record.AppLength > AppRecord.OffsetIn(partition.Size))
            {
                return null;
            }
            var digest = new byte[32];
            NativeFailure.Check(NativeOta.HashPartition(partition.Label, 0, record.AppLength, digest), "hashing the app in " + partition.Label);
            return Text.Digest.Matches(digest, record.Sha256, 0) ? record : null;
        }

        private static bool IsMarker(byte[] header)
        {
            return header[0] == (byte)'N' && header[1] == (byte)'F' && header[2] == (byte)'M' && header[3] == (byte)'R'
                && header[4] == (byte)'K' && header[5] == (byte)'1' && header[6] == 0;
        }

        /// <summary>The assembly's name from its string table; mscorlib's is one of nanoCLR's built-in strings.</summary>
        private static string NameOf(string label, int at, byte[] header, int total, byte[] buffer)
        {
            int index = header[36] | (header[37] << 8);
            int strings = (int)U32(header, 40 + 4 * 11);
            int stringsEnd = (int)U32(header, 40 + 4 * 12);
            if (index >= stringsEnd - strings)
            {
                return "mscorlib";
            }
            int start = strings + index;
            int length = total - start < buffer.Length ? total - start : buffer.Length;
            NativeFailure.Check(NativeOta.ReadPartition(label, at + start, buffer, 0, length), "reading an assembly name in " + label);
            int end = 0;
            while (end < length && buffer[end] != 0)
            {
                end++;
            }
            return Text.Ascii.Decode(buffer, 0, end);
        }

        private static uint U32(byte[] bytes, int at)
        {
            return (uint)(bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24));
        }

        private static string[] Grow(string[] items)
        {
            var more = new string[items.Length * 2];
            System.Array.Copy(items, more, items.Length);
            return more;
        }

        private static uint[] Grow(uint[] items)
        {
            var more = new uint[items.Length * 2];
            System.Array.Copy(items, more, items.Length);
            return more;
        }
    }
}
