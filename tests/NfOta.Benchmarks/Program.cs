using NfOta.Benchmarks;

var name = args.Length > 0 ? args[0] : "all";
var known = new Dictionary<string, Func<int>>
{
    ["flash-encrypt"] = () => FlashEncryptBenchmark.Run(megabytes: 16),
    ["ota-stream"] = () => OtaStreamBenchmark.Run(imageMegabytes: 4) | ResumeBenchmark.Run(imageBytes: 2_000_000 - 8192, cuts: 100) | AppUpdateBenchmark.Run(appKilobytes: 200) | EraseModesBenchmark.Run(),
    ["erase-modes"] = EraseModesBenchmark.Run,
    ["resume"] = () => ResumeBenchmark.Run(imageBytes: 2_000_000 - 8192, cuts: 100),
    ["app-update"] = () => AppUpdateBenchmark.Run(appKilobytes: 200),
    ["pre-encrypted"] = () => PreEncryptedBenchmark.Run(imageKilobytes: 1536),
    ["power-cuts"] = () => PowerCutBenchmark.Run(imageKilobytes: 8, everyNth: 5),
    ["fleet-load"] = FleetLoadBenchmark.Run,
};
// `all` runs each benchmark once: ota-stream already runs resume and app-update.
string[] all = ["flash-encrypt", "ota-stream", "pre-encrypted", "fleet-load"];
if (name == "all")
{
    var result = 0;
    foreach (var each in all) result |= known[each]();
    return result;
}
if (!known.TryGetValue(name, out var bench))
{
    Console.Error.WriteLine($"unknown benchmark '{name}'; known: {string.Join(", ", known.Keys)}, all ({string.Join(", ", all)})");
    return 2;
}
return bench();
