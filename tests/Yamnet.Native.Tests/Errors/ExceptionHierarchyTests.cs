using System.Reflection;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Live;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Errors;

/// <summary>One base type with a stable code: every library exception is a YamnetException, and each failure carries its code.</summary>
public sealed class ExceptionHierarchyTests : IDisposable
{
    private readonly string _dir = TestAssets.NewTempDir("errors");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void EveryPublicExceptionType_DerivesFromYamnetException()
    {
        var exceptionTypes = typeof(YamnetException).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();
        exceptionTypes.Should().Contain([typeof(TfLiteException), typeof(InvalidModelException), typeof(TfLiteDelegateException),
            typeof(AudioFormatException), typeof(UnsupportedAudioFormatException), typeof(TruncatedAudioException),
            typeof(AudioDeviceException), typeof(InvalidLabelsException), typeof(NativeLibraryException)]);
        exceptionTypes.Where(t => !typeof(YamnetException).IsAssignableFrom(t)).Should().BeEmpty();
    }

    [Fact]
    public void FamilyBases_GroupModelAudioDeviceAndNativeFailures()
    {
        typeof(ModelException).IsAssignableFrom(typeof(InvalidModelException)).Should().BeTrue();
        typeof(ModelException).IsAssignableFrom(typeof(InvalidLabelsException)).Should().BeTrue();
        typeof(TfLiteException).IsAssignableFrom(typeof(TfLiteDelegateException)).Should().BeTrue();
        typeof(AudioException).IsAssignableFrom(typeof(TruncatedAudioException)).Should().BeTrue();
        typeof(NativeRuntimeException).IsAssignableFrom(typeof(NativeLibraryException)).Should().BeTrue();
        typeof(YamnetException).IsAssignableFrom(typeof(AudioDeviceException)).Should().BeTrue();
    }

    [Fact]
    public void ErrorCodes_KeepTheirNumbers()
    {
        // These values are a public contract (logs, exit-code maps): renumbering one must fail here.
        ((int)YamnetErrorCode.InvalidModel).Should().Be(100);
        ((int)YamnetErrorCode.InvalidLabels).Should().Be(103);
        ((int)YamnetErrorCode.TfLiteCallFailed).Should().Be(110);
        ((int)YamnetErrorCode.UnrecognisedAudio).Should().Be(200);
        ((int)YamnetErrorCode.DeviceNotFound).Should().Be(300);
        ((int)YamnetErrorCode.NativeLibraryNotFound).Should().Be(400);
        ((int)YamnetErrorCode.NativeLibraryLoadFailed).Should().Be(401);
        Enum.GetValues<YamnetErrorCode>().Select(v => (int)v).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void NotAModel_IsInvalidModel()
    {
        var ex = FluentActions.Invoking(() => TfLiteModel.FromBytes("not a flatbuffer at all"u8, "junk"))
            .Should().Throw<YamnetException>().Which;
        ex.Should().BeOfType<InvalidModelException>();
        ex.ErrorCode.Should().Be(YamnetErrorCode.InvalidModel);
    }

    [Fact]
    public void WrongChecksum_HasItsOwnCode()
        => FluentActions.Invoking(() => TfLiteModel.FromFile(TestAssets.YamnetModel, new string('0', 64)))
            .Should().Throw<InvalidModelException>().Which.ErrorCode.Should().Be(YamnetErrorCode.ModelChecksumMismatch);

    [Fact]
    public void BadClassMap_IsInvalidLabels_NotFormatException()
    {
        string csv = Path.Combine(_dir, "labels.csv");
        File.WriteAllText(csv, "index,mid,display_name\n0,/m/x,Speech\nnot,a,row,at all\n");
        var ex = FluentActions.Invoking(() => AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { ClassMapCsv = csv }))
            .Should().Throw<InvalidLabelsException>().Which;
        ex.ErrorCode.Should().Be(YamnetErrorCode.InvalidLabels);
        ex.FileName.Should().Be(csv);
    }

    [Fact]
    public void TextFileAsAudio_IsUnrecognisedAudio()
    {
        string path = Path.Combine(_dir, "readme.wav");
        File.WriteAllText(path, "Hello, this is plainly a text file.\n");
        var ex = FluentActions.Invoking(() => AudioReader.Open(path, 16000)).Should().Throw<AudioException>().Which;
        ex.ErrorCode.Should().Be(YamnetErrorCode.UnrecognisedAudio);
        ex.FileName.Should().Be(path);
        ex.NativeMessage.Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(-2, YamnetErrorCode.DeviceNotFound)]
    [InlineData(-16, YamnetErrorCode.DeviceBusy)]
    [InlineData(-13, YamnetErrorCode.DeviceAccessDenied)]
    [InlineData(-5, YamnetErrorCode.DeviceFailed)]
    public void DeviceErrno_MapsToCode(int errno, YamnetErrorCode expected)
        => new AudioDeviceException("x", "hw:9", errno).ErrorCode.Should().Be(expected);

    [Fact]
    public void MissingDevice_IsDeviceException()
    {
        var ex = FluentActions.Invoking(() => AlsaCaptureSource.Open("hw:97,0", 16000)).Should().Throw<AudioDeviceException>().Which;
        ex.Should().BeAssignableTo<YamnetException>();
        ex.ErrorCode.Should().BeOneOf(YamnetErrorCode.DeviceNotFound, YamnetErrorCode.DeviceFailed);
    }
}
