using System.CommandLine;
using NfGen.Checksum;
using NfGen.Generation;
using NfGen.Metadata;
using NfGen.Stubs;

namespace NfGen;

/// <summary>
/// nfgen's command line. Exit codes: 0 done (or up to date), 1 generated files out of date
/// (--check), 2 bad input (missing assembly, bad config, unsupported signature).
/// </summary>
internal static class NfGenCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot(output, error);
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (NfGenException e)
        {
            error.WriteLine($"nfgen: error: {e.Message} [{e.Code}]");
            return e.Error == NfGenError.OutOfDate ? 1 : 2;
        }
    }

    private static RootCommand BuildRoot(TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo>("--config")
        {
            Description = "The nfgen.json that names the assembly and the outputs (default: ./nfgen.json).",
            DefaultValueFactory = _ => new FileInfo("nfgen.json"),
        };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 if any generated file differs from what nfgen would write." };
        var assemblyOverride = new Option<FileInfo?>("--assembly") { Description = "Read this assembly instead of the one the config names (e.g. a Release build)." };

        var root = new RootCommand(
            "nfgen: the nanoFramework interop generator, without Roslyn or Windows. Reads a compiled interop assembly " +
            "and writes the nanoCLR stubs (MetadataProcessor's layout and native checksum), the C header of the native " +
            "methods, and the host binding that runs the same C on a PC. With no command: generate what nfgen.json asks for.")
        {
            config,
            check,
            assemblyOverride,
        };
        root.SetAction(parse =>
        {
            var settings = NfGenConfig.Load(parse.GetRequiredValue(config).FullName);
            var plan = GenerationPlan.Create(settings, parse.GetValue(assemblyOverride)?.FullName);
            var root = Directory.GetCurrentDirectory();
            if (parse.GetValue(check))
            {
                var stale = plan.OutOfDate().ToList();
                if (stale.Count == 0)
                {
                    output.WriteLine($"nfgen: {plan.Files.Count} generated files up to date (native checksum 0x{plan.Layout.Checksum:X8})");
                    return 0;
                }
                foreach (var file in stale)
                {
                    error.WriteLine($"out of date: {Path.GetRelativePath(root, file.Path)}");
                }
                throw new NfGenException(NfGenError.OutOfDate,
                    $"{stale.Count} of {plan.Files.Count} generated files differ from {plan.Layout.Assembly.Name}; run nfgen --config {parse.GetRequiredValue(config)} and commit the result");
            }
            var written = plan.Write();
            foreach (var file in written) output.WriteLine($"wrote {Path.GetRelativePath(root, file.Path)}");
            output.WriteLine($"nfgen: {written.Count} written, {plan.Files.Count - written.Count} unchanged (native checksum 0x{plan.Layout.Checksum:X8})");
            return 0;
        });

        root.Subcommands.Add(ChecksumCommand(output));
        root.Subcommands.Add(StubsCommand(output));
        return root;
    }

    /// <summary>--exclude, --exclude-file and --nfproj: the classes the device build leaves out.</summary>
    private sealed class ExclusionOptions
    {
        public Option<string[]> Names { get; } = new("--exclude") { Description = "Full name of a class the device build excludes (MetadataProcessor's ExcludeClassByName); repeat for several." };

        public Option<FileInfo?> ListFile { get; } = new("--exclude-file") { Description = "A file of class names to exclude, one per line (# starts a comment)." };

        public Option<FileInfo?> Nfproj { get; } = new("--nfproj") { Description = "Read the classes to exclude from this .nfproj's NFMDP_PE_ExcludeClassByName items (and, for stubs, its references' HintPaths)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Names);
            command.Options.Add(ListFile);
            command.Options.Add(Nfproj);
        }

        public List<string> Read(ParseResult parse)
        {
            var names = new List<string>(parse.GetValue(Names) ?? []);
            if (parse.GetValue(ListFile) is { } list) names.AddRange(ExcludedClasses.FromListFile(list.FullName));
            if (parse.GetValue(Nfproj) is { } nfproj) names.AddRange(ExcludedClasses.FromNfproj(nfproj.FullName));
            return names;
        }
    }

    private static Command ChecksumCommand(TextWriter output)
    {
        var assembly = new Argument<FileInfo>("assembly") { Description = "The compiled interop assembly (.dll) to read." };
        var exclude = new ExclusionOptions();
        var methods = new Option<bool>("--methods") { Description = "Also list method_lookup[], one line per entry." };
        var types = new Option<bool>("--types") { Description = "Also list the types in table order with their virtual/instance/static method counts." };
        var command = new Command("checksum", "Print the native methods checksum MetadataProcessor computes for an assembly (0xXXXXXXXX).")
        {
            assembly,
            methods,
            types,
        };
        exclude.AddTo(command);
        command.SetAction(parse =>
        {
            var model = AssemblyModel.Load(parse.GetRequiredValue(assembly).FullName);
            var layout = NativeLayout.Compute(model, exclude.Read(parse));
            output.WriteLine($"0x{layout.Checksum:X8}");
            if (parse.GetValue(types))
            {
                foreach (var type in layout.Types)
                {
                    var all = type.Methods;
                    output.WriteLine($"{type.FullName} {all.Count(m => m.IsVirtual)}/{all.Count(m => !m.IsVirtual && !m.IsStatic)}/{all.Count(m => m.IsStatic)}");
                }
            }
            if (parse.GetValue(methods))
            {
                foreach (var entry in layout.LookupTable)
                {
                    output.WriteLine(entry is null ? "NULL" : $"{entry.ClassName}::{entry.MethodName}");
                }
            }
            return 0;
        });
        return command;
    }

    private static Command StubsCommand(TextWriter output)
    {
        var assembly = new Argument<FileInfo>("assembly") { Description = "The compiled interop assembly (.dll) to read." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write the stubs into.", Required = true };
        var name = new Option<string?>("--name") { Description = "MetadataProcessor's skeleton name (default: the assembly name)." };
        var project = new Option<string?>("--project") { Description = "MetadataProcessor's skeleton project (default: the assembly name)." };
        var coreLibrary = new Option<bool>("--core-library")
        {
            Description = "Write what MetadataProcessor writes for a core library (-compile X.pe true, the .nfproj's NF_IsCoreLibrary True): " +
                "the assembly header includes corlib_native.h. Also on when the --nfproj says NF_IsCoreLibrary True.",
        };
        var cmakeBeside = new Option<bool>("--cmake-beside")
        {
            Description = "The FindINTEROP module looks for the stubs in its own folder (${CMAKE_CURRENT_LIST_DIR}), for a module kept beside " +
                "them on CMAKE_MODULE_PATH; default: ${PROJECT_SOURCE_DIR}/InteropAssemblies/<Assembly>, where nanoFramework's docs put them.",
        };
        var cmakeInclude = new Option<string[]>("--cmake-include")
        {
            Description = "A folder, relative to the stubs, the FindINTEROP module adds to the include directories (the C header the user code calls); repeat for several.",
        };
        var withoutInterop = new Option<bool>("--without-interop-code")
        {
            Description = "As MetadataProcessor's -generateskeleton with its last argument true (nf-interpreter's own libraries): per class one .cpp " +
                "of handlers that take the stack frame (NotImplementedStub bodies), no marshalling file, no user-code header.",
        };
        var exclude = new ExclusionOptions();
        var references = new Option<FileInfo[]>("--reference")
        {
            Description = "An assembly the interop assembly references (mscorlib.dll, another library); repeat for several. " +
                "Needed to number the fields of classes whose base class is in it (structs: mscorlib). " +
                "The assembly's own folder and the --nfproj's HintPaths are searched too.",
        };
        var command = new Command("stubs", "Write MetadataProcessor-style nanoCLR stubs for any interop assembly, with empty user-code stubs to fill in.")
        {
            assembly,
            outDir,
            name,
            project,
            coreLibrary,
            cmakeBeside,
            cmakeInclude,
            withoutInterop,
            references,
        };
        exclude.AddTo(command);
        command.SetAction(parse =>
        {
            var model = AssemblyModel.Load(parse.GetRequiredValue(assembly).FullName);
            var excluded = exclude.Read(parse);
            var layout = NativeLayout.Compute(model, excluded);
            if (layout.Classes.Count == 0)
            {
                throw new NfGenException(NfGenError.NoNativeMethods, $"{model.Name} declares no native method; there is nothing to generate");
            }
            var names = new StubNames(model.Name, parse.GetValue(name) ?? model.Name, parse.GetValue(project) ?? model.Name);
            var paths = (parse.GetValue(references) ?? []).Select(f => f.FullName).ToList();
            var isCoreLibrary = parse.GetValue(coreLibrary);
            if (parse.GetValue(exclude.Nfproj) is { } nfproj)
            {
                paths.AddRange(ProjectReferences.HintPaths(nfproj.FullName));
                isCoreLibrary |= ProjectReferences.IsCoreLibrary(nfproj.FullName);
            }
            var writer = new NanoClrStubWriter(layout, names, new ReferenceSet(model, paths), isCoreLibrary);
            var files = new List<GeneratedFile> { writer.AssemblyHeader(), writer.LookupTable() };
            var noInterop = parse.GetValue(withoutInterop);
            foreach (var nativeClass in layout.Classes)
            {
                if (noInterop)
                {
                    files.Add(writer.ClassStubWithoutInterop(nativeClass));
                    continue;
                }
                files.Add(writer.Marshalling(nativeClass));
                files.Add(writer.ClassHeader(nativeClass));
                files.Add(writer.UserCodeStub(nativeClass));
            }
            files.Add(writer.CMakeModule(parse.GetValue(cmakeInclude) ?? [], parse.GetValue(cmakeBeside) ? "${CMAKE_CURRENT_LIST_DIR}" : null, noInterop));
            var folder = parse.GetRequiredValue(outDir).FullName;
            Directory.CreateDirectory(folder);
            foreach (var file in files)
            {
                File.WriteAllText(Path.Combine(folder, file.Path), file.Content);
                output.WriteLine($"wrote {Path.Combine(folder, file.Path)}");
            }
            output.WriteLine($"nfgen: native checksum 0x{layout.Checksum:X8}");
            return 0;
        });
        return command;
    }
}
