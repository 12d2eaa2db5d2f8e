using System.Security.Cryptography;
using System.Text;
using Yamnet.Batch;

namespace Yamnet.Native.Tests.Batch;

public class ShardSpecTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("17/100", 17, 100)]
    public void Parses_I_of_N(string text, int i, int n) => ShardSpec.Parse(text).Should().Be(new ShardSpec(i, n));

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("/4")]
    [InlineData("1/")]
    [InlineData("a/b")]
    [InlineData("1/2000000")]
    [InlineData(" 1/4")]
    public void Rejects_malformed(string text) => FluentActions.Invoking(() => ShardSpec.Parse(text)).Should().Throw<FormatException>();

    [Fact]
    public void Every_path_is_in_exactly_one_shard_and_the_split_is_balanced()
    {
        var paths = Enumerable.Range(0, 4000).Select(i => $"archive/{i / 100}/rec-{i:D5}.flac").ToList();
        var counts = new int[4];
        foreach (string p in paths)
        {
            int owners = Enumerable.Range(0, 4).Count(i => new ShardSpec(i, 4).Contains(p));
            owners.Should().Be(1, p);
            counts[new ShardSpec(0, 4).ShardOf(p)]++;
        }
        counts.Should().OnlyContain(c => c > 850 && c < 1150, "a hash split is close to even");
    }

    [Fact]
    public void Shard_is_the_documented_sha256_rule_and_does_not_depend_on_other_inputs()
    {
        foreach (string p in new[] { "a.wav", "dir/ünïcode name.flac", "x" })
        {
            byte[] h = SHA256.HashData(Encoding.UTF8.GetBytes(p));
            ulong v = Convert.ToUInt64(Convert.ToHexString(h, 0, 8), 16);
            new ShardSpec(0, 7).ShardOf(p).Should().Be((int)(v % 7));
        }
    }
}
