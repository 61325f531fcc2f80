using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using NfGen.Metadata;

namespace NfGen.Checksum;

/// <summary>
/// MetadataProcessor's Minimize (nanoAssemblyBuilder, v3): start from every type the build keeps
/// and add, until nothing changes, what those types and their members use. An excluded class that
/// a kept one uses (an event-args class in a handler's signature, a struct in a field) comes back
/// into the .pe, with only the members the kept code reaches; its methods then take lookup-table
/// entries (NULL), and nanoCLR finds handlers by index, so the set must be exactly MDP's.
/// </summary>
/// <remarks>
/// Follows MDP's rules for which type a signature position pulls in, quirks included: a local of a
/// nested type pulls in the declaring type instead (unless it is an enum); an array pulls in its
/// element type, or the element's declaring type when the element is nested; a type's fields and
/// methods are pulled in with it only when the type is not excluded; a field or method reached by a
/// token does not pull in its declaring type. Only this assembly's own definitions matter here.
/// </remarks>
internal sealed class Minimizer
{
    private readonly AssemblyModel _assembly;
    private readonly MetadataReader _reader;
    private readonly IReadOnlySet<string> _excluded;
    private readonly HashSet<EntityHandle> _set = [];
    private readonly Queue<EntityHandle> _pending = new();

    private Minimizer(AssemblyModel assembly, IReadOnlySet<string> excluded)
    {
        _assembly = assembly;
        _reader = assembly.Reader;
        _excluded = excluded;
    }

    /// <summary>The type and method definitions Minimize keeps.</summary>
    public sealed record Result(IReadOnlySet<TypeDefinitionHandle> Types, IReadOnlySet<MethodDefinitionHandle> Methods);

    public static Result Run(AssemblyModel assembly, IReadOnlySet<string> excluded)
    {
        var minimizer = new Minimizer(assembly, excluded);
        foreach (var type in assembly.Types.Where(t => !IsToExclude(t, excluded))) minimizer.Add(type.Handle);
        while (minimizer._pending.TryDequeue(out var next)) minimizer.Visit(next);
        return new Result(
            minimizer._set.Where(h => h.Kind == HandleKind.TypeDefinition).Select(h => (TypeDefinitionHandle)h).ToHashSet(),
            minimizer._set.Where(h => h.Kind == HandleKind.MethodDefinition).Select(h => (MethodDefinitionHandle)h).ToHashSet());
    }

    /// <summary>TypeDefinition.IsToExclude: by full name, by short name, or by the declaring type's full name.</summary>
    public static bool IsToExclude(TypeModel type, IReadOnlySet<string> excluded) =>
        excluded.Contains(type.FullName) || excluded.Contains(type.Name) || (type.DeclaringType is { } outer && excluded.Contains(outer.FullName));

    private void Add(EntityHandle handle)
    {
        if (!handle.IsNil && _set.Add(handle)) _pending.Enqueue(handle);
    }

