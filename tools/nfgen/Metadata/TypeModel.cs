using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfGen.Metadata;

/// <summary>A type definition with what MetadataProcessor looks at: names, kind, methods, interfaces.</summary>
internal sealed class TypeModel
{
    private readonly AssemblyModel _assembly;
    private readonly TypeDefinition _definition;
    private List<MethodModel> _methods = [];
    private List<TypeSig> _interfaces = [];
    private List<FieldModel> _fields = [];

    internal TypeModel(AssemblyModel assembly, TypeDefinitionHandle handle)
    {
        _assembly = assembly;
        Handle = handle;
        var reader = assembly.Reader;
        _definition = reader.GetTypeDefinition(handle);
        Namespace = reader.GetString(_definition.Namespace);
        Name = reader.GetString(_definition.Name);
        Attributes = _definition.Attributes;
        GenericParameters = _definition.GetGenericParameters().Select(p => reader.GetString(reader.GetGenericParameter(p).Name)).ToList();
    }

    public TypeDefinitionHandle Handle { get; }

    /// <summary>The assembly that defines the type.</summary>
    public AssemblyModel Assembly => _assembly;

    public string Namespace { get; }

    public string Name { get; }

    public TypeAttributes Attributes { get; }

    public IReadOnlyList<string> GenericParameters { get; }

    public TypeModel? DeclaringType
    {
        get
        {
            var declaring = _definition.GetDeclaringType();
            return declaring.IsNil ? null : _assembly.ResolveOwn(declaring);
        }
    }

    public IEnumerable<TypeModel> NestedTypes => _definition.GetNestedTypes().Select(_assembly.ResolveOwn);

    /// <summary>Cecil's FullName: "Namespace.Name", nested "Outer/Inner".</summary>
    public string FullName
    {
        get
        {
            var own = Namespace.Length == 0 ? Name : Namespace + "." + Name;
            return DeclaringType is { } outer ? outer.FullName + "/" + own : own;
        }
    }

    public string? BaseTypeFullName { get; private set; }

    public bool IsInterface => (Attributes & TypeAttributes.Interface) != 0;

    public bool IsEnum => BaseTypeFullName == "System.Enum";

    /// <summary>Cecil: derives from System.Enum, or from System.ValueType without being System.Enum itself.</summary>
    public bool IsValueType => BaseTypeFullName == "System.Enum" || (BaseTypeFullName == "System.ValueType" && FullName != "System.Enum");

    public bool IsMulticastDelegate => BaseTypeFullName == "System.MulticastDelegate";

    public bool IsDelegate => BaseTypeFullName == "System.Delegate" && FullName != "System.MulticastDelegate";

    /// <summary>Full names of the attributes on the type ("System.Runtime.CompilerServices.ExcludeTypeAttribute").</summary>
    public IReadOnlyList<string> AttributeTypes { get; private set; } = [];

    public IReadOnlyList<MethodModel> Methods => _methods;

    public IReadOnlyList<FieldModel> Fields => _fields;

    /// <summary>The base type as a signature (null for System.Object and interfaces).</summary>
    public TypeSig? BaseType { get; private set; }

    /// <summary>Implemented interfaces as signatures (resolve with <see cref="AssemblyModel.ResolveOwn(TypeSig)"/>).</summary>
    public IReadOnlyList<TypeSig> Interfaces => _interfaces;

    internal void Load(PEReader pe)
    {
        var scope = new GenericScope(GenericParameters, []);
        BaseType = _definition.BaseType.IsNil ? null : _assembly.DecodeType(_definition.BaseType, scope);
        BaseTypeFullName = BaseType?.Innermost.FullName;
        _fields = _definition.GetFields().Select(f => new FieldModel(_assembly.Reader, f)).ToList();
        _interfaces = _definition.GetInterfaceImplementations()
            .Select(i => _assembly.DecodeType(_assembly.Reader.GetInterfaceImplementation(i).Interface, scope))
            .ToList();
        _methods = _definition.GetMethods().Select(m => new MethodModel(_assembly, this, m, pe)).ToList();
        AttributeTypes = _definition.GetCustomAttributes()
            .Select(a => AssemblyModel.AttributeTypeFullName(_assembly.Reader, _assembly.Reader.GetCustomAttribute(a)))
            .OfType<string>()
            .ToList();
    }

    public override string ToString() => FullName;
}
