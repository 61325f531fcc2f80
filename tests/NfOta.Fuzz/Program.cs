using System.Diagnostics;
using System.Security.Cryptography;
using NfOta.Fuzz;

// fuzz [--seconds N per target] [--target NAME] [--seed S] [--out DIR]
var seconds = 30.0;
string? only = null;
var seed = Environment.TickCount;
var outDir = Path.Combine(AppContext.BaseDirectory, "findings");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--target": only = args[++i]; break;
        case "--seed": seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--out": outDir = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: fuzz [--seconds N] [--target {string.Join('|', Targets.All.Select(t => t.Name))}] [--seed S] [--out DIR]");
            return 2;
    }
}

Console.WriteLine($"fuzzing {(only ?? "every parser")} for {seconds:0.#} s each, seed {seed}, findings to {outDir}");
var total = 0;
foreach (var target in Targets.All.Where(t => only is null || t.Name == only))
{
    var mutator = new Mutator(seed);
    var corpus = new List<byte[]>(target.Seeds);
    var findings = new Dictionary<string, byte[]>();
    long executions = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        var input = mutator.Mutate(corpus[Random.Shared.Next(corpus.Count)], corpus);
        executions++;
        var broke = target.Check(input);
        if (broke is not null)
        {
            var signature = $"{broke.GetType().Name} at {broke.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
            if (findings.TryAdd(signature, input))
            {
                var dir = Path.Combine(outDir, target.Name);
                Directory.CreateDirectory(dir);
                var file = Path.Combine(dir, Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
                File.WriteAllBytes(file, input);
                Console.WriteLine($"  {target.Name}: {signature} -> {file}");
            }
        }
        else if (executions % 64 == 0 && corpus.Count < 256)
        {
            corpus.Add(input); // keep some survivors: mutations of mutations reach deeper states
        }
    }
    Console.WriteLine($"{target.Name,-18} {executions,10:N0} executions ({executions / watch.Elapsed.TotalSeconds,8:N0}/s), {findings.Count} distinct findings");
    total += findings.Count;
}
return total == 0 ? 0 : 1;
