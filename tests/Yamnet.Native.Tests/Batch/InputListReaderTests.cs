using System.Text;
using Yamnet.Batch;

namespace Yamnet.Native.Tests.Batch;

public class InputListReaderTests
{
    private static List<string> Read(string text, bool nul) => InputListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), nul);

    [Fact]
    public void Lines_with_crlf_and_blank_lines()
        => Read("a.wav\r\n\nb c.flac\n  spaced  \nlast", nul: false).Should().Equal("a.wav", "b c.flac", "  spaced  ", "last");

    [Fact]
    public void Nul_separated_names_may_hold_newlines()
        => Read("a\nb.wav\0c.wav\0\0", nul: true).Should().Equal("a\nb.wav", "c.wav");

    [Fact]
    public void A_nul_byte_in_a_line_list_is_an_error_naming_the_entry()
        => FluentActions.Invoking(() => Read("a.wav\nb\0c\n", nul: false)).Should().Throw<InvalidDataException>().WithMessage("entry 2 *-0*");

    [Fact]
    public void Dev_zero_fails_fast_instead_of_filling_memory()
    {
        using var zero = File.OpenRead("/dev/zero");
        FluentActions.Invoking(() => InputListReader.Read(zero, nulSeparated: false)).Should().Throw<InvalidDataException>();
        using var zero2 = File.OpenRead("/dev/zero");
        // NUL-separated: /dev/zero is an endless run of empty entries; a cap on bytes read ends it.
        FluentActions.Invoking(() => InputListReader.Read(zero2, nulSeparated: true)).Should().Throw<InvalidDataException>();
    }
}
