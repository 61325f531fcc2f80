using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace NfGen.Metadata;

/// <summary>
/// Finds the method tokens an IL body uses (call, callvirt, newobj, ldftn, ldvirtftn, jmp, and
/// ldtoken of a method): the "operands that are method references" MetadataProcessor walks to
/// order types by usage.
/// </summary>
internal static class IlMethodOperands
{
    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value), o => o.OperandType);

    public static IEnumerable<EntityHandle> Scan(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var found = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE) code = (ushort)(0xFE00 | il.ReadByte());
            if (!OperandTypes.TryGetValue(code, out var operand))
            {
                throw new BadImageFormatException($"unknown IL opcode 0x{code:X2} at IL offset {il.Offset - 1}");
            }
            switch (operand)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                    var token = il.ReadInt32();
                    var handle = MetadataTokens.EntityHandle(token);
                    if (handle.Kind is HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification)
                    {
                        found.Add(handle);
                    }
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return found;
    }
}
