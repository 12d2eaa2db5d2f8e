using System.Diagnostics;
using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary><c>listen --events</c> over standard input, driven through a pipe the test controls.</summary>
public sealed class ListenEventsTests
{
    private static byte[] RawS16(float[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
            BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (short)Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue));
        return bytes;
    }

    [Fact]
    public async Task A_stall_in_the_middle_closes_the_open_event_by_the_timer_not_by_the_next_window()
    {
        byte[] meow = RawS16(Pcm16Wav.Read(TestAssets.Meow));
        var psi = new ProcessStartInfo(CliRunner.DotnetHost) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (string a in new[] { "exec", CliRunner.YamnetDll, "listen", "--input", "-", "--events", "--format", "json", "--allow", "Cat", "--stall-timeout", "1" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        async Task<JsonElement> Next()
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            line.Should().NotBeNull("stderr: " + (stderr.IsCompleted ? stderr.Result : ""));
            var e = JsonDocument.Parse(line!).RootElement.Clone();
            lines.Add(e);
            return e;
        }
        try
        {
            // The meow ends with the cat still sounding; then the writer pauses with the pipe open.
            await process.StandardInput.BaseStream.WriteAsync(meow);
            await process.StandardInput.BaseStream.FlushAsync();
            JsonElement close;
            do close = await Next(); while (close.GetProperty("event").GetString() != "close" || close.GetProperty("reason").GetString() != "stall");
            // Closed while the input is stalled: nothing more has been written, so no window did it.
            close.GetProperty("end_seconds").GetDouble().Should().BeApproximately((Math.Floor((meow.Length / 2 - 15600) / 7800.0) * 7800 + 15600) / 16000.0, 1e-6, "at the end of the audio received");
            lines.Count(l => l.GetProperty("event").GetString() == "open").Should().Be(lines.Count(l => l.GetProperty("event").GetString() == "close"));

            // The stream resumes, then ends: what opens again is closed at the end of input.
            await process.StandardInput.BaseStream.WriteAsync(meow);
            process.StandardInput.Close();
            string rest = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            process.ExitCode.Should().Be(0, await stderr);
            var after = rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            after.Should().Contain(e => e.GetProperty("event").GetString() == "close" && e.GetProperty("reason").GetString() == "end of input");
            after.Where(e => e.GetProperty("event").GetString() == "open").Should().OnlyContain(e => e.GetProperty("start_seconds").GetDouble() >= close.GetProperty("end_seconds").GetDouble());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Text_lines_open_and_close_with_duration_and_peak()
    {
        var r = await CliRunner.RunAsync(["listen", "--input", TestAssets.Meow, "--events", "--allow", "Cat"], null);
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().NotBeEmpty();
        r.StdoutLines.Should().OnlyContain(l => l.StartsWith("open  #") || l.StartsWith("close #"));
        r.StdoutLines.Where(l => l.StartsWith("close")).Should().AllSatisfy(l => l.Should().MatchRegex(@"^close #\d+ Cat \[76\] \d+\.\d{3}-\d+\.\d{3} s \(\d+\.\d{3} s, peak [0-9.]+, mean [0-9.]+; (silence|end of input)\)$"));
        r.StdoutLines.Last().Should().EndWith("; end of input)");
    }
}
