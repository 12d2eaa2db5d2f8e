using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class EmbedCommandTests
{
    /// <summary>The library's embeddings of every window of the meow clip (hop 7800), computed without the CLI.</summary>
    private static readonly Lazy<List<float[]>> s_expected = new(() =>
    {
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.Embedding });
        using var session = classifier.CreateSession();
        using var source = new ArraySampleSource(Pcm16Wav.Read(TestAssets.Meow), 16000);
        var list = new List<float[]>();
        FileAnalyzer.Analyze(session, source, 7800, (in AudioWindow _, in WindowOutputs o) => list.Add(o.Embedding.ToArray()));
        return list;
    });

    [Fact]
    public void Npy_output_is_a_numpy_float32_array_of_every_windows_embedding_with_a_times_array_beside_it()
    {
        string dir = TestAssets.NewTempDir("embed-npy");
        string npy = Path.Combine(dir, "meow.npy");
        var r = CliRunner.Run("embed", TestAssets.Meow, "-o", npy);
        r.ExitCode.Should().Be(0, r.ToString());
        var array = NpyFile.Read(npy);
        array.Descr.Should().Be("<f4");
        array.FortranOrder.Should().BeFalse();
        array.Shape.Should().Equal(13, 1024);
        array.Data.Length.Should().Be(13 * 1024 * 4);
        var values = array.Floats();
        for (int k = 0; k < 13; k++) values.AsSpan(k * 1024, 1024).ToArray().Should().Equal(s_expected.Value[k], $"window {k}");

        var times = NpyFile.Read(Path.Combine(dir, "meow.times.npy"));
        times.Shape.Should().Equal(13, 2);
        var t = times.Doubles();
        for (int k = 0; k < 13; k++) t[2 * k].Should().Be(k * 7800 / 16000.0);
        t[1].Should().Be(0.975);
        t[25].Should().Be(107698 / 16000.0, "the last window ends with the file");
        Directory.GetFiles(dir).Should().HaveCount(2, "no temp file is left behind");
    }

    [Fact]
    public void Csv_and_jsonl_carry_the_same_values_and_times()
    {
        var csv = CliRunner.Run("embed", TestAssets.Meow, "--format", "csv");
        csv.ExitCode.Should().Be(0, csv.ToString());
        var lines = csv.StdoutLines;
        lines.Should().HaveCount(14);
        lines[0].Split(',').Should().HaveCount(4 + 1024).And.StartWith(["file", "window", "start_seconds", "end_seconds", "e0"]);
        var row = lines[2].Split(',');
        row[1].Should().Be("1");
        row[2].Should().Be("0.4875");
        row.Skip(4).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).Should().Equal(s_expected.Value[1]);

        var jsonl = CliRunner.Run("embed", "--wavFile", TestAssets.Meow, "--format", "jsonl");
        jsonl.ExitCode.Should().Be(0, jsonl.ToString());
        jsonl.StdoutLines.Should().HaveCount(13);
        using var doc = JsonDocument.Parse(jsonl.StdoutLines[12]);
        doc.RootElement.GetProperty("window").GetInt32().Should().Be(12);
        doc.RootElement.GetProperty("end_seconds").GetDouble().Should().Be(6.731125);
        doc.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).Should().Equal(s_expected.Value[12]);
    }

    [Fact]
    public void Summary_mean_gives_one_vector_per_file()
    {
        var r = CliRunner.Run("embed", TestAssets.Meow, TestAssets.Audio("speech.wav"), "--summary", "mean", "--format", "jsonl");
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().HaveCount(2);
        using var doc = JsonDocument.Parse(r.StdoutLines[0]);
        doc.RootElement.GetProperty("window").GetString().Should().Be("mean");
        var mean = doc.RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        for (int i = 0; i < 1024; i++) mean[i].Should().BeApproximately((float)s_expected.Value.Average(v => (double)v[i]), 1e-6f);
    }

    [Fact]
    public void Output_dir_writes_an_npy_pair_per_input_and_a_rerun_skips_them()
    {
        string dir = TestAssets.NewTempDir("embed-dir");
        string outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("embed", TestAssets.Meow, TestAssets.Audio("two_heads.wav"), "--output-dir", outDir);
        r.ExitCode.Should().Be(0, r.ToString());
        var npys = Directory.GetFiles(outDir, "*.npy", SearchOption.AllDirectories).Order().ToList();
        npys.Should().HaveCount(4);
        NpyFile.Read(npys.Single(p => p.EndsWith("two_heads.wav.npy"))).Shape.Should().Equal(1, 1024);
        NpyFile.Read(npys.Single(p => p.EndsWith("two_heads.wav.times.npy"))).Shape.Should().Equal(1, 2);
        var again = CliRunner.Run("embed", TestAssets.Meow, TestAssets.Audio("two_heads.wav"), "--output-dir", outDir);
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stderr.Should().Contain("0 results written").And.Contain("2 already done");
    }

    [Fact]
    public void Bad_requests_get_one_line_errors_and_leave_nothing_half_written()
    {
        string dir = TestAssets.NewTempDir("embed-bad");
        var stdoutNpy = CliRunner.Run("embed", TestAssets.Meow, "--format", "npy");
        stdoutNpy.ExitCode.Should().Be(2);
        stdoutNpy.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: npy output needs a file");

        string input = Path.Combine(dir, "clip.wav");
        File.Copy(TestAssets.Meow, input);
        byte[] before = File.ReadAllBytes(input);
        var self = CliRunner.Run("embed", input, "-o", input, "--format", "csv");
        self.ExitCode.Should().Be(2);
        self.Stderr.Should().Contain("refusing to overwrite");
        File.ReadAllBytes(input).Should().Equal(before);

        string missing = Path.Combine(dir, "missing.npy");
        var none = CliRunner.Run("embed", Path.Combine(dir, "nope.wav"), "-o", missing);
        none.ExitCode.Should().Be(1, none.ToString());
        none.Stderr.Should().Contain("nope.wav: file not found");
        Directory.GetFiles(dir).Should().Equal([input], "a failed input leaves no output and no temp file");

        // A model whose scores are not LOGISTIC over FULLY_CONNECTED has no embedding to give.
        byte[] model = File.ReadAllBytes(TestAssets.YamnetModel);
        RetagLogistic(model);
        string tanh = Path.Combine(dir, "tanh.tflite");
        File.WriteAllBytes(tanh, model);
        var noEmbedding = CliRunner.Run("embed", TestAssets.Meow, "--model", tanh);
        noEmbedding.ExitCode.Should().Be(2);
        noEmbedding.StderrLines.Should().ContainSingle().Which.Should().Contain("this model has no embedding");
    }

    /// <summary>Rewrites the LOGISTIC operator code (14) to TANH (28) in the model's operator-code table.</summary>
    private static void RetagLogistic(byte[] b)
    {
        int root = BinaryPrimitives.ReadInt32LittleEndian(b);
        int Field(int table, int id)
        {
            int vt = table - BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(table));
            int size = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vt));
            int slot = 4 + 2 * id;
            if (slot + 2 > size) return -1;
            int off = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vt + slot));
            return off == 0 ? -1 : table + off;
        }
        int codesField = Field(root, 1);
        int vector = codesField + BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(codesField));
        int count = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(vector));
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            int p = vector + 4 + 4 * i;
            int oc = p + BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p));
            int deprecated = Field(oc, 0), builtin = Field(oc, 3);
            if (deprecated >= 0 && b[deprecated] == 14) { b[deprecated] = 28; changed++; }
            if (builtin >= 0 && BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(builtin)) == 14) { BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(builtin), 28); changed++; }
        }
        changed.Should().BePositive();
    }
}
