using NfGen.Metadata;

namespace NfGen.Host;

/// <summary>How one managed parameter crosses into C.</summary>
internal enum CParameterKind
{
    /// <summary>A number or bool, by value.</summary>
    Value,
    /// <summary>A string: a NUL-terminated UTF-8 const char *.</summary>
    String,
    /// <summary>A one-dimensional array: element pointer plus a uint32_t element count.</summary>
    Array,
    /// <summary>ref/out of a number or bool: a pointer to it.</summary>
    ByRef,
}

/// <summary>A parameter of a native method and its C and C# spellings.</summary>
internal sealed record CParameter(string Name, TypeSig Type, CParameterKind Kind, string CType, string CSharpType, string InteropCSharpType)
{
    /// <summary>C declaration(s): "int32_t flags", "uint8_t *buffer, uint32_t buffer_length".</summary>
    public string CDeclaration => Kind == CParameterKind.Array
        ? $"{CType} *{Name}, uint32_t {Name}_length"
        : Kind is CParameterKind.ByRef ? $"{CType} *{Name}" : CType.EndsWith('*') ? $"{CType}{Name}" : $"{CType} {Name}";
}
