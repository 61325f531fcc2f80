using System.Runtime.InteropServices;

namespace NfOta.NativeHost;

/// <summary>nf_ota_host_partition_t (native/host/include/nf_ota_host.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HostPartition
{
    public uint Address;
    public uint Size;
    public uint EraseSize;
    public int Type;
    public int Subtype;
    public int Encrypted;
    public int ReadOnly;
    public fixed byte Label[20];
}

/// <summary>nf_ota_host_callbacks_t, field for field: the ESP-IDF functions the emulator serves.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct HostCallbacks
{
    public delegate* unmanaged[Cdecl]<int> BootCount;
    public delegate* unmanaged[Cdecl]<int> PartitionCount;
    public delegate* unmanaged[Cdecl]<int, HostPartition*, int> PartitionGet;
    public delegate* unmanaged[Cdecl]<int, uint, byte*, uint, int> PartitionRead;
    public delegate* unmanaged[Cdecl]<int, byte*, int> PartitionGetSha256;
    public delegate* unmanaged[Cdecl]<int, uint, uint*, int> OtaBegin;
    public delegate* unmanaged[Cdecl]<uint, byte*, uint, int> OtaWrite;
    public delegate* unmanaged[Cdecl]<uint, byte*, uint, uint, int> OtaWriteWithOffset;
    public delegate* unmanaged[Cdecl]<uint, int> OtaEnd;
    public delegate* unmanaged[Cdecl]<uint, int> OtaAbort;
    public delegate* unmanaged[Cdecl]<int, int> OtaSetBootPartition;
    public delegate* unmanaged[Cdecl]<int> OtaGetBootPartition;
    public delegate* unmanaged[Cdecl]<int> OtaGetRunningPartition;
    public delegate* unmanaged[Cdecl]<int, int> OtaGetNextUpdatePartition;
    public delegate* unmanaged[Cdecl]<int, byte*, int> OtaGetPartitionDescription;
    public delegate* unmanaged[Cdecl]<int> OtaMarkAppValidCancelRollback;
    public delegate* unmanaged[Cdecl]<int> OtaMarkAppInvalidRollbackAndReboot;
    public delegate* unmanaged[Cdecl]<int> OtaGetLastInvalidPartition;
    public delegate* unmanaged[Cdecl]<int, uint*, int> OtaGetStatePartition;
    public delegate* unmanaged[Cdecl]<int> OtaCheckRollbackIsPossible;
    public delegate* unmanaged[Cdecl]<byte*, int> AppGetDescription;
    public delegate* unmanaged[Cdecl]<int> FlashEncryptionMode;
    public delegate* unmanaged[Cdecl]<int> SecureBootEnabled;
    public delegate* unmanaged[Cdecl]<int> EfuseReadSecureVersion;
    public delegate* unmanaged[Cdecl]<int> Restart;
    public delegate* unmanaged[Cdecl]<int> ChipId;
    public delegate* unmanaged[Cdecl]<long*, int> UptimeUs;
    public delegate* unmanaged[Cdecl]<int, uint, byte*, uint, int> PartitionWrite;
    public delegate* unmanaged[Cdecl]<int, uint, uint, int> PartitionEraseRange;
    public delegate* unmanaged[Cdecl]<byte*, uint, int> NativeTable;
    public delegate* unmanaged[Cdecl]<int, uint, uint, uint*, int> OtaResume;
    public delegate* unmanaged[Cdecl]<int, uint, byte*, uint, int> PartitionReadRaw;
}
