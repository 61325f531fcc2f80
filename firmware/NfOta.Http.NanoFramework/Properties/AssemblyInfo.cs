using System.Reflection;

[assembly: AssemblyTitle("NfOta.Http.NanoFramework")]
[assembly: AssemblyDescription("nf-ota's HTTP(S) image source on the device: HttpWebRequest with Range to resume")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyVersion("0.1.0.0")]
