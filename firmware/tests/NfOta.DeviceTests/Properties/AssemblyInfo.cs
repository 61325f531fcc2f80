using System.Reflection;

// The assembly is named NFUnitTest (see the .nfproj); the title says what it tests.
[assembly: AssemblyTitle("NfOta.DeviceTests")]
[assembly: AssemblyDescription("nf-ota's on-device tests: update, confirm and roll back on a real board")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyVersion("1.0.0.0")]
