// Like the class Nerdbank.GitVersioning generates into every nanoFramework library (global namespace).
internal static partial class ThisAssembly
{
    internal const string AssemblyVersion = "2.1.0.0";
    internal const string AssemblyFileVersion = "2.1.0.3";
    internal const bool IsPrerelease = false;
    internal static readonly string GitCommitId = "0123456789abcdef";

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
    internal static extern int NativeBuildNumber();
}
