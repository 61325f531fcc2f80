using System.Reflection;

[assembly: AssemblyTitle("NfOta.Interop")]
[assembly: AssemblyDescription("nf-ota's native methods: ESP-IDF OTA through the nf_ota C component")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyVersion("1.0.0.0")]

// The version nanoCLR compares with the native library's g_CLR_AssemblyNative_NfOta_Interop.
[assembly: AssemblyNativeVersion("1.0.0.0")]
