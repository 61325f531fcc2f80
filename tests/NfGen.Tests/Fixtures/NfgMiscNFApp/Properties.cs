using System.Reflection;

[assembly: AssemblyNativeVersion("2.1.0.3")]
