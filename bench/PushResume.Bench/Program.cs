using System.Globalization;
using PushResume.Bench;

// Usage: dotnet run -c Release --project bench/PushResume.Bench -- [--resumes 1000,2000] [--hours 24] [--seed 42]
//        dotnet run -c Release --project bench/PushResume.Bench -- load [--seconds 5]
if (args.FirstOrDefault() == "load")
{
    var perLevel = TimeSpan.FromSeconds(double.Parse(args.SkipWhile(a => a != "--seconds").Skip(1).FirstOrDefault() ?? "5", CultureInfo.InvariantCulture));
    return await LoadBenchmark.RunAsync(perLevel) ? 0 : 1;
}

var options = args.Select((value, index) => (value, index)).Where(a => a.value.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(a => a.value[2..], a => args.ElementAtOrDefault(a.index + 1) ?? string.Empty, StringComparer.Ordinal);
var sizes = options.GetValueOrDefault("resumes", "2000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var simulated = TimeSpan.FromHours(double.Parse(options.GetValueOrDefault("hours", "24"), CultureInfo.InvariantCulture));
var seed = int.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);

var runs = new List<(Figures Ours, Figures Original)>();
foreach (var size in sizes)
{
    Console.Error.WriteLine($"Simulating {size:N0} enabled resumes for {simulated.TotalHours:0.#} h ...");
    var ours = await Simulation.RunAsync(Policy.PushResume, size, simulated, seed, CancellationToken.None);
    var original = await Simulation.RunAsync(Policy.Original, size, simulated, seed, CancellationToken.None);
    runs.Add((ours, original));
    Report.SideBySide(ours, original);
}

if (runs.Count > 1)
{
    Report.Scaling(runs);
}

return runs.All(r => Report.MeetsTargets(r.Ours)) ? 0 : 1;
