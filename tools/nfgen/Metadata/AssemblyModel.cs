using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfGen.Metadata;

/// <summary>
/// A compiled assembly as nfgen needs it: its types, their methods with decoded signatures, the
/// methods their bodies call, and the assembly's names and versions. Read with
/// System.Reflection.Metadata from the DLL the C# compiler wrote; nothing is compiled or loaded.
/// </summary>
internal sealed class AssemblyModel
{
    private readonly Dictionary<TypeDefinitionHandle, TypeModel> _byHandle = [];
    private readonly Dictionary<string, TypeModel> _byFullName = new(StringComparer.Ordinal);

    private AssemblyModel(string path, MetadataReader reader, PEReader pe)
    {
        Path = path;
        Reader = reader;
        Pe = pe;
        Decoder = new SignatureDecoder(reader);
        var definition = reader.GetAssemblyDefinition();
        Name = reader.GetString(definition.Name);
        Version = definition.Version;
        NativeVersion = ReadNativeVersion(reader, definition);
        IsCoreLibrary = reader.AssemblyReferences.Count == 0;

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = new TypeModel(this, handle);
            _byHandle[handle] = type;
        }
        foreach (var type in _byHandle.Values)
        {
            _byFullName[type.FullName] = type;
        }
        // Cecil's ModuleDefinition.GetTypes(): each top-level type followed by its nested types.
        var ordered = new List<TypeModel>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = _byHandle[handle];
            if (type.DeclaringType is null) AddWithNested(type, ordered);
        }
        Types = ordered.Where(t => t.FullName != "<Module>").ToList();
        foreach (var type in _byHandle.Values) type.Load(pe);
    }

    public string Path { get; }

    public MetadataReader Reader { get; }

    internal SignatureDecoder Decoder { get; }

    /// <summary>The image, for method bodies.</summary>
    internal PEReader Pe { get; }

    /// <summary>The assembly's simple name, e.g. "NfOta.Interop".</summary>
    public string Name { get; }

    public Version Version { get; }

    /// <summary>[assembly: AssemblyNativeVersion("x.y.z.w")], which nanoCLR checks against the native table; null if absent.</summary>
    public Version? NativeVersion { get; }

    /// <summary>True for the core library (mscorlib): it references no other assembly, so primitives are its own types.</summary>
    public bool IsCoreLibrary { get; }

    /// <summary>Every type but &lt;Module&gt;, in Cecil's GetTypes() order.</summary>
    public IReadOnlyList<TypeModel> Types { get; }

    public static AssemblyModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new NfGenException(NfGenError.AssemblyNotFound, $"assembly not found: {path}");
        }
        catch (DirectoryNotFoundException)
        {
            throw new NfGenException(NfGenError.AssemblyNotFound, $"assembly not found: {path}");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // A folder, a file without read permission, a device: say so rather than crash.
            throw new NfGenException(NfGenError.AssemblyNotReadable, $"cannot read {path} as an assembly file ({(Directory.Exists(path) ? "it is a folder" : e.Message)}): pass the .dll the C# compiler wrote");
        }

        try
        {
            var pe = new PEReader(new MemoryStream(bytes, writable: false));
            if (!pe.HasMetadata) throw new NfGenException(NfGenError.NotAnAssembly, $"{path} has no .NET metadata (is it a .pe or a native file? pass the .dll the C# compiler wrote)");
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) throw new NfGenException(NfGenError.NotAnAssembly, $"{path} is a module, not an assembly");
            return new AssemblyModel(path, reader, pe);
        }
        catch (BadImageFormatException e)
        {
            throw new NfGenException(NfGenError.NotAnAssembly, $"{path} is not a .NET assembly: {e.Message}");
        }
    }

    /// <summary>
    /// Cecil's TypeReference.Resolve(), limited to this module: the type definition a signature
    /// names once arrays, byrefs, modifiers and instantiations are stripped; null for generic
    /// parameters and for types of other assemblies.
    /// </summary>
    public TypeModel? ResolveOwn(TypeSig sig)
    {
        switch (sig.Innermost)
        {
            case PrimitiveSig primitive:
                // In the core library Cecil maps ELEMENT_TYPE_I4 & co. to its own System.* definitions.
                return IsCoreLibrary && _byFullName.TryGetValue(primitive.FullName, out var own) ? own : null;
            case NamedSig named when named.Handle.Kind == HandleKind.TypeDefinition:
                return _byHandle[(TypeDefinitionHandle)named.Handle];
            case NamedSig named:
                return IsOwnScope((TypeReferenceHandle)named.Handle) && _byFullName.TryGetValue(named.FullName, out var byName) ? byName : null;
            default:
                return null;
        }
    }

    public TypeModel ResolveOwn(TypeDefinitionHandle handle) => _byHandle[handle];

    /// <summary>This assembly's type with Cecil's full name ("Namespace.Name", nested "Outer/Inner"), or null.</summary>
    public TypeModel? FindType(string fullName) => _byFullName.GetValueOrDefault(fullName);

    /// <summary>The assembly a type reference points into (name and version), or null when it is this module's.</summary>
    public (string Name, Version Version)? ReferencedAssembly(TypeReferenceHandle handle)
    {
        var scope = Reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.TypeReference => ReferencedAssembly((TypeReferenceHandle)scope),
            HandleKind.AssemblyReference => (Reader.GetString(Reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
                Reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Version),
            _ => null,
        };
    }

    /// <summary>Decode a type handle (definition, reference or specification) to a signature.</summary>
    public TypeSig DecodeType(EntityHandle handle, GenericScope scope) => handle.Kind switch
    {
        HandleKind.TypeDefinition or HandleKind.TypeReference => Decoder.Named(handle),
        HandleKind.TypeSpecification => Reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(Decoder, scope),
        _ => throw new BadImageFormatException($"not a type handle: {handle.Kind}"),
    };

    /// <summary>The return and parameter types of a method a body refers to, or null for a field reference.</summary>
    public MethodSignature<TypeSig>? DecodeMethodReference(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var definition = Reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return definition.DecodeSignature(Decoder, GenericScope.Empty);
            case HandleKind.MemberReference:
                var member = Reader.GetMemberReference((MemberReferenceHandle)handle);
                return member.GetKind() == MemberReferenceKind.Method ? member.DecodeMethodSignature(Decoder, GenericScope.Empty) : null;
            case HandleKind.MethodSpecification:
                // Cecil's GenericInstanceMethod reports its element method's return and parameter types.
                return DecodeMethodReference(Reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return null;
        }
    }

    private bool IsOwnScope(TypeReferenceHandle handle)
    {
        var scope = Reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.ModuleDefinition => true,
            HandleKind.TypeReference => IsOwnScope((TypeReferenceHandle)scope),
            _ => false,
        };
    }

    private static void AddWithNested(TypeModel type, List<TypeModel> into)
    {
        into.Add(type);
        foreach (var nested in type.NestedTypes) AddWithNested(nested, into);
    }

    private static Version? ReadNativeVersion(MetadataReader reader, AssemblyDefinition definition)
    {
        foreach (var handle in definition.GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (AttributeType(reader, attribute)?.Name != "AssemblyNativeVersionAttribute") continue;
            var value = attribute.DecodeValue(new AttributeArgumentDecoder());
            if (value.FixedArguments.Length == 1 && value.FixedArguments[0].Value is string text)
            {
                if (Version.TryParse(text, out var version)) return version;
                throw new NfGenException(NfGenError.BadNativeVersion, $"AssemblyNativeVersion(\"{text}\") is not a version like \"1.0.0.0\"");
            }
        }
        return null;
    }

    /// <summary>The attribute's type as "Namespace.Name" (Cecil's full name for a top-level type).</summary>
    internal static string? AttributeTypeFullName(MetadataReader reader, CustomAttribute attribute) =>
        AttributeType(reader, attribute) is not var (ns, name) ? null
        : ns.Length == 0 ? name : ns + "." + name;

    /// <summary>The namespace and name of the type whose constructor the attribute calls.</summary>
    private static (string Namespace, string Name)? AttributeType(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => (reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Namespace),
                reader.GetString(reader.GetTypeReference((TypeReferenceHandle)type).Name)),
            HandleKind.TypeDefinition => (reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace),
                reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)type).Name)),
            _ => null,
        };
    }

    /// <summary>Only string arguments are needed (AssemblyNativeVersion's one argument).</summary>
    private sealed class AttributeArgumentDecoder : ICustomAttributeTypeProvider<object?>
    {
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode;
        public object? GetSystemType() => null;
        public object? GetSZArrayType(object? elementType) => null;
        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => null;
        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => null;
        public object? GetTypeFromSerializedName(string name) => null;
        public PrimitiveTypeCode GetUnderlyingEnumType(object? type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(object? type) => false;
    }
}
