using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Yamnet.Interop;
using Yamnet.TfLite;
using static Yamnet.Interop.Interop.TfLite;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// The versioned bindings: the XNNPACK options layout is chosen from TfLiteVersion(), unknown
/// versions are refused, and the loaded runtime is the one the run expects (test.sh runs the
/// suites once per runtime and names the version in YAMNET_EXPECT_TFLITE_VERSION).
/// </summary>
public class RuntimeAbiTests
{
    private static bool Exports(string name) => true;

    [Theory]
    [InlineData("2.9.0", "V2_9")]
    [InlineData("2.9.3", "V2_9")]
    [InlineData("2.19.0", "V2_19")]
    [InlineData("2.19.1-rc0", "V2_19")]
    public void Known_versions_get_their_xnnpack_layout(string version, string layout)
    {
        TfLiteAbi.FromVersion(version, Exports).XnnPackLayout.ToString().Should().Be(layout);
    }

    [Theory]
    [InlineData("2.10.0")]
    [InlineData("2.18.0")]
    [InlineData("2.20.0")]
    [InlineData("3.0.0")]
    [InlineData("1.9.0")]
    [InlineData("")]
    [InlineData("garbage")]
    public void Unknown_versions_are_refused_with_the_version_and_the_supported_ones(string version)
    {
        var act = () => TfLiteAbi.FromVersion(version, Exports);
        act.Should().Throw<NativeLibraryException>()
            .Where(e => e.ErrorCode == YamnetErrorCode.NativeLibraryUnsupportedVersion && e.Message.Contains($"'{version}'") && e.Message.Contains("2.9.x") && e.Message.Contains("2.19.x"));
    }

    [Fact]
    public void Weights_cache_is_used_only_when_all_its_functions_are_exported()
    {
        TfLiteAbi.FromVersion("2.19.0", _ => true).HasXnnPackWeightsCache.Should().BeTrue();
        TfLiteAbi.FromVersion("2.19.0", n => n != "TfLiteXNNPackDelegateWeightsCacheFinalizeSoft").HasXnnPackWeightsCache.Should().BeFalse();
        TfLiteAbi.FromVersion("2.9.0", _ => false).HasXnnPackWeightsCache.Should().BeFalse();
    }

    [Fact]
    public void Option_structs_match_the_c_layouts()
    {
        // 2.9 prebuilt: {int32 num_threads; uint32 flags} (returned in one register)
        Unsafe.SizeOf<XnnPackOptionsV2_9>().Should().Be(8);
        Marshal.OffsetOf<XnnPackOptionsV2_9>(nameof(XnnPackOptionsV2_9.Flags)).Should().Be(4);
        // 2.19: xnnpack_delegate.h of LiteRT v2.2.0 on LP64
        Unsafe.SizeOf<XnnPackOptionsV2_19>().Should().Be(64);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.RuntimeFlags)).Should().Be(4);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.Flags)).Should().Be(8);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.WeightsCache)).Should().Be(16);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.HandleVariableOps)).Should().Be(24);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.WeightCacheFilePath)).Should().Be(32);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.WeightCacheFileDescriptor)).Should().Be(40);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.WeightCacheProvider)).Should().Be(48);
        Marshal.OffsetOf<XnnPackOptionsV2_19>(nameof(XnnPackOptionsV2_19.WeightCacheLockMemory)).Should().Be(56);
    }

    [Fact]
    public void The_loaded_runtime_is_supported_and_the_expected_one()
    {
        var abi = TfLiteAbi.Current;
        abi.Version.Should().Be(TfLiteRuntime.Version);
        string? expected = Environment.GetEnvironmentVariable("YAMNET_EXPECT_TFLITE_VERSION");
        if (!string.IsNullOrEmpty(expected)) abi.Version.Should().Be(expected);
        // The weights cache is there exactly when the runtime is 2.19 (the 2.9 prebuilt lacks it).
        abi.HasXnnPackWeightsCache.Should().Be(abi.XnnPackLayout == XnnPackOptionsLayout.V2_19);
        TfLiteRuntime.HasXnnPackWeightsCache.Should().Be(abi.HasXnnPackWeightsCache);
    }

    [Fact]
    public unsafe void Library_defaults_come_back_intact_in_the_loaded_layout()
    {
        // A wrong by-value return type would corrupt the stack or read garbage; these are the
        // documented defaults of both versions (no threads, no cache).
        switch (TfLiteAbi.Current.XnnPackLayout)
        {
            case XnnPackOptionsLayout.V2_9:
                var o9 = TfLiteXNNPackDelegateOptionsDefaultV2_9();
                o9.NumThreads.Should().Be(0);
                o9.Flags.Should().Be(0);
                break;
            case XnnPackOptionsLayout.V2_19:
                var o19 = TfLiteXNNPackDelegateOptionsDefaultV2_19();
                o19.WeightsCache.Should().Be(0);
                o19.WeightCacheFilePath.Should().Be(0);
                o19.WeightCacheFileDescriptor.Should().Be(-1);
                o19.WeightCacheProvider.Should().Be(0);
                o19.NumThreads.Should().Be(0);
                o19.Flags.Should().Be(0);
                break;
        }
    }
}
