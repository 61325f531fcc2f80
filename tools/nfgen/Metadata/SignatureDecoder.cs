using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace NfGen.Metadata;

/// <summary>Generic parameter names in scope while decoding a signature (Cecil names them "T", "TKey", ...).</summary>
internal sealed record GenericScope(IReadOnlyList<string> TypeParameters, IReadOnlyList<string> MethodParameters)
{
    public static readonly GenericScope Empty = new([], []);
}

/// <summary>Turns signature blobs into <see cref="TypeSig"/> trees.</summary>
internal sealed class SignatureDecoder(MetadataReader reader) : ISignatureTypeProvider<TypeSig, GenericScope>
{
    public TypeSig GetPrimitiveType(PrimitiveTypeCode typeCode) => new PrimitiveSig(typeCode);

    public TypeSig GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => Named(handle);

    public TypeSig GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => Named(handle);

    public TypeSig GetTypeFromSpecification(MetadataReader r, GenericScope context, TypeSpecificationHandle handle, byte rawTypeKind) =>
        r.GetTypeSpecification(handle).DecodeSignature(this, context);

    public TypeSig GetSZArrayType(TypeSig elementType) => new SzArraySig(elementType);

    public TypeSig GetArrayType(TypeSig elementType, ArrayShape shape) => new ArraySig(elementType, shape.Rank);

    public TypeSig GetByReferenceType(TypeSig elementType) => new ByRefSig(elementType);

    public TypeSig GetPointerType(TypeSig elementType) => new PointerSig(elementType);

    public TypeSig GetPinnedType(TypeSig elementType) => new PinnedSig(elementType);

    public TypeSig GetModifiedType(TypeSig modifier, TypeSig unmodifiedType, bool isRequired) => new ModifiedSig(unmodifiedType, modifier, isRequired);

    public TypeSig GetGenericInstantiation(TypeSig genericType, ImmutableArray<TypeSig> typeArguments) => new GenericInstSig(genericType, typeArguments);

    public TypeSig GetGenericTypeParameter(GenericScope context, int index) =>
        new GenericParamSig(false, index, index < context.TypeParameters.Count ? context.TypeParameters[index] : "!" + index);

    public TypeSig GetGenericMethodParameter(GenericScope context, int index) =>
        new GenericParamSig(true, index, index < context.MethodParameters.Count ? context.MethodParameters[index] : "!!" + index);

    public TypeSig GetFunctionPointerType(MethodSignature<TypeSig> signature) => new FunctionPointerSig(signature);

    public NamedSig Named(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
        {
            var definition = reader.GetTypeDefinition((TypeDefinitionHandle)handle);
            var declaring = definition.GetDeclaringType();
            return new NamedSig(handle, reader.GetString(definition.Namespace), reader.GetString(definition.Name),
                declaring.IsNil ? null : Named(declaring));
        }

        var reference = reader.GetTypeReference((TypeReferenceHandle)handle);
        var scope = reference.ResolutionScope;
        return new NamedSig(handle, reader.GetString(reference.Namespace), reader.GetString(reference.Name),
            !scope.IsNil && scope.Kind == HandleKind.TypeReference ? Named(scope) : null);
    }
}
