using NfGen.Checksum;
using NfGen.Metadata;

namespace NfGen.Stubs;

/// <summary>One parameter as the marshalling code declares and fetches it.</summary>
internal sealed record StubParameter(int Index, string Name, string NativeType, string Declaration, string MarshallingCall, bool ByReference);

/// <summary>
/// A native method the way MetadataProcessor's skeleton generator describes it: the C++ handler
/// name, the user-code declaration and the call from the marshalling code.
/// </summary>
internal sealed class StubMethod
{
    public StubMethod(NativeMethod native, StubNames names)
    {
        Native = native;
        var method = native.Method;
        Handler = $"{names.LibraryStruct(native.ClassName)}::{native.MethodName}";
        HasReturnType = method.ReturnType.FullName != "System.Void";
        ReturnType = MarshalTypes.NativeType(method.ReturnType);
        MarshallingReturnType = MarshalTypes.ClrType(method.ReturnType);

        var parameters = new List<StubParameter>();
        var argumentOffset = method.IsStatic ? 0 : 1;
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var type = method.Parameters[i].Type;
            var name = $"param{i}";
            var stackIndex = i + argumentOffset;
            if (type is ByRefSig)
            {
                // Cecil's GetElementType() strips everything, so ref int[] marshals as ref int, as in MetadataProcessor.
                var element = MarshalTypes.NativeType(type.Innermost);
                var clr = MarshalTypes.ClrType(type.Innermost);
                parameters.Add(new StubParameter(i, name, element + "&",
                    $"{element} *{name};\n        uint8_t heapblock{i}[CLR_RT_HEAP_BLOCK_SIZE];",
                    $"Interop_Marshal_{clr}_ByRef( stack, heapblock{i}, {stackIndex}, {name} )", ByReference: true));
            }
            else
            {
                var nativeType = MarshalTypes.NativeType(type);
                parameters.Add(new StubParameter(i, name, nativeType, $"{nativeType} {name};",
                    $"Interop_Marshal_{MarshalTypes.ClrType(type)}( stack, {stackIndex}, {name} )", ByReference: false));
            }
        }
        Parameters = parameters;

        UserDeclaration = parameters.Count == 0
            ? $"{method.Name}(  HRESULT &hr )"
            : $"{method.Name}( {string.Concat(parameters.Select(p => $"{p.NativeType} {p.Name}, "))}HRESULT &hr )";
        CallFromMarshalling = parameters.Count == 0
            ? $"{method.Name}(  hr )"
            : $"{method.Name}( {string.Concat(parameters.Select(p => (p.ByReference ? "*" : "") + p.Name + ", "))}hr )";
    }

    public NativeMethod Native { get; }

    /// <summary>Library_Project_Class::Method___SIG, the entry in method_lookup.</summary>
    public string Handler { get; }

    public bool HasReturnType { get; }

    public string ReturnType { get; }

    public string MarshallingReturnType { get; }

    public IReadOnlyList<StubParameter> Parameters { get; }

    /// <summary>e.g. "Begin( const char* param0, signed int param1, HRESULT &amp;hr )".</summary>
    public string UserDeclaration { get; }

    public string CallFromMarshalling { get; }
}
