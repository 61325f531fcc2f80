using System.Globalization;
using System.Reflection;
using System.Reflection.Metadata;

namespace NfGen.Metadata;

/// <summary>A field definition: name, static or not, and for constants (enum members) the value as text.</summary>
internal sealed class FieldModel
{
    internal FieldModel(MetadataReader reader, FieldDefinitionHandle handle)
    {
        var field = reader.GetFieldDefinition(handle);
        Name = reader.GetString(field.Name);
        Attributes = field.Attributes;
        var constant = field.GetDefaultValue();
        if (!constant.IsNil) ConstantText = ConstantAsText(reader, reader.GetConstant(constant));
    }

    public string Name { get; }

    public FieldAttributes Attributes { get; }

    public bool IsStatic => (Attributes & FieldAttributes.Static) != 0;

    public bool IsLiteral => (Attributes & FieldAttributes.Literal) != 0;

    /// <summary>The constant's value as .NET's ToString() prints it (invariant), or null if the field has none.</summary>
    public string? ConstantText { get; }

    private static string ConstantAsText(MetadataReader reader, Constant constant)
    {
        var blob = reader.GetBlobReader(constant.Value);
        return constant.TypeCode switch
        {
            ConstantTypeCode.Boolean => blob.ReadBoolean() ? "True" : "False",
            ConstantTypeCode.Char => blob.ReadChar().ToString(),
            ConstantTypeCode.SByte => blob.ReadSByte().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Byte => blob.ReadByte().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Int16 => blob.ReadInt16().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.UInt16 => blob.ReadUInt16().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Int32 => blob.ReadInt32().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.UInt32 => blob.ReadUInt32().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Int64 => blob.ReadInt64().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.UInt64 => blob.ReadUInt64().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Single => blob.ReadSingle().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.Double => blob.ReadDouble().ToString(CultureInfo.InvariantCulture),
            ConstantTypeCode.String => blob.ReadUTF16(blob.Length),
            _ => string.Empty,
        };
    }
}
