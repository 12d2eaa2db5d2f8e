using System.Buffers.Binary;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// A malformed model must end in an exception, never in a crash of the process (which would
/// abort this whole test run). Targeted cases check the validator's messages; the corpus (<see cref="Fuzz.ModelFuzzTests"/>) checks
/// that nothing in a thousand structural mutations gets through to a crash.
/// </summary>
public class MalformedModelTests
{
    private static readonly byte[] Original = File.ReadAllBytes(TestAssets.YamnetModel);

    private static InvalidModelException Rejected(byte[] bytes)
        => FluentActions.Invoking(() => TfLiteModel.FromBytes(bytes, "bad.tflite")).Should().Throw<InvalidModelException>().Which;

    [Fact]
    public void Empty_text_random_and_truncated_files_are_rejected_with_a_message()
    {
        Rejected([]).Message.Should().Contain("empty");
        Rejected("hello, I am a text file, not a model\n"u8.ToArray()).Message.Should().Contain("TFL3");
        var random = new byte[4096];
        new Random(1).NextBytes(random);
        Rejected(random);
        foreach (int length in new[] { 4, 8, 12, 100, 1000, 10_000, 200_000 })
            Rejected(Original[..length]);
    }

    [Fact]
    public void Model_files_that_are_missing_directories_or_not_matching_a_pinned_digest_are_rejected()
    {
        FluentActions.Invoking(() => TfLiteModel.FromFile("/nonexistent/model.tflite")).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => TfLiteModel.FromFile(Path.GetTempPath())).Should().Throw<InvalidModelException>().WithMessage("*directory*");
        FluentActions.Invoking(() => TfLiteModel.FromFile(TestAssets.SecondModel, KnownModels.YamnetSha256))
            .Should().Throw<InvalidModelException>().WithMessage("*SHA-256*");
        using var ok = TfLiteModel.FromFile(TestAssets.YamnetModel, KnownModels.YamnetSha256);
        KnownModels.NameOf(ok.Sha256).Should().Be("yamnet");
    }

    [Fact]
    public void Operator_input_out_of_range_is_rejected()
    {
        var bytes = (byte[])Original.Clone();
        var fb = new FlatBufferReader(bytes);
        int sg = fb.TableAt(fb.VectorField(fb.RootTable(), 2, 4).Start, 0);
        int op = fb.TableAt(fb.VectorField(sg, 3, 4).Start, 0);
        int inputs = fb.VectorField(op, 1, 4).Start;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(inputs), 100_000);
        Rejected(bytes).Message.Should().Contain("refer to tensor 100000");
    }

    [Fact]
    public void Tensor_buffer_index_and_negative_dimension_are_rejected()
    {
        var bytes = (byte[])Original.Clone();
        var fb = new FlatBufferReader(bytes);
        int sg = fb.TableAt(fb.VectorField(fb.RootTable(), 2, 4).Start, 0);
        int tensor = fb.TableAt(fb.VectorField(sg, 0, 4).Start, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(fb.Field(tensor, 2)), 999_999);
        Rejected(bytes).Message.Should().Contain("names buffer 999999");

        bytes = (byte[])Original.Clone();
        int shape = fb.VectorField(tensor, 0, 4).Start;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(shape), -5);
        Rejected(bytes).Message.Should().Contain("negative dimension");
    }

    [Fact]
    public void Zero_convolution_stride_and_nan_quantization_scale_are_rejected()
    {
        var bytes = (byte[])Original.Clone();
        var fb = new FlatBufferReader(bytes);
        int sg = fb.TableAt(fb.VectorField(fb.RootTable(), 2, 4).Start, 0);
        var (ops, opCount) = fb.VectorField(sg, 3, 4);
        int convOptions = -1;
        for (int i = 0; i < opCount && convOptions < 0; i++)
        {
            int o = fb.TableAt(ops, i);
            if (fb.ByteField(o, 3) == 1 && fb.Field(fb.TableField(o, 4), 1) >= 0) convOptions = fb.TableField(o, 4);
        }
        convOptions.Should().BePositive("YAMNet has Conv2D operators with explicit strides");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(fb.Field(convOptions, 1)), 0);
        Rejected(bytes).Message.Should().Contain("stride_w = 0");

        bytes = (byte[])Original.Clone();
        var (tensors, tensorCount) = fb.VectorField(sg, 0, 4);
        int scales = -1;
        for (int i = 0; i < tensorCount && scales < 0; i++)
        {
            int q = fb.TableField(fb.TableAt(tensors, i), 4);
            if (q < 0) continue;
            var (start, count) = fb.VectorField(q, 2, 4);
            if (count > 0) scales = start;
        }
        scales.Should().BePositive("YAMNet has quantized tensors");
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(scales), float.NaN);
        Rejected(bytes).Message.Should().Contain("quantization scale NaN");
    }
}
