using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfGen.Metadata;

/// <summary>One method definition: flags, RVA, decoded signature with parameter names, body references.</summary>
internal sealed class MethodModel
{
    private readonly AssemblyModel _assembly;
    private readonly MethodDefinition _definition;
    private readonly PEReader _pe;

    internal MethodModel(AssemblyModel assembly, TypeModel declaringType, MethodDefinitionHandle handle, PEReader pe)
    {
        _assembly = assembly;
        _pe = pe;
        Handle = handle;
        DeclaringType = declaringType;
        var reader = assembly.Reader;
        _definition = reader.GetMethodDefinition(handle);
        Name = reader.GetString(_definition.Name);
        Attributes = _definition.Attributes;
        ImplAttributes = _definition.ImplAttributes;
        Rva = _definition.RelativeVirtualAddress;
        var methodGenerics = _definition.GetGenericParameters().Select(p => reader.GetString(reader.GetGenericParameter(p).Name)).ToList();
        Signature = _definition.DecodeSignature(assembly.Decoder, new GenericScope(declaringType.GenericParameters, methodGenerics));

        var names = new string[Signature.ParameterTypes.Length];
        foreach (var p in _definition.GetParameters())
        {
            var parameter = reader.GetParameter(p);
            if (parameter.SequenceNumber >= 1 && parameter.SequenceNumber <= names.Length)
            {
                names[parameter.SequenceNumber - 1] = reader.GetString(parameter.Name);
            }
        }
        Parameters = names.Select((n, i) => new ParameterModel(string.IsNullOrEmpty(n) ? $"param{i}" : n, Signature.ParameterTypes[i])).ToList();
    }

    public MethodDefinitionHandle Handle { get; }

    public TypeModel DeclaringType { get; }

    public string Name { get; }

    public MethodAttributes Attributes { get; }

    public MethodImplAttributes ImplAttributes { get; }

    public int Rva { get; }

    public MethodSignature<TypeSig> Signature { get; }

    public TypeSig ReturnType => Signature.ReturnType;

    public IReadOnlyList<ParameterModel> Parameters { get; }

    public bool IsStatic => (Attributes & MethodAttributes.Static) != 0;

    public bool IsVirtual => (Attributes & MethodAttributes.Virtual) != 0;

    public bool IsAbstract => (Attributes & MethodAttributes.Abstract) != 0;

    public bool HasBody => Rva != 0;

    /// <summary>Signatures of the methods this body calls or takes the address or token of.</summary>
    public IEnumerable<MethodSignature<TypeSig>> ReferencedMethods()
    {
        if (!HasBody) yield break;
        var body = _pe.GetMethodBody(Rva);
        foreach (var handle in IlMethodOperands.Scan(body))
        {
            if (_assembly.DecodeMethodReference(handle) is { } signature) yield return signature;
        }
    }

    public override string ToString() => DeclaringType.FullName + "::" + Name;
}

internal sealed record ParameterModel(string Name, TypeSig Type);