    private void Visit(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                VisitType(_assembly.ResolveOwn((TypeDefinitionHandle)handle));
                break;
            case HandleKind.FieldDefinition:
                VisitField((FieldDefinitionHandle)handle);
                break;
            case HandleKind.MethodDefinition:
                VisitMethod((MethodDefinitionHandle)handle);
                break;
            case HandleKind.MemberReference:
                VisitMemberReference((MemberReferenceHandle)handle);
                break;
            // Type references and specifications, method specifications and the rest lead to no
            // definition of this assembly in MDP's closure.
        }
    }

    private void VisitType(TypeModel type)
    {
        var definition = _reader.GetTypeDefinition(type.Handle);
        if (!definition.BaseType.IsNil) Add(definition.BaseType);
        if (!definition.GetDeclaringType().IsNil) Add(definition.GetDeclaringType());
        AddAttributes(definition.GetCustomAttributes());
        var keepMembers = !_excluded.Contains(type.FullName);
        foreach (var field in definition.GetFields())
        {
            if (keepMembers && (_reader.GetFieldDefinition(field).Attributes & System.Reflection.FieldAttributes.Literal) == 0) Add(field);
        }
        foreach (var method in definition.GetMethods())
        {
            if (keepMembers) Add(method);
        }
        foreach (var implementation in definition.GetInterfaceImplementations())
        {
            var iface = _reader.GetInterfaceImplementation(implementation).Interface;
            if (!_excluded.Contains(_assembly.DecodeType(iface, GenericScope.Empty).FullName)) Add(iface);
        }
    }

    private void VisitField(FieldDefinitionHandle handle)
    {
        var field = _reader.GetFieldDefinition(handle);
        var type = field.DecodeSignature(_assembly.Decoder, GenericScope.Empty);
        switch (type)
        {
            case GenericInstSig generic:
                AddOwn(generic.Definition);
                break;
            case SzArraySig or ArraySig:
                if (DeclaringTypeOf(type) is { } outer) AddOwn(outer);
                else AddElement(type);
                break;
            default:
                AddOwn(type);
                break;
        }
        AddAttributes(field.GetCustomAttributes());
    }

    private void VisitMethod(MethodDefinitionHandle handle)
    {
        var method = _reader.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(_assembly.Decoder, GenericScope.Empty);
        AddReturnOrParameter(signature.ReturnType, isReturn: true);
        foreach (var parameter in signature.ParameterTypes)
        {
            AddReturnOrParameter(parameter is ByRefSig byRef ? byRef.Element : parameter, isReturn: false);
        }
        if (method.RelativeVirtualAddress != 0)
        {
            var body = _assembly.Pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                var locals = _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_assembly.Decoder, GenericScope.Empty);
                foreach (var local in locals) AddLocal(local);
            }
            foreach (var token in IlMethodOperands.Tokens(body)) Add(token);
            foreach (var region in body.ExceptionRegions)
            {
                if (region.Kind != ExceptionRegionKind.Filter && !region.CatchType.IsNil) Add(region.CatchType);
            }
        }
        AddAttributes(method.GetCustomAttributes());
    }

    private void VisitMemberReference(MemberReferenceHandle handle)
    {
        var member = _reader.GetMemberReference(handle);
        if (member.GetKind() != MemberReferenceKind.Method) return; // a field's type adds nothing of this assembly but its own definition's
        if (member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference) Add(member.Parent);
        var signature = member.DecodeMethodSignature(_assembly.Decoder, GenericScope.Empty);
        var returned = signature.ReturnType;
        if (returned is SzArraySig or ArraySig)
        {
            if (DeclaringTypeOf(returned) is { } outer) AddOwn(outer);
            else AddElement(returned);
        }
        else
        {
            AddOwn(returned);
        }
        foreach (var parameter in signature.ParameterTypes)
        {
            // Additive in MDP: a nested parameter type adds its declaring type (or itself, for an enum), and itself.
            if (DeclaringTypeOf(parameter) is { } outer && !IsOwnEnum(parameter)) AddOwn(outer);
            if (parameter is GenericInstSig generic) AddOwn(generic.Definition);
            else if (parameter is not (SzArraySig or ArraySig or ByRefSig)) AddOwn(parameter);
        }
    }

    /// <summary>
    /// A MethodDefinition's return or (byref-stripped) parameter type. An instantiation adds its
    /// generic definition as a parameter, but only itself (a type specification) as a return type.
    /// </summary>
    private void AddReturnOrParameter(TypeSig type, bool isReturn)
    {
        switch (type)
        {
            case SzArraySig or ArraySig:
                if (DeclaringTypeOf(type) is { } outer) AddOwn(outer);
                else AddElement(type);
                break;
            case GenericInstSig generic:
                if (!isReturn) AddOwn(generic.Definition);
                break;
            default:
                AddOwn(type);
                break;
        }
    }

    private void AddLocal(TypeSig type)
    {
        if (type is PinnedSig pinned) type = pinned.Element;
        if (DeclaringTypeOf(type) is { } outer)
        {
            // MDP adds a nested local's declaring type, or the local's own type when it is an enum.
            if (IsOwnEnum(type)) AddOwn(type);
            else AddOwn(outer);
            return;
        }
        switch (type)
        {
            case SzArraySig or ArraySig:
                AddElement(type);
                break;
            case GenericInstSig generic:
                AddOwn(generic.Definition);
                break;
            default:
                AddOwn(type);
                break;
        }
    }

    /// <summary>An array's element type when it is not primitive, string, object or void.</summary>
    private void AddElement(TypeSig array) => AddOwn(array.Innermost);

    /// <summary>Adds the type definition a plain signature names, when it is this assembly's.</summary>
    private void AddOwn(TypeSig type)
    {
        if (type is NamedSig { Handle.Kind: HandleKind.TypeDefinition } named) Add(named.Handle);
    }

    /// <summary>Cecil's TypeReference.DeclaringType, which arrays, byrefs and instantiations take from their element.</summary>
    private static NamedSig? DeclaringTypeOf(TypeSig type) => type.Innermost is NamedSig named ? named.DeclaringType : null;

    private bool IsOwnEnum(TypeSig type) => _assembly.ResolveOwn(type) is { IsEnum: true };

    private void AddAttributes(CustomAttributeHandleCollection attributes)
    {
        foreach (var handle in attributes)
        {
            var attribute = _reader.GetCustomAttribute(handle);
            var name = AssemblyModel.AttributeTypeFullName(_reader, attribute);
            if (name is null || _excluded.Contains(name) || IgnoredAttributes.Contains(name) || name.StartsWith("System.Diagnostics.CodeAnalysis", StringComparison.Ordinal)) continue;
            Add(attribute.Constructor);
        }
    }

    /// <summary>MetadataProcessor's IgnoringAttributes: attributes it never writes to a .pe.</summary>
    public static readonly IReadOnlySet<string> IgnoredAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Reflection.AssemblyFileVersionAttribute",
        "System.Runtime.InteropServices.ComVisibleAttribute",
        "System.Runtime.InteropServices.GuidAttribute",
        "System.ParamArrayAttribute",
        "System.SerializableAttribute",
        "System.NonSerializedAttribute",
        "System.Runtime.InteropServices.StructLayoutAttribute",
        "System.Runtime.InteropServices.LayoutKind",
        "System.Runtime.InteropServices.OutAttribute",
        "System.Runtime.CompilerServices.ExtensionAttribute",
        "System.Runtime.CompilerServices.MethodImplAttribute",
        "System.Runtime.CompilerServices.NullableAttribute",
        "System.Runtime.CompilerServices.NullableContextAttribute",
        "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
        "System.Runtime.CompilerServices.IndexerNameAttribute",
        "System.Runtime.CompilerServices.MethodImplOptions",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Reflection.FieldNoReflectionAttribute",
        "System.Diagnostics.DebuggableAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerBrowsableState",
        "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute",
        "System.Diagnostics.DebuggerDisplayAttribute",
        "System.AttributeUsageAttribute",
        "System.CLSCompliantAttribute",
        "System.FlagsAttribute",
        "System.ObsoleteAttribute",
        "System.Diagnostics.ConditionalAttribute",
        "System.ComponentModel.EditorBrowsableAttribute",
        "System.Reflection.DefaultMemberAttribute",
        "System.MTAThreadAttribute",
        "System.STAThreadAttribute",
    };
}
