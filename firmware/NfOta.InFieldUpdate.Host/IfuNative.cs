using System.Runtime.InteropServices;
using NfOta.Interop;

namespace NfOta.InFieldUpdate.Host;

/// <summary>nf_ota_ifu_version_t: MCUboot's image version (1.2.3+4).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct IfuVersion
{
    public byte Major;
    public byte Minor;
    public ushort Revision;
    public uint Build;
}

/// <summary>nf_ota_ifu_session_t, field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct IfuSession
{
    public int Image;
    public uint Token;
    public int TotalLength;
    public int NextOffset;
    public byte Resumed;
    public byte HeaderSeen;
    public IfuVersion Version;
    public int HeaderSize;
    public int ImageSize;
}

/// <summary>nf_ota_ifu_image_info_t, field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IfuImageInfo
{
    public int Image;
    public int Slot;
    public byte HasVersion;
    public IfuVersion Version;
    public byte HasHash;
    public fixed byte Hash[32];
    public byte HasValidHeader;
    public byte IsActive;
    public byte IsConfirmed;
    public byte IsPending;
    public byte IsBootable;
    public byte IsRollbackPending;
}

/// <summary>
/// nf_ota_ifu.h in libnfota_native, each call in the host's unwind frame (a restart or power cut
/// of the emulated chip inside it surfaces as the emulator's exception, as NativeOta's calls do).
/// The flat C API: the managed surface (<c>UpdateManager</c>) is built on it.
/// </summary>
public static unsafe class IfuNative
{
    private const string Library = "nfota_native";

    /// <summary>What a board's build fixes: the EC P-256 keys (65-byte uncompressed points) Complete trusts, and whether it accepts unsigned images.</summary>
    public static void SetPolicy(IReadOnlyList<byte[]> trustedKeys, bool acceptUnsigned)
    {
        var keys = new byte[trustedKeys.Count * 65];
        for (int i = 0; i < trustedKeys.Count; i++)
        {
            if (trustedKeys[i].Length != 65 || trustedKeys[i][0] != 0x04)
            {
                throw new ArgumentException("a trusted key is an uncompressed P-256 point of 65 bytes", nameof(trustedKeys));
            }
            trustedKeys[i].CopyTo(keys, i * 65);
        }
        fixed (byte* p = keys)
        {
            if (nf_ota_host_ifu_set_policy(p, trustedKeys.Count, acceptUnsigned ? 1 : 0) != 0)
            {
                throw new ArgumentException("at most 4 trusted keys", nameof(trustedKeys));
            }
        }
    }

    public static int GetStatus(int image)
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_get_status(image, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result;
    }

    public static int GetImageInfo(int image, int slot, out IfuImageInfo info)
    {
        int unwound;
        IfuImageInfo result = default;
        NativeHostRuntime.BeforeCall();
        int status = nf_ota_host_ifu_get_image_info(image, slot, &result, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        info = result;
        return status;
    }

    public static int EraseSecondary(int image)
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_erase_secondary(image, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result;
    }

    public static int Start(int image, int totalLength, int owner, out IfuSession session)
    {
        int unwound;
        IfuSession s = default;
        NativeHostRuntime.BeforeCall();
        int status = nf_ota_host_ifu_start(image, totalLength, owner, &s, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        session = s;
        return status;
    }

    public static int Resume(int image, int totalLength, byte[] expectedHeader, int owner, out IfuSession session)
    {
        int unwound;
        IfuSession s = default;
        int status;
        NativeHostRuntime.BeforeCall();
        fixed (byte* header = expectedHeader)
        {
            status = nf_ota_host_ifu_resume(image, totalLength, header, expectedHeader.Length, owner, &s, &unwound);
        }
        NativeHostRuntime.AfterCall(unwound);
        session = s;
        return status;
    }

    public static int Store(ref IfuSession session, ReadOnlySpan<byte> data)
    {
        int unwound;
        IfuSession s = session;
        int status;
        NativeHostRuntime.BeforeCall();
        fixed (byte* bytes = data)
        {
            status = nf_ota_host_ifu_store(&s, bytes, data.Length, &unwound);
        }
        NativeHostRuntime.AfterCall(unwound);
        session = s;
        return status;
    }

    public static int Complete(ref IfuSession session)
    {
        int unwound;
        IfuSession s = session;
        NativeHostRuntime.BeforeCall();
        int status = nf_ota_host_ifu_complete(&s, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        session = s;
        return status;
    }

    public static int Abort(IfuSession session, bool eraseSlot)
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int status = nf_ota_host_ifu_abort(&session, eraseSlot ? 1 : 0, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        return status;
    }

    public static int GetOwner(int image)
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_get_owner(image, &unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result;
    }

    public static bool ConfirmDeployment()
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_confirm_deployment(&unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result != 0;
    }

    public static bool RequestDeploymentRevert()
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_request_deployment_revert(&unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result != 0;
    }

    public static bool RequestClrRevert()
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        int result = nf_ota_host_ifu_request_clr_revert(&unwound);
        NativeHostRuntime.AfterCall(unwound);
        return result != 0;
    }

    public static void RequestReboot()
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        nf_ota_host_ifu_request_reboot(&unwound);
        NativeHostRuntime.AfterCall(unwound);
    }

    /// <summary>A CLR restart without a chip restart: every session ends.</summary>
    public static void ReleaseAll()
    {
        int unwound;
        NativeHostRuntime.BeforeCall();
        nf_ota_host_ifu_release_all(&unwound);
        NativeHostRuntime.AfterCall(unwound);
    }

    /// <summary>NF_OTA_IFU_DETAIL_* of the last Complete that failed (why BadTlv, say).</summary>
    public static int LastDetail => nf_ota_host_ifu_last_detail();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_set_policy(byte* keys, int count, int acceptUnsigned);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_get_status(int image, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_get_image_info(int image, int slot, IfuImageInfo* info, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_erase_secondary(int image, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_start(int image, int totalLength, int owner, IfuSession* session, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_resume(int image, int totalLength, byte* expectedHeader, int expectedLength, int owner, IfuSession* session, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_store(IfuSession* session, byte* data, int count, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_complete(IfuSession* session, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_abort(IfuSession* session, int eraseSlot, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_get_owner(int image, int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_confirm_deployment(int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_request_deployment_revert(int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_request_clr_revert(int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern void nf_ota_host_ifu_request_reboot(int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern void nf_ota_host_ifu_release_all(int* unwound);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int nf_ota_host_ifu_last_detail();
}
