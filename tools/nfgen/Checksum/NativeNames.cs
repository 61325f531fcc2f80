using NfGen.Metadata;

namespace NfGen.Checksum;

/// <summary>
/// The names MetadataProcessor gives native classes and methods. They are both the C++
/// identifiers in the stubs and the text the checksum is computed over, so every quirk matters:
/// "System.Double" is R8, arrays keep only the innermost element type, other types are their
/// full name without dots.
/// </summary>
internal static class NativeNames
{
    private static readonly Dictionary<string, string> Primitives = new(StringComparer.Ordinal)
    {
        ["System.Void"] = "VOID",
        ["System.SByte"] = "I1",
        ["System.Int16"] = "I2",
        ["System.Int32"] = "I4",
        ["System.Int64"] = "I8",
        ["System.Byte"] = "U1",
        ["System.UInt16"] = "U2",
        ["System.UInt32"] = "U4",
        ["System.UInt64"] = "U8",
        ["System.Single"] = "R4",
        ["System.Double"] = "R8",
        ["System.Char"] = "CHAR",
        ["System.String"] = "STRING",
        ["System.Boolean"] = "BOOLEAN",
        ["System.Object"] = "OBJECT",
        ["System.IntPtr"] = "I4",
        ["System.UIntPtr"] = "U4",
        ["System.WeakReference"] = "WEAKCLASS",
    };

    /// <summary>"Outer namespace and names joined by '_'", e.g. NfOta_Interop_NativeOta; nested Outer__Inner.</summary>
    public static string ClassName(TypeModel? type) =>
        type is null
            ? string.Empty
            : string.Join("_", ClassName(type.DeclaringType), type.Namespace, type.Name).Replace(".", "_").TrimStart('_');

    /// <summary>e.g. Begin___STATIC__I4__STRING__I4__I4 (name, static marker, return type, parameter types).</summary>
    public static string MethodName(MethodModel method)
    {
        var parts = new List<string> { TypeName(method.ReturnType) };
        parts.AddRange(method.Parameters.Select(p => TypeName(p.Type)));
        var name = method.Name + (method.IsStatic ? "___STATIC__" : "___") + string.Join("__", parts);
        return name.Replace(".", "_").Replace("/", "");
    }

    /// <summary>One type in a method name (MetadataProcessor's GetParameterType).</summary>
    public static string TypeName(TypeSig type)
    {
        switch (type)
        {
            case SzArraySig or ArraySig:
                // Cecil's GetElementType() goes all the way down: int[][] is SZARRAY_I4.
                return "SZARRAY_" + TypeName(type.Innermost);
            case ByRefSig byRef:
                return byRef.Element is SzArraySig or ArraySig
                    ? "BYREF_SZARRAY_" + TypeName(ImmediateElement(byRef.Element))
                    : "BYREF_" + ClrTypeName(byRef.Element);
            default:
                return ClrTypeName(type);
        }
    }

    private static TypeSig ImmediateElement(TypeSig array) => array switch
    {
        SzArraySig sz => sz.Element,
        ArraySig md => md.Element,
        _ => array,
    };

    private static string ClrTypeName(TypeSig type)
    {
        if (Primitives.TryGetValue(type.FullName, out var primitive)) return primitive;
        if (type is GenericParamSig) return "GENERICTYPE";
        return type.FullName.Replace(".", string.Empty).Replace("DATATYPE_", string.Empty);
    }
}
