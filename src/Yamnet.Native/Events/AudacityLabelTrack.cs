using System.Globalization;

namespace Yamnet.Events;

/// <summary>
/// An Audacity label track (File → Import → Labels…): one line per event,
/// <c>start⇥end⇥label</c>, times in seconds with six decimals as Audacity itself exports them.
/// Tabs and line breaks inside a label are written as spaces.
/// </summary>
public static class AudacityLabelTrack
{
    public static void Write(TextWriter writer, IEnumerable<SoundEvent> events)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var e in events)
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{e.StartSeconds:0.000000}\t{e.EndSeconds:0.000000}\t{Clean(e.Label)}\n"));
    }

    internal static string Clean(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
