namespace NfGen.Stubs;

/// <summary>
/// The names that tie the generated files together. "name" and "project" are MetadataProcessor's
/// GenerateSkeletonName and GenerateSkeletonProject; both default to the assembly name.
/// </summary>
internal sealed record StubNames(string AssemblyName, string SkeletonName, string SkeletonProject)
{
    /// <summary>The project name as a C identifier: file prefix and Library_ prefix, e.g. NfOta_Interop.</summary>
    public string SafeProject => SkeletonProject.Replace('.', '_');

    /// <summary>g_CLR_AssemblyNative_{this} and the C++ namespace of the user code.</summary>
    public string SafeName => SkeletonName.Replace('.', '_');

    public string AssemblyHeaderFile => SafeProject + ".h";

    public string LookupFile => SafeProject + ".cpp";

    public string ClassHeaderFile(string className) => $"{SafeProject}_{className}.h";

    public string ClassUserCodeFile(string className) => $"{SafeProject}_{className}.cpp";

    public string ClassMarshallingFile(string className) => $"{SafeProject}_{className}_mshl.cpp";

    public string CMakeModuleFile => $"FindINTEROP-{AssemblyName}.cmake";

    public string LibraryStruct(string className) => $"Library_{SafeProject}_{className}";
}
