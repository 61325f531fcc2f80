using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace NfGen.Metadata;

/// <summary>
/// Finds the tokens an IL body uses. The method tokens (call, callvirt, newobj, ldftn, ldvirtftn,
/// jmp, and ldtoken of a method) are the "operands that are method references" MetadataProcessor
/// walks to order types by usage; all of them feed its Minimize.
/// </summary>
internal static class IlMethodOperands
{
    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value), o => o.OperandType);

    public static IEnumerable<EntityHandle> Scan(MethodBodyBlock body) =>
        Tokens(body).Where(h => h.Kind is HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification);

    /// <summary>Every metadata token an IL body names: methods, fields, types (InlineMethod, InlineField, InlineType, InlineTok).</summary>
    public static IEnumerable<EntityHandle> Tokens(MethodBodyBlock body)
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
                case OperandType.InlineField:
                case OperandType.InlineType:
                    found.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return found;
    }
}
