using System.Reflection;

[assembly: AssemblyNativeVersion("1.0.0.0")]
