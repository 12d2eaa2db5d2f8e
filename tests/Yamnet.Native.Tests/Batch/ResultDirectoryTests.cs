using System.Text;
using Yamnet.Batch;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Batch;

public class ResultDirectoryTests
{
    private static readonly string FingerprintA = new RunFingerprint().Add("model", "a").Hex;
    private static readonly string FingerprintB = new RunFingerprint().Add("model", "b").Hex;

    private static void Stamped(Stream s, string fingerprint, string body) => s.Write(Encoding.UTF8.GetBytes($"{{\"run_fingerprint\":\"{fingerprint}\",\"body\":\"{body}\"}}"));

    [Fact]
    public void Fingerprint_depends_on_every_setting_and_its_order()
    {
        var a = new RunFingerprint().Add("x", "1").Add("y", "2").Hex;
        a.Should().HaveLength(64).And.Be(new RunFingerprint().Add("x", "1").Add("y", "2").Hex);
        a.Should().NotBe(new RunFingerprint().Add("y", "2").Add("x", "1").Hex);
        a.Should().NotBe(new RunFingerprint().Add("x", "1").Add("y", "3").Hex);
        new RunFingerprint().Add("x", "1=y").Hex.Should().NotBe(new RunFingerprint().Add("x", "1").Add("y", "").Hex);
        FluentActions.Invoking(() => new RunFingerprint().Add("x", "a\nb")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Result_names_mirror_the_input_path_and_never_leave_the_directory()
    {
        string cwd = Environment.CurrentDirectory;
        ResultDirectory.RelativeNameFor("rec/a.flac").Should().Be("rec/a.flac");
        ResultDirectory.RelativeNameFor("./rec/./a.flac").Should().Be("rec/a.flac");
        ResultDirectory.RelativeNameFor(Path.Combine(cwd, "rec", "a.flac")).Should().Be("rec/a.flac");
        ResultDirectory.RelativeNameFor("/srv/archive/a.flac").Should().NotStartWith("/").And.NotContain("..");
        string up = ResultDirectory.RelativeNameFor("../../x.wav");
        up.Should().NotStartWith("/").And.NotContain("../");
        var dir = new ResultDirectory("/tmp/out", ".json", FingerprintA, stampInSidecar: false);
        dir.ResultPathFor("rec/a.flac").Should().Be("/tmp/out/rec/a.flac.json");
        Path.GetFullPath(dir.ResultPathFor("../../../etc/passwd")).Should().StartWith("/tmp/out/");
    }

    [Fact]
    public void Missing_then_written_then_done_and_another_fingerprint_sees_a_foreign_file()
    {
        string root = TestAssets.NewTempDir("resultdir");
        var a = new ResultDirectory(root, ".json", FingerprintA, stampInSidecar: false);
        a.Check("x/clip.wav").Should().Be(ResultState.Missing);
        a.Write("x/clip.wav", s => Stamped(s, FingerprintA, "one")).Should().BeTrue();
        a.Check("x/clip.wav").Should().Be(ResultState.Done);
        Directory.EnumerateFileSystemEntries(Path.Combine(root, "x")).Should().ContainSingle("no temp file is left behind");

        var b = new ResultDirectory(root, ".json", FingerprintB, stampInSidecar: false);
        b.Check("x/clip.wav").Should().Be(ResultState.Foreign);
        b.Write("x/clip.wav", s => Stamped(s, FingerprintB, "two")).Should().BeFalse("never replace a result made with other options unless asked");
        File.ReadAllText(a.ResultPathFor("x/clip.wav")).Should().Contain("one");

        var overwrite = new ResultDirectory(root, ".json", FingerprintB, stampInSidecar: false) { Overwrite = true };
        overwrite.Write("x/clip.wav", s => Stamped(s, FingerprintB, "two")).Should().BeTrue();
        b.Check("x/clip.wav").Should().Be(ResultState.Done);
        a.Check("x/clip.wav").Should().Be(ResultState.Foreign);
    }

    [Fact]
    public void A_users_file_is_never_replaced_without_overwrite()
    {
        string root = TestAssets.NewTempDir("resultdir");
        var dir = new ResultDirectory(root, ".csv", FingerprintA, stampInSidecar: true);
        string path = dir.ResultPathFor("clip.wav");
        File.WriteAllText(path, "my notes");
        dir.Check("clip.wav").Should().Be(ResultState.Foreign);
        dir.Write("clip.wav", s => s.Write("a,b\n"u8)).Should().BeFalse();
        File.ReadAllText(path).Should().Be("my notes");
    }

    [Fact]
    public void Sidecar_stamp_for_formats_without_a_header()
    {
        string root = TestAssets.NewTempDir("resultdir");
        var dir = new ResultDirectory(root, ".csv", FingerprintA, stampInSidecar: true);
        dir.Write("clip.wav", s => s.Write("file,window\n"u8)).Should().BeTrue();
        File.ReadAllText(dir.ResultPathFor("clip.wav")).Should().Be("file,window\n", "the result itself stays a plain CSV");
        File.ReadAllText(ResultDirectory.SidecarPathFor(dir.ResultPathFor("clip.wav"))).Should().Contain(FingerprintA);
        dir.Check("clip.wav").Should().Be(ResultState.Done);
        new ResultDirectory(root, ".csv", FingerprintB, stampInSidecar: true).Check("clip.wav").Should().Be(ResultState.Foreign);
    }

    [Fact]
    public void A_writer_that_fails_leaves_no_result_and_no_temp_file()
    {
        string root = TestAssets.NewTempDir("resultdir");
        var dir = new ResultDirectory(root, ".json", FingerprintA, stampInSidecar: false);
        FluentActions.Invoking(() => dir.Write("clip.wav", s =>
        {
            Stamped(s, FingerprintA, "half");
            throw new IOException("disk full");
        })).Should().Throw<IOException>();
        dir.Check("clip.wav").Should().Be(ResultState.Missing);
        Directory.EnumerateFileSystemEntries(root).Should().BeEmpty();
    }

    [Fact]
    public void Plan_takes_the_shard_then_skips_done_results_and_holds_back_conflicts()
    {
        string root = TestAssets.NewTempDir("resultdir");
        var dir = new ResultDirectory(root, ".json", FingerprintA, stampInSidecar: false);
        var inputs = Enumerable.Range(0, 40).Select(i => $"in/{i}.wav").ToList();
        dir.Write(inputs[0], s => Stamped(s, FingerprintA, "done"));
        File.WriteAllText(dir.ResultPathFor(inputs[1]), "user file");

        var all = BatchPlan<string>.Create(inputs, p => p, ShardSpec.All, dir);
        all.Done.Should().Equal(inputs[0]);
        all.Conflicts.Should().Equal(inputs[1]);
        all.ToRun.Should().Equal(inputs.Skip(2));

        var shards = Enumerable.Range(0, 3).Select(i => BatchPlan<string>.Create(inputs, p => p, new ShardSpec(i, 3), null)).ToList();
        shards.SelectMany(p => p.ToRun).Order().Should().Equal(inputs.Order(), "three shards cover every input exactly once");
        shards.Should().OnlyContain(p => p.OtherShards == inputs.Count - p.ToRun.Count);
        BatchPlan<string>.Create(inputs.Select(p => "./" + p).ToList(), p => p, new ShardSpec(0, 3), null).ToRun
            .Should().Equal(shards[0].ToRun.Select(p => "./" + p), "the shard key is the path relative to the current directory");
    }
}
