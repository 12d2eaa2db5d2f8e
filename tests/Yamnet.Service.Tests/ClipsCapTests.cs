namespace Yamnet.Service.Tests;

/// <summary><c>--clips-max-mb</c>: when a new clip puts the directory over the cap, the oldest clips go first.</summary>
public sealed class ClipsCapTests
{
    private const long OldSize = 250_000;

    [Fact]
    public void The_oldest_clips_are_deleted_first_until_the_directory_fits()
    {
        string dir = Yamnet.Tests.TestAssets.NewTempDir("clips-cap");
        // Four older clips of 250 000 bytes, a day apart (their age is their modification time).
        var old = Enumerable.Range(0, 4).Select(i =>
        {
            string path = Path.Combine(dir, $"old_cat_2020010{i + 1}T000000.000Z.wav");
            File.WriteAllBytes(path, new byte[OldSize]);
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc));
            return path;
        }).ToList();
        string unrelated = Path.Combine(dir, "notes.txt");
        File.WriteAllBytes(unrelated, new byte[300_000]);
        const double capMb = 1;
        long cap = (long)(capMb * 1024 * 1024);

        short[] scene = Audio.Concat(Audio.Silence(3), Audio.Meow, Audio.Silence(4), Audio.Meow, Audio.Silence(3));
        using var listener = new ListenerProcess(["--input", "-", "--name", "den", "--allow", "Cat", "--save-clips", dir,
            "--pre", "1", "--post", "1", "--clip-format", "wav", "--clips-max-mb", capMb.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        listener.Stdin.Write(Audio.Bytes(scene));
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);

        var clips = listener.Events.Where(e => e.GetProperty("type").GetString() == "end").Select(e => e.GetProperty("clip").GetString()!).ToList();
        clips.Should().HaveCountGreaterThanOrEqualTo(2);
        clips.Should().OnlyContain(c => File.Exists(c), "the newest clips are kept");
        long clipBytes = clips.Sum(c => new FileInfo(c).Length);
        clipBytes.Should().BeLessThan(cap - OldSize, "the test's own clips fit the cap with room to spare, so only older ones are deleted");

        var left = old.Where(File.Exists).ToList();
        var deleted = old.Except(left).ToList();
        deleted.Should().NotBeEmpty("the new clips put the directory over the cap");
        deleted.Should().Equal(old.Take(deleted.Count), "the oldest go first");
        left.Should().NotBeEmpty("deletion stops once the directory fits");
        long total = new DirectoryInfo(dir).EnumerateFiles("*.wav").Sum(f => f.Length);
        total.Should().BeLessThanOrEqualTo(cap);
        // Replaying the rule on the sizes: after each new clip, drop the oldest until the total fits.
        var model = old.Select(p => OldSize).ToList();
        int expectDeleted = 0;
        foreach (long size in clips.Select(c => new FileInfo(c).Length))
        {
            model.Add(size);
            while (model.Sum() > cap) { model.RemoveAt(0); expectDeleted++; }
        }
        deleted.Should().HaveCount(expectDeleted, "no more is deleted than needed to fit");
        File.Exists(unrelated).Should().BeTrue("only clips count and are deleted");
        listener.StderrLines.Count(l => l.Contains("deleted (clips over")).Should().Be(deleted.Count);
    }
}
