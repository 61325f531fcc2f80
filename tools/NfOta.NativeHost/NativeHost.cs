using System.Reflection;
using System.Runtime.InteropServices;
using NfOta.Emulator.Device;
using NfOta.Interop;

namespace NfOta.NativeHost;

/// <summary>
/// Attach a virtual ESP32 to the native component: until the session is disposed, every
/// NfOta.Interop.NativeOta call runs nf_ota's C against that device. The C component has global
/// state, as on the chip, so one session is open at a time per process; Attach waits for the
/// previous one to end.
/// </summary>
public static unsafe class NativeHost
{
    /// <summary>The file name the binding imports ("nfota_native" becomes libnfota_native.so).</summary>
    public const string LibraryName = "nfota_native";

    private static readonly SemaphoreSlim OneSession = new(1, 1);
    private static readonly object ResolverLock = new();
    private static bool s_resolverSet;

    public static NativeSession Attach(VirtualEsp32 device, TimeSpan? wait = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        EnsureResolver();
        if (!OneSession.Wait(wait ?? TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException("another NativeHost session stayed open; dispose sessions when done");
        }
        try
        {
            CheckAbi();
            EmulatedEspIdf.Device = device;
            NativeHostRuntime.PendingException = EmulatedEspIdf.TakePending;
            var table = EmulatedEspIdf.Table();
            NativeMethods.nf_ota_host_attach(&table);
            return new NativeSession(device, Detach);
        }
        catch
        {
            OneSession.Release();
            throw;
        }
    }

    /// <summary>Update handles open in the C component right now.</summary>
    internal static int OpenHandles() => NativeMethods.nf_ota_host_open_handles();

    /// <summary>Whether nf_ota's boot guard timer is armed.</summary>
    internal static bool BootGuardArmed() => NativeMethods.nf_ota_host_boot_guard_armed() != 0;

    /// <summary>
    /// Let the C component see the device as it is now (its start-up hook runs after a boot) and fire
    /// the esp_timer callbacks that are due. Returns how many fired; rethrows what stopped the chip.
    /// </summary>
    internal static int RunDueTimers()
    {
        int unwound;
        var fired = NativeMethods.nf_ota_host_run_due_timers(&unwound);
        NativeHostRuntime.AfterCall(unwound);
        return fired;
    }

    private static void Detach()
    {
        NativeMethods.nf_ota_host_attach(null);
        EmulatedEspIdf.Device = null;
        NativeHostRuntime.PendingException = null;
        OneSession.Release();
    }

    private static void CheckAbi()
    {
        var callbacks = NativeMethods.nf_ota_host_abi(0);
        var partition = NativeMethods.nf_ota_host_abi(1);
        if (callbacks != sizeof(HostCallbacks) || partition != sizeof(HostPartition))
        {
            throw new InvalidOperationException(
                $"libnfota_native does not match this NfOta.NativeHost (callbacks {callbacks} vs {sizeof(HostCallbacks)} bytes, partition {partition} vs {sizeof(HostPartition)}): rebuild native/ and tools/ together");
        }
    }

    /// <summary>
    /// Find libnfota_native next to this assembly, or where NFOTA_NATIVE_LIBRARY points, for both
    /// this assembly's imports and the generated binding's.
    /// </summary>
    private static void EnsureResolver()
    {
        lock (ResolverLock)
        {
            if (s_resolverSet) return;
            DllImportResolver resolver = (name, assembly, path) =>
            {
                if (name != LibraryName) return IntPtr.Zero;
                var explicitPath = Environment.GetEnvironmentVariable("NFOTA_NATIVE_LIBRARY");
                var candidate = !string.IsNullOrEmpty(explicitPath)
                    ? explicitPath
                    : Path.Combine(AppContext.BaseDirectory, "lib" + LibraryName + ".so");
                if (!File.Exists(candidate))
                {
                    throw new DllNotFoundException(
                        $"{candidate} not found: build the native component (dotnet build nf.proj, or native/native.proj), or set NFOTA_NATIVE_LIBRARY");
                }
                return NativeLibrary.Load(candidate);
            };
            NativeLibrary.SetDllImportResolver(typeof(NativeHost).Assembly, resolver);
            NativeLibrary.SetDllImportResolver(typeof(NativeOta).Assembly, resolver);
            s_resolverSet = true;
        }
    }

    private static class NativeMethods
    {
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void nf_ota_host_attach(HostCallbacks* callbacks);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int nf_ota_host_open_handles();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int nf_ota_host_abi(int which);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int nf_ota_host_run_due_timers(int* unwound);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int nf_ota_host_boot_guard_armed();
    }
}
