using System.Globalization;
using Yamnet.TfLite;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>The private copy a model runs from: huge pages for its whole 2 MiB pages only, ordinary pages for the rest.</summary>
public class ModelBufferTests
{
    [Fact]
    public unsafe void A_model_of_4_MB_takes_two_huge_pages_and_ordinary_pages_for_its_tail_not_a_third_huge_page()
    {
        const int length = (4 << 20) + 30_000; // YAMNet's 4.13 MB
        var buffer = ModelBuffer.Allocate(length);
        try
        {
            buffer.Span.Fill(0x5A);
            buffer.Span[^1].Should().Be(0x5A);
            ((nuint)buffer.Pointer % (2u << 20)).Should().Be(0u, "2 MiB aligned, so its first 4 MiB can be huge pages");
            var regions = Regions((nuint)buffer.Pointer, (nuint)buffer.Pointer + (nuint)length);
            long mapped = regions.Sum(r => r.Size);
            mapped.Should().Be(length + (-length & (Environment.SystemPageSize - 1)), "rounded up to the page size, not to 6 MiB");
            string thp = File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") ? File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled") : "";
            if (thp.Contains("[never]") || thp.Length == 0) return; // no huge pages on this kernel: the layout above is all there is to check
            regions.Sum(r => r.AnonHugeKb).Should().Be(4096, "the two whole 2 MiB pages are huge, the 30 KB tail is not");
        }
        finally
        {
            buffer.Free();
        }
    }

    /// <summary>The /proc/self/smaps entries overlapping [start, end): their sizes and AnonHugePages.</summary>
    private static List<(long Size, long AnonHugeKb)> Regions(nuint start, nuint end)
    {
        var result = new List<(long, long)>();
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong lo)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hi))
            {
                inside = lo < end && hi > start;
                if (inside) result.Add(((long)(hi - lo), 0));
            }
            else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            {
                long kb = long.Parse(line["AnonHugePages:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                result[^1] = (result[^1].Item1, kb);
            }
        }
        return result;
    }
}
