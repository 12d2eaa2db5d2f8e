using SndFile = Yamnet.Interop.Interop.SndFile;

namespace Yamnet.Audio;

/// <summary>Names for libsndfile format codes, from libsndfile itself (<c>SFC_GET_FORMAT_INFO</c>).</summary>
internal static class SndFileFormats
{
    internal static AudioFormatInfo Describe(SndFile.SF_INFO info)
    {
        int major = info.format & SndFile.Formats.SF_FORMAT_TYPEMASK;
        int subtype = info.format & SndFile.Formats.SF_FORMAT_SUBMASK;
        var (container, extension) = Lookup(major);
        var (codec, _) = Lookup(subtype);
        return new AudioFormatInfo(container, codec, info.samplerate, info.channels, info.frames, extension, info.format);
    }

    /// <summary>Every container this libsndfile build reads (SFC_GET_FORMAT_MAJOR_*).</summary>
    internal static unsafe IReadOnlyList<AudioFileFormat> MajorFormats()
    {
        int count = 0;
        SndFile.sf_command(0, SndFile.Commands.SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof(int));
        var list = new List<AudioFileFormat>(count);
        for (int i = 0; i < count; i++)
        {
            var fi = new SndFile.SF_FORMAT_INFO { format = i };
            if (SndFile.sf_command(0, SndFile.Commands.SFC_GET_FORMAT_MAJOR, &fi, sizeof(SndFile.SF_FORMAT_INFO)) != 0) continue;
            list.Add(new AudioFileFormat(SndFileErrors.ToManaged(fi.name) ?? $"0x{fi.format:X}", SndFileErrors.ToManaged(fi.extension) ?? ""));
        }
        return list;
    }

    private static unsafe (string Name, string Extension) Lookup(int format)
    {
        var fi = new SndFile.SF_FORMAT_INFO { format = format };
        // The null handle is valid for this command; it only reads libsndfile's static tables.
        if (SndFile.sf_command(0, SndFile.Commands.SFC_GET_FORMAT_INFO, &fi, sizeof(SndFile.SF_FORMAT_INFO)) == 0)
        {
            return (SndFileErrors.ToManaged(fi.name) ?? $"0x{format:X}", SndFileErrors.ToManaged(fi.extension) ?? "");
        }
        return ($"0x{format:X}", "");
    }
}
