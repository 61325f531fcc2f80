using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfGen.Generation;

/// <summary>
/// nfgen.json: what to read and where each generated file goes. Paths are relative to the
/// file's own folder. Only the outputs named are written.
/// </summary>
internal sealed record NfGenConfig
{
    /// <summary>The compiled interop assembly (.dll).</summary>
    public string Assembly { get; init; } = "";

    /// <summary>MetadataProcessor's GenerateSkeletonName (g_CLR_AssemblyNative_X); default: the assembly name.</summary>
    public string? SkeletonName { get; init; }

    /// <summary>MetadataProcessor's GenerateSkeletonProject (file and Library_ prefix); default: the assembly name.</summary>
    public string? SkeletonProject { get; init; }

    /// <summary>Classes the device build excludes (ExcludeClassByName).</summary>
    public List<string> ExcludeClasses { get; init; } = [];

    /// <summary>Prefix of the C functions, e.g. nf_ota gives nf_ota_NativeOta_Begin.</summary>
    public string CPrefix { get; init; } = "native";

    /// <summary>The host shared library the P/Invoke binding loads (without lib/.so).</summary>
    public string HostLibrary { get; init; } = "native";

    /// <summary>"bridge": user-code files forward to the C functions; "stub": MetadataProcessor's empty stubs.</summary>
    public string UserCode { get; init; } = "bridge";

    public NfGenOutputs Outputs { get; init; } = new();

    [JsonIgnore]
    public string BaseDirectory { get; init; } = ".";

    public string Resolve(string relative) => Path.GetFullPath(Path.Combine(BaseDirectory, relative));

    public static NfGenConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NfGenException(NfGenError.BadConfig, $"no config at {path} (pass --config FILE; in nf-ota it is native/nfgen.json)");
        }
        NfGenConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<NfGenConfig>(json, new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            });
        }
        catch (JsonException e)
        {
            throw new NfGenException(NfGenError.BadConfig, $"{path}: {e.Message}");
        }
        if (config is null || config.Assembly.Length == 0)
        {
            throw new NfGenException(NfGenError.BadConfig, $"{path}: \"assembly\" is required (the compiled interop .dll)");
        }
        if (config.UserCode is not ("bridge" or "stub"))
        {
            throw new NfGenException(NfGenError.BadConfig, $"{path}: \"userCode\" is \"bridge\" or \"stub\", not \"{config.UserCode}\"");
        }
        if (config.UserCode == "bridge" && config.Outputs.Nanoclr is not null && config.Outputs.CHeader is null)
        {
            throw new NfGenException(NfGenError.BadConfig, $"{path}: \"userCode\": \"bridge\" needs outputs.cHeader (the bridge calls the functions it declares)");
        }
        return config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
    }
}

internal sealed record NfGenOutputs
{
    /// <summary>Folder for the nanoCLR stubs (MetadataProcessor layout) and the interop CMake module.</summary>
    public string? Nanoclr { get; init; }

    /// <summary>The C header of the native methods.</summary>
    public string? CHeader { get; init; }

    /// <summary>The host library's exported entry points (C).</summary>
    public string? HostExports { get; init; }

    /// <summary>The .NET P/Invoke implementation of the native class (C#).</summary>
    public string? HostBinding { get; init; }
}
