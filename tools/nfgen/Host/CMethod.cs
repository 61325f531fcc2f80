using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Host;

/// <summary>
/// A native method as a flat C function: the same function is called from nanoCLR's marshalling
/// code on the device and from the host binding on a PC. Only types both sides can carry are
/// accepted; anything else is refused with the method and parameter named.
/// </summary>
internal sealed class CMethod
{
    private static readonly Dictionary<string, (string C, string CSharp)> Scalars = new(StringComparer.Ordinal)
    {
        ["System.Boolean"] = ("bool", "bool"),
        ["System.SByte"] = ("int8_t", "sbyte"),
        ["System.Byte"] = ("uint8_t", "byte"),
        ["System.Int16"] = ("int16_t", "short"),
        ["System.UInt16"] = ("uint16_t", "ushort"),
        ["System.Int32"] = ("int32_t", "int"),
        ["System.UInt32"] = ("uint32_t", "uint"),
        ["System.Int64"] = ("int64_t", "long"),
        ["System.UInt64"] = ("uint64_t", "ulong"),
        ["System.Single"] = ("float", "float"),
        ["System.Double"] = ("double", "double"),
    };

    public CMethod(NativeMethod native, string cPrefix)
    {
        Native = native;
        var method = native.Method;
        var where = $"{native.Type.FullName}.{method.Name}";
        if (!method.IsStatic)
        {
            throw Unsupported($"{where} is an instance method; the C binding carries static native methods only (make it static and pass what it needs)");
        }

        CName = $"{cPrefix}_{native.Type.Name}_{method.Name}";
        var returnType = method.ReturnType;
        if (returnType.FullName == "System.Void")
        {
            ReturnC = "void";
            ReturnCSharp = "void";
        }
        else if (Scalars.TryGetValue(returnType.FullName, out var scalar))
        {
            ReturnC = scalar.C;
            ReturnCSharp = scalar.CSharp;
        }
        else
        {
            throw Unsupported($"{where} returns {returnType.FullName}; native methods here return void, bool or a number (write results into a byte[] argument)");
        }

        Parameters = method.Parameters.Select(p => Map(where, p)).ToList();
    }

    public NativeMethod Native { get; }

    public string ManagedName => Native.Method.Name;

    /// <summary>The C function, e.g. nf_ota_NativeOta_Begin.</summary>
    public string CName { get; }

    public string ReturnC { get; }

    public string ReturnCSharp { get; }

    public bool ReturnsValue => ReturnC != "void";

    public IReadOnlyList<CParameter> Parameters { get; }

    public string CPrototype => $"{ReturnC} {CName}({(Parameters.Count == 0 ? "void" : string.Join(", ", Parameters.Select(p => p.CDeclaration)))})";

    /// <summary>The managed signature, for comments: "int NativeOta.Begin(string slotLabel, int imageSize, int flags)".</summary>
    public string ManagedSignature => $"{ReturnCSharp} {Native.Type.Name}.{ManagedName}({string.Join(", ", Parameters.Select(p => $"{ManagedTypeName(p)} {p.Name}"))})";

    private static string ManagedTypeName(CParameter p) => p.Kind switch
    {
        CParameterKind.String => "string",
        CParameterKind.Array => p.CSharpType + "[]",
        CParameterKind.ByRef => "ref " + p.CSharpType,
        _ => p.CSharpType,
    };

    private static CParameter Map(string where, ParameterModel parameter)
    {
        var type = parameter.Type;
        var name = parameter.Name;
        switch (type)
        {
            case PrimitiveSig { Code: System.Reflection.Metadata.PrimitiveTypeCode.String }:
                return new CParameter(name, type, CParameterKind.String, "const char *", "string", "byte*");
            case SzArraySig { Element: var element } when element.FullName != "System.Boolean" && Scalars.TryGetValue(element.FullName, out var e):
                return new CParameter(name, type, CParameterKind.Array, e.C, e.CSharp, e.CSharp + "*");
            case ByRefSig { Element: var element } when Scalars.TryGetValue(element.FullName, out var r):
                return new CParameter(name, type, CParameterKind.ByRef, r.C, r.CSharp, (r.CSharp == "bool" ? "byte" : r.CSharp) + "*");
            default:
                if (Scalars.TryGetValue(type.FullName, out var s))
                {
                    return new CParameter(name, type, CParameterKind.Value, s.C, s.CSharp, s.CSharp == "bool" ? "byte" : s.CSharp);
                }
                throw Unsupported($"{where}: parameter '{name}' is {type.FullName}; the C binding carries numbers, bool, string, one-dimensional arrays of numbers and ref numbers");
        }
    }

    private static NfGenException Unsupported(string message) => new(NfGenError.UnsupportedSignature, message);
}
