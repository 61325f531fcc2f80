using NfGen.Metadata;

namespace NfGen.Stubs;

/// <summary>
/// How MetadataProcessor spells a managed type in generated C++: the native type of a variable
/// (ToNativeTypeAsString) and the name used in Interop_Marshal_X / SetResult_X (ToCLRTypeAsString).
/// Types it cannot marshal come out as UNSUPPORTED, as MetadataProcessor writes them.
/// </summary>
internal static class MarshalTypes
{
    public const string Unsupported = "UNSUPPORTED";

    public static string NativeType(TypeSig type)
    {
        switch (type.FullName)
        {
            case "System.Void": return "void";
            case "System.Boolean": return "bool";
            case "System.Char": return "char";
            case "System.SByte": return "int8_t";
            case "System.Byte": return "uint8_t";
            case "System.Int16": return "int16_t";
            case "System.UInt16": return "uint16_t";
            case "System.Int32": case "System.IntPtr": return "signed int";
            case "System.UInt32": case "System.UIntPtr": return "unsigned int";
            case "System.Int64": return "int64_t";
            case "System.UInt64": return "uint64_t";
            case "System.Single": return "float";
            case "System.Double": return "double";
            case "System.String": return "const char*";
            case "System.Object": case "System.WeakReference": return Unsupported;
        }
        return type switch
        {
            SzArraySig or ArraySig => "CLR_RT_TypedArray_" + ClrType(type.Innermost),
            _ => Unsupported,
        };
    }

    public static string ClrType(TypeSig type)
    {
        switch (type.FullName)
        {
            case "System.Void": return "void";
            case "System.Boolean": return "bool";
            case "System.Char": return "CHAR";
            case "System.SByte": return "INT8";
            case "System.Byte": return "UINT8";
            case "System.Int16": return "INT16";
            case "System.UInt16": return "UINT16";
            case "System.Int32": case "System.IntPtr": return "INT32";
            case "System.UInt32": case "System.UIntPtr": return "UINT32";
            case "System.Int64": return "INT64";
            case "System.UInt64": return "UINT64";
            case "System.Single": return "float";
            case "System.Double": return "double";
            case "System.String": return "LPCSTR";
            case "System.Object": case "System.WeakReference": return Unsupported;
        }
        return type switch
        {
            SzArraySig or ArraySig => ClrType(type.Innermost) + "_ARRAY",
            _ => Unsupported,
        };
    }
}
