using System.Reflection;

[assembly: AssemblyTitle("OtaSample")]
[assembly: AssemblyDescription("A nanoFramework app that updates itself over the air with nf-ota")]
[assembly: AssemblyProduct("nf-ota")]
[assembly: AssemblyVersion("1.0.0.0")]
