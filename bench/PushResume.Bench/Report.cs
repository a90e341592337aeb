using System.Globalization;

namespace PushResume.Bench;

/// <summary>Prints the figures of both policies side by side, with the targets for ours.</summary>
public static class Report
{
    public const double MinRaisesPerDay = 5.95;
    public const double MaxRefusedShare = 0.005;
    public static readonly TimeSpan MaxP99Delay = TimeSpan.FromSeconds(90);

    public static void SideBySide(Figures ours, Figures original)
    {
        Console.WriteLine();
        Console.WriteLine($"{ours.Resumes:N0} enabled resumes, {ours.Simulated.TotalHours:0.#} h simulated, hh.ru-like 4 h window; " +
            $"PushResume ticks every minute, the original pushes every 30 minutes");
        Row("", "PushResume", "original (baseline)", "target for PushResume");
        Row("raises per resume per day (ceiling 6)", F(RaisesPerDay(ours)), F(RaisesPerDay(original)), $">= {MinRaisesPerDay}");
        Row("calls refused as too early per raise", P(RefusedShare(ours)), P(RefusedShare(original)), $"< {MaxRefusedShare:P1}");
        Row("delay eligible -> raised mean", S(ours.Delays.DefaultIfEmpty().Average()), S(original.Delays.DefaultIfEmpty().Average()), string.Empty);
        Row("delay eligible -> raised p50", S(Percentile(ours.Delays, 0.50)), S(Percentile(original.Delays, 0.50)), string.Empty);
        Row("delay eligible -> raised p99", S(Percentile(ours.Delays, 0.99)), S(Percentile(original.Delays, 0.99)), $"< {MaxP99Delay.TotalSeconds:0} s");
        Row("delay eligible -> raised max", S(ours.Delays.DefaultIfEmpty().Max()), S(original.Delays.DefaultIfEmpty().Max()), string.Empty);
        Row("table entities read per tick, mean", F(ours.TickReads.DefaultIfEmpty().Average()), F(original.TickReads.DefaultIfEmpty().Average()), string.Empty);
        Row("table entities read per tick, max", F(ours.TickReads.DefaultIfEmpty().Max()), F(original.TickReads.DefaultIfEmpty().Max()), string.Empty);
        Row("ticks", F(ours.TickReads.Count), F(original.TickReads.Count), string.Empty);
        Row("table entities read per raise (all reads)", F(PerRaise(ours)), F(PerRaise(original)), string.Empty);
        Row("pages read by a tick with nothing due, max", F(ours.IdleTickPages.DefaultIfEmpty().Max()), "n/a", "<= 1");
        Row("wall time", $"{ours.Wall.TotalSeconds:0.0} s", $"{original.Wall.TotalSeconds:0.0} s", string.Empty);
        Console.WriteLine(MeetsTargets(ours) ? "PushResume meets every target." : "PushResume MISSES a target.");
        Console.WriteLine("Simulated calls take no time, which flatters the original: in service a raise lands a moment after its run");
        Console.WriteLine("starts, so the original's push 4 h later is refused once more and waits another 30 minutes.");
        Console.WriteLine("PushResume runs here with its lookahead off (Azurite hides messages on its own clock), so its delays are");
        Console.WriteLine("the upper bound: in service a raise is enqueued hidden until due and lands within seconds of eligibility.");
    }

    public static void Scaling(IReadOnlyList<(Figures Ours, Figures Original)> runs)
    {
        Console.WriteLine();
        Console.WriteLine("How PushResume's figures scale with the number of enabled resumes:");
        Row("resumes", "raises/day", "p99 delay", "reads/tick mean", "reads/raise", "wall time");
        foreach (var (ours, _) in runs)
        {
            Row(
                $"{ours.Resumes:N0}",
                F(RaisesPerDay(ours)),
                S(Percentile(ours.Delays, 0.99)),
                F(ours.TickReads.DefaultIfEmpty().Average()),
                F(PerRaise(ours)),
                $"{ours.Wall.TotalSeconds:0.0} s");
        }
    }

    public static bool MeetsTargets(Figures ours) =>
        RaisesPerDay(ours) >= MinRaisesPerDay
        && RefusedShare(ours) < MaxRefusedShare
        && Percentile(ours.Delays, 0.99) < MaxP99Delay.TotalSeconds
        && ours.IdleTickPages.DefaultIfEmpty().Max() <= 1;

    private static double RaisesPerDay(Figures f) => f.Raises / (double)f.Resumes / (f.Simulated.TotalHours / 24);

    private static double RefusedShare(Figures f) => f.Raises == 0 ? 0 : f.Refused / (double)f.Raises;

    private static double PerRaise(Figures f) => f.Raises == 0 ? 0 : f.EntitiesRead / (double)f.Raises;

    private static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile * sorted.Length) - 1)];
    }

    private static string F(double value) => value.ToString(value % 1 == 0 ? "N0" : "N2", CultureInfo.InvariantCulture);

    private static string P(double share) => share.ToString("P2", CultureInfo.InvariantCulture);

    private static string S(double seconds) =>
        seconds < 120 ? $"{seconds:0.0} s" : $"{seconds / 60:0.0} min";

    private static void Row(params string[] cells) =>
        Console.WriteLine(string.Concat(cells.Select((c, i) => i == 0 ? c.PadRight(44) : c.PadRight(22))));
}
