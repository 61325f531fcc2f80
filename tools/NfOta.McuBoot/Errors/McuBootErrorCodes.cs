using System.Text;

namespace NfOta.McuBoot.Errors;

/// <summary>The stable, script-friendly code of each <see cref="McuBootError"/>.</summary>
public static class McuBootErrorCodes
{
    /// <summary><c>McubootHashMismatch</c> becomes <c>mcuboot-hash-mismatch</c>.</summary>
    public static string ToCode(this McuBootError error)
    {
        var name = error.ToString();
        var code = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) code.Append('-');
            code.Append(char.ToLowerInvariant(name[i]));
        }
        return code.ToString();
    }
}
