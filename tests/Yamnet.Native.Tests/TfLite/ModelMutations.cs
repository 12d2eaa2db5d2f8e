using System.Buffers.Binary;
using Yamnet.TfLite;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// Deterministic mutations of a model file aimed at its structure (tables, vectors, offsets,
/// shapes, options) rather than at its weights, where a flipped bit only changes a score.
/// </summary>
internal static class ModelMutations
{
    internal enum Kind { BitFlip, IntOverwrite, Truncate, ByteRun }

    /// <summary>Byte ranges holding constant-buffer data (weights): mutating them is harmless by construction.</summary>
    internal static List<(int Start, int End)> DataRanges(byte[] model)
    {
        var fb = new FlatBufferReader(model);
        int root = fb.RootTable();
        var (buffers, count) = fb.VectorField(root, 4, 4);
        var ranges = new List<(int, int)>();
        for (int i = 0; i < count; i++)
        {
            var (start, length) = fb.VectorField(fb.TableAt(buffers, i), 0, 1);
            if (start >= 0 && length > 64) ranges.Add((start, start + length));
        }
        ranges.Sort();
        return ranges;
    }

    /// <summary>The structural byte positions of the flatbuffer (everything outside large constant buffers and the appended zip).</summary>
    internal static int[] StructuralOffsets(byte[] model)
    {
        var ranges = DataRanges(model);
        int end = FlatBufferEnd(model);
        var offsets = new List<int>();
        int r = 0;
        for (int p = 0; p < end; p++)
        {
            while (r < ranges.Count && p >= ranges[r].End) r++;
            if (r < ranges.Count && p >= ranges[r].Start) { p = ranges[r].End - 1; continue; }
            offsets.Add(p);
        }
        return offsets.ToArray();
    }

    /// <summary>Mutation <paramref name="n"/> of the corpus (the same bytes for the same n, on every machine).</summary>
    internal static (byte[] Bytes, string Description) Mutate(byte[] original, int[] structural, int n)
    {
        var rng = new Random(unchecked(n * 7919 + 17));
        var bytes = (byte[])original.Clone();
        var kind = (Kind)(n % 4);
        int at = structural[rng.Next(structural.Length)];
        switch (kind)
        {
            case Kind.BitFlip:
                int bit = rng.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                return (bytes, $"#{n} flip bit {bit} at {at}");
            case Kind.IntOverwrite:
                at &= ~3;
                int[] values = [0, -1, 1, int.MaxValue, int.MinValue, 0x7FFF, 65536, rng.Next(), -rng.Next(1, 1000), rng.Next(1, 600)];
                int v = values[rng.Next(values.Length)];
                if (at + 4 <= bytes.Length) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), v);
                return (bytes, $"#{n} int {v} at {at}");
            case Kind.Truncate:
                int length = rng.Next(0, original.Length);
                return (bytes[..length], $"#{n} truncated to {length}");
            default:
                int run = rng.Next(1, 16);
                for (int i = 0; i < run && at + i < bytes.Length; i++) bytes[at + i] = (byte)rng.Next(256);
                return (bytes, $"#{n} {run} random bytes at {at}");
        }
    }

    /// <summary>Loads, builds and runs a model the way the library's users do; any outcome but a crash is acceptable.</summary>
    internal static string Exercise(byte[] bytes, DelegateKind kind)
    {
        try
        {
            using var model = TfLiteModel.FromBytes(bytes, "mutant");
            using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = kind });
            for (int i = 0; i < interpreter.InputCount; i++)
            {
                if (interpreter.GetInputInfo(i).Type == TensorType.Float32) interpreter.GetInputSpan<float>(i).Fill(0.25f);
            }
            interpreter.Invoke();
            return "ran";
        }
        catch (TfLiteException e)
        {
            return e is InvalidModelException ? "rejected" : "failed";
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return "refused";
        }
    }

    // The flatbuffer ends where the appended label zip begins (or at the end of the file).
    private static int FlatBufferEnd(byte[] model)
    {
        ReadOnlySpan<byte> zipLocalHeader = [0x50, 0x4B, 0x03, 0x04];
        var ranges = DataRanges(model);
        int afterData = ranges.Count == 0 ? 0 : ranges[^1].End;
        int zip = model.AsSpan(afterData).IndexOf(zipLocalHeader);
        return zip < 0 ? model.Length : afterData + zip;
    }
}
