using Yamnet.Evaluation;

namespace Yamnet.Native.Tests.Evaluation;

public class DcaseEventListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("yamnet-dcase-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".tsv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_four_three_and_five_column_lines_headers_and_empty_files()
    {
        var c = DcaseEventList.Read(Write("filename\tonset\toffset\tevent_label\na.wav\t0.5\t1.25\tDog\n# note\nb.wav\nc.wav\t\t\t\na.wav\t2\t3\tNarration, monologue\r\n"));
        c.Events.Should().Equal(new AnnotatedEvent("a.wav", 0.5, 1.25, "Dog"), new AnnotatedEvent("a.wav", 2, 3, "Narration, monologue"));
        c.Files.Should().Equal("a.wav", "b.wav", "c.wav");
        DcaseEventList.Read(Write("0.5\t1\tDog\n")).Events.Should().Equal(new AnnotatedEvent("", 0.5, 1, "Dog"));
        DcaseEventList.Read(Write("a.wav\thome\t0.5\t1\tDog\n")).Events.Should().Equal(new AnnotatedEvent("a.wav", 0.5, 1, "Dog"));
    }

    [Theory]
    [InlineData("a.wav\t1\t2\tDog\na.wav 1 2 Dog\n", 2, "fields separated by spaces")]
    [InlineData("a.wav\tx\t2\tDog\n", 1, "onset 'x' is not a number")]
    [InlineData("a.wav\t1\tNaN\tDog\n", 1, "offset 'NaN' is not a number")]
    [InlineData("a.wav\t3\t2\tDog\n", 1, "offset 2 is before onset 3")]
    [InlineData("\n\na.wav\t-1\t2\tDog\n", 3, "onset -1 is negative")]
    [InlineData("a.wav\t1\t2\t \n", 1, "the event label is empty")]
    [InlineData("a\tb\tc\td\te\tf\n", 1, "6 tab-separated fields")]
    public void A_bad_line_gives_its_number(string text, int line, string message)
    {
        string path = Write(text);
        var act = () => DcaseEventList.Read(path);
        act.Should().Throw<FormatException>().WithMessage($"{path}:{line}: {message}*");
    }

    [Fact]
    public void Writes_what_it_reads()
    {
        var events = new[] { new AnnotatedEvent("a.wav", 0.5, 1.0 / 3, "Dog") };
        var w = new StringWriter();
        DcaseEventList.Write(w, events);
        w.ToString().Should().Be("a.wav\t0.5\t0.333333\tDog\n");
    }
}
