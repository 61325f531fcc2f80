using System.Reflection;

[assembly: AssemblyNativeVersion("1.2.3.4")]
