using System.Globalization;
using Yamnet.Events;

namespace Yamnet.Evaluation;

/// <summary>
/// Reads and writes event lists in the DCASE tab-separated format, the one sed_eval and the DCASE
/// challenges use: <c>filename⇥onset⇥offset⇥event_label</c>, times in seconds. Also accepted, as
/// sed_eval does: three columns <c>onset⇥offset⇥event_label</c> (one unnamed file), five columns
/// <c>filename⇥scene⇥onset⇥offset⇥event_label</c>, a header line starting <c>filename⇥</c>, and a
/// line holding only a filename (a file with no events). Blank lines and '#' comments are skipped.
/// </summary>
public static class DcaseEventList
{
    /// <summary>A list's events and every file it names (including files with no events).</summary>
    public sealed record Contents(List<AnnotatedEvent> Events, List<string> Files);

    /// <exception cref="FormatException">A bad line (<c>path:line: reason</c>) or not a text file.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Contents Read(string path)
    {
        var events = new List<AnnotatedEvent>();
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, line) in TextLines.Read(path, "event list"))
        {
            if (TextLines.IsBlankOrComment(line)) continue;
            var f = line.Split('\t');
            if (number == 1 && (f[0].Trim() is "filename" or "file" or "onset")) continue;
            try
            {
                string file;
                if (f.Length == 1 && LooksSpaceSeparated(f[0]))
                    throw new FormatException("fields separated by spaces; the format is tab-separated (filename<TAB>onset<TAB>offset<TAB>event_label)");
                if (f.Length == 1 || (f.Length == 4 && f[1].Trim().Length == 0 && f[2].Trim().Length == 0 && f[3].Trim().Length == 0))
                {
                    file = NonEmpty(f[0], "filename");
                }
                else
                {
                    (file, string on, string off, string label) = f.Length switch
                    {
                        3 => ("", f[0], f[1], f[2]),
                        4 => (NonEmpty(f[0], "filename"), f[1], f[2], f[3]),
                        5 => (NonEmpty(f[0], "filename"), f[2], f[3], f[4]),
                        _ => throw new FormatException($"{f.Length} tab-separated fields; expected filename<TAB>onset<TAB>offset<TAB>event_label"),
                    };
                    double onset = Seconds(on, "onset"), offset = Seconds(off, "offset");
                    if (offset < onset) throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"offset {offset} is before onset {onset}"));
                    events.Add(new AnnotatedEvent(file, onset, offset, NonEmpty(label, "event label")));
                }
                if (seen.Add(file)) files.Add(file);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{number}: {e.Message}");
            }
        }
        return new Contents(events, files);
    }

    /// <summary>Writes <paramref name="events"/> as <c>filename⇥onset⇥offset⇥event_label</c> lines (times with up to 6 decimals).</summary>
    public static void Write(TextWriter writer, IEnumerable<AnnotatedEvent> events)
    {
        foreach (var e in events)
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{e.Filename}\t{Time(e.Onset)}\t{Time(e.Offset)}\t{e.Label}\n"));
    }

    /// <summary>Seconds as the event lists write them: up to 6 decimals, no trailing zeros, invariant culture.</summary>
    public static string Time(double seconds) => Math.Round(seconds, 6).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A line like <c>a.wav 1.5 2 Dog</c>: an event written with spaces, not a file name.</summary>
    private static bool LooksSpaceSeparated(string line)
    {
        var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        static bool Num(string x) => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return (t.Length >= 4 && Num(t[1]) && Num(t[2])) || (t.Length >= 3 && Num(t[0]) && Num(t[1]));
    }

    private static string NonEmpty(string text, string what)
    {
        string t = text.Trim();
        if (t.Length == 0) throw new FormatException($"the {what} is empty");
        return t;
    }

    private static double Seconds(string text, string what)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new FormatException($"{what} '{text.Trim()}' is not a number of seconds");
        if (v < 0) throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{what} {v} is negative"));
        return v;
    }
}
