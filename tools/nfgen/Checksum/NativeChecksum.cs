using NfOta.NanoFramework;

namespace NfGen.Checksum;

/// <summary>
/// MetadataProcessor's running native checksum (NativeMethodsCrc): for each method of each
/// stub-able type in table order, a native method adds the CRCs of assembly, class and method
/// names, any other method adds "NULL". The running value reads as 0 until the first native
/// method has been counted, so everything up to and including that method is seeded with 0.
/// </summary>
internal sealed class NativeChecksum(string assemblyName)
{
    private uint _crc;
    private int _nativeMethods;

    /// <summary>The checksum so far; 0 while no native method has been added.</summary>
    public uint Current => _nativeMethods > 0 ? _crc : 0;

    public int NativeMethods => _nativeMethods;

    public void AddNative(string className, string methodName)
    {
        _crc = NanoCrc32.Compute(assemblyName, Current);
        _crc = NanoCrc32.Compute(className, Current);
        _crc = NanoCrc32.Compute(methodName, Current);
        _nativeMethods++;
    }

    public void AddManaged() => _crc = NanoCrc32.Compute("NULL", Current);
}
