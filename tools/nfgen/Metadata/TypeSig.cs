using System.Reflection.Metadata;

namespace NfGen.Metadata;

/// <summary>
/// A type as a signature names it. <see cref="FullName"/> is spelled the way Mono.Cecil spells it,
/// because MetadataProcessor builds its native names (and so the checksum) from Cecil's names.
/// </summary>
internal abstract record TypeSig
{
    public abstract string FullName { get; }

    /// <summary>Cecil's GetElementType(): every array, byref, pointer, modifier and instantiation stripped.</summary>
    public virtual TypeSig Innermost => this;

    public override string ToString() => FullName;
}

internal sealed record PrimitiveSig(PrimitiveTypeCode Code) : TypeSig
{
    public override string FullName => "System." + Code switch
    {
        PrimitiveTypeCode.Void => "Void",
        PrimitiveTypeCode.Boolean => "Boolean",
        PrimitiveTypeCode.Char => "Char",
        PrimitiveTypeCode.SByte => "SByte",
        PrimitiveTypeCode.Byte => "Byte",
        PrimitiveTypeCode.Int16 => "Int16",
        PrimitiveTypeCode.UInt16 => "UInt16",
        PrimitiveTypeCode.Int32 => "Int32",
        PrimitiveTypeCode.UInt32 => "UInt32",
        PrimitiveTypeCode.Int64 => "Int64",
        PrimitiveTypeCode.UInt64 => "UInt64",
        PrimitiveTypeCode.Single => "Single",
        PrimitiveTypeCode.Double => "Double",
        PrimitiveTypeCode.IntPtr => "IntPtr",
        PrimitiveTypeCode.UIntPtr => "UIntPtr",
        PrimitiveTypeCode.String => "String",
        PrimitiveTypeCode.Object => "Object",
        PrimitiveTypeCode.TypedReference => "TypedReference",
        _ => Code.ToString(),
    };
}

/// <summary>A type definition or reference. Nested types are "Outer/Inner", as in Cecil.</summary>
internal sealed record NamedSig(EntityHandle Handle, string Namespace, string Name, NamedSig? DeclaringType) : TypeSig
{
    public override string FullName
    {
        get
        {
            var own = Namespace.Length == 0 ? Name : Namespace + "." + Name;
            return DeclaringType is null ? own : DeclaringType.FullName + "/" + own;
        }
    }
}

internal sealed record SzArraySig(TypeSig Element) : TypeSig
{
    public override string FullName => Element.FullName + "[]";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record ArraySig(TypeSig Element, int Rank) : TypeSig
{
    public override string FullName => Element.FullName + "[" + new string(',', Math.Max(0, Rank - 1)) + "]";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record ByRefSig(TypeSig Element) : TypeSig
{
    public override string FullName => Element.FullName + "&";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record PointerSig(TypeSig Element) : TypeSig
{
    public override string FullName => Element.FullName + "*";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record PinnedSig(TypeSig Element) : TypeSig
{
    public override string FullName => Element.FullName + " pinned";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record ModifiedSig(TypeSig Element, TypeSig Modifier, bool Required) : TypeSig
{
    public override string FullName => Element.FullName + (Required ? " modreq(" : " modopt(") + Modifier.FullName + ")";

    public override TypeSig Innermost => Element.Innermost;
}

internal sealed record GenericInstSig(TypeSig Definition, IReadOnlyList<TypeSig> Arguments) : TypeSig
{
    public override string FullName => Definition.FullName + "<" + string.Join(",", Arguments.Select(a => a.FullName)) + ">";

    public override TypeSig Innermost => Definition.Innermost;
}

internal sealed record GenericParamSig(bool OfMethod, int Index, string Name) : TypeSig
{
    public override string FullName => Name;
}

internal sealed record FunctionPointerSig(MethodSignature<TypeSig> Signature) : TypeSig
{
    public override string FullName => "method " + Signature.ReturnType.FullName + " *(" + string.Join(",", Signature.ParameterTypes.Select(p => p.FullName)) + ")";
}
