using System.Reflection;

[assembly: AssemblyTitle("NfOta.Core")]
[assembly: AssemblyDescription("nf-ota: over-the-air updates for nanoFramework on ESP32 with flash encryption and secure boot v2")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyVersion("0.1.0.0")]
