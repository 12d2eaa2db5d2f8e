using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

public class EventRuleParsingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("yamnet-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static EventDetector Detector(EventDetectorOptions options, params string[] labels)
        => new(options, labels.Length > 0 ? labels : ["Dog", "Bark", "Cat", "Narration, monologue"], new EventTimeline(2, 1, 1), new SoundEventList());

    [Theory]
    [InlineData(0.5f, 0.6f, 0, 0, 1, "off threshold 0.6 is above the on threshold 0.5")]
    [InlineData(1.5f, 0.3f, 0, 0, 1, "on threshold 1.5 must be between 0 and 1")]
    [InlineData(0.5f, -0.1f, 0, 0, 1, "off threshold -0.1 must be between 0 and 1")]
    [InlineData(0.5f, 0.3f, -1, 0, 1, "minimum duration -1")]
    [InlineData(0.5f, 0.3f, double.NaN, 0, 1, "minimum duration NaN")]
    [InlineData(0.5f, 0.3f, 0, double.NaN, 1, "merge gap NaN")]
    [InlineData(0.5f, 0.3f, 0, double.PositiveInfinity, 1, "merge gap")]
    [InlineData(0.5f, 0.3f, 0, -2, 1, "merge gap -2")]
    [InlineData(0.5f, 0.3f, 0, 0, 4, "median filter length 4 must be an odd number")]
    [InlineData(0.5f, 0.3f, 0, 0, 0, "median filter length 0")]
    [InlineData(float.NaN, 0.3f, 0, 0, 1, "on threshold NaN")]
    public void Invalid_rules_are_refused_with_what_is_wrong(float on, float off, double min, double gap, int median, string message)
    {
        var act = () => new EventRule(on, off, min, gap, median).Validate("Dog");
        act.Should().Throw<ArgumentException>().WithMessage("Dog: " + message + "*");
        var viaOverride = () => Detector(new EventDetectorOptions { Rules = [new EventRuleOverride("Dog", on, off, min, gap, median)] });
        viaOverride.Should().Throw<ArgumentException>().WithMessage("Dog: " + message + "*");
    }

    [Fact]
    public void Unknown_labels_are_named_with_the_closest_ones()
    {
        var act = () => Detector(new EventDetectorOptions { Rules = [new EventRuleOverride("dog", 0.4f)] });
        act.Should().Throw<ArgumentException>().WithMessage("unknown label 'dog' in the thresholds; did you mean 'Dog'*");
        var member = () => Detector(new EventDetectorOptions { Groups = [LabelGroup.Parse("pets=Dog;Barks") with { Source = "g.txt:2" }] });
        member.Should().Throw<ArgumentException>().WithMessage("unknown label 'Barks' in group 'pets' (g.txt:2); did you mean 'Bark'*");
        var allow = () => Detector(new EventDetectorOptions { Groups = [LabelGroup.Parse("pets=Dog;Cat")], Allow = ["pet"] });
        allow.Should().Throw<ArgumentException>().WithMessage("unknown label 'pet' in the allow list; did you mean 'pets'*");
        var narration = () => Detector(new EventDetectorOptions { Deny = ["Narration"] });
        narration.Should().Throw<ArgumentException>().WithMessage("*did you mean 'Narration, monologue'*");
    }

    [Fact]
    public void Group_names_must_differ_from_labels_and_each_other()
    {
        var clash = () => Detector(new EventDetectorOptions { Groups = [LabelGroup.Parse("Dog=Bark")] });
        clash.Should().Throw<ArgumentException>().WithMessage("*already a class label*");
        var twice = () => Detector(new EventDetectorOptions { Groups = [LabelGroup.Parse("d=Bark"), LabelGroup.Parse("d=Dog")] });
        twice.Should().Throw<ArgumentException>().WithMessage("*defined twice*");
        var both = () => Detector(new EventDetectorOptions { Allow = ["Dog"], Deny = ["Cat"] });
        both.Should().Throw<ArgumentException>().WithMessage("*mutually exclusive*");
    }

    [Theory]
    [InlineData("Dog=0.4", "Dog", 0.4f, null)]
    [InlineData("Narration, monologue=0.7:0.2", "Narration, monologue", 0.7f, 0.2f)]
    [InlineData(" Cat = 0.6 : 0.5 ", "Cat", 0.6f, 0.5f)]
    public void Class_thresholds_parse_with_labels_containing_commas(string text, string label, float on, float? off)
    {
        var r = EventRuleOverride.ParseThreshold(text);
        (r.Label, r.On, r.Off).Should().Be((label, on, off));
    }

    [Theory]
    [InlineData("Dog", "expected LABEL=ON")]
    [InlineData("=0.5", "expected LABEL=ON")]
    [InlineData("Dog=", "expected LABEL=ON")]
    [InlineData("Dog=high", "'high' is not a threshold")]
    [InlineData("Dog=0.5:x", "'x' is not a threshold")]
    [InlineData("Dog=NaN", "'NaN' is not a threshold")]
    public void Bad_class_thresholds_are_format_errors(string text, string message)
    {
        var act = () => EventRuleOverride.ParseThreshold(text);
        act.Should().Throw<FormatException>().WithMessage("*" + message + "*");
    }

    [Fact]
    public void Groups_parse_with_semicolons_and_refuse_empty_members()
    {
        var g = LabelGroup.Parse(" dog = Dog; Bark ;Whimper (dog)");
        g.Name.Should().Be("dog");
        g.Members.Should().Equal("Dog", "Bark", "Whimper (dog)");
        ((Action)(() => LabelGroup.Parse("dog"))).Should().Throw<FormatException>().WithMessage("*expected NAME=LABEL;LABEL*");
        ((Action)(() => LabelGroup.Parse("dog=Dog;;Bark"))).Should().Throw<FormatException>().WithMessage("*empty member*");
        ((Action)(() => LabelGroup.Parse("dog=  "))).Should().Throw<FormatException>().WithMessage("*no members*");
        ((Action)(() => LabelGroup.Parse(" =Dog"))).Should().Throw<FormatException>().WithMessage("*name is empty*");
    }

    [Fact]
    public void A_thresholds_file_is_tab_separated_with_optional_fields()
    {
        string path = Write("t.tsv", "label\ton\toff\tmin_duration\tmerge_gap\tmedian\n# comment\n\nDog\t0.4\nNarration, monologue\t0.7\t0.2\t1.5\t-\t3\r\nCat\t-\t-\t\t2\n");
        var rules = EventRuleFile.Read(path);
        rules.Should().Equal(
            new EventRuleOverride("Dog", 0.4f),
            new EventRuleOverride("Narration, monologue", 0.7f, 0.2f, 1.5, null, 3),
            new EventRuleOverride("Cat", null, null, null, 2));
    }

    [Theory]
    [InlineData("Dog\t0.4\nCat 0.5\n", 2, "expected LABEL<TAB>ON")]
    [InlineData("Dog\t0.4\n\nCat\tx\n", 3, "'x' is not a threshold")]
    [InlineData("Dog\t0.4\t0.3\tlong\n", 1, "minimum duration 'long' is not a number")]
    [InlineData("Dog\t0.4\t0.3\t1\t1\t1.5\n", 1, "median '1.5' is not a whole number")]
    [InlineData("Dog\t0.4\t0.3\t1\t1\t1\t9\n", 1, "at most 6")]
    [InlineData("Dog\t0.4\nDog\t0.5\n", 2, "given twice")]
    [InlineData("\t0.4\n", 1, "label is empty")]
    public void A_bad_line_in_a_thresholds_file_gives_its_number(string text, int line, string message)
    {
        string path = Write("bad.tsv", text);
        var act = () => EventRuleFile.Read(path);
        act.Should().Throw<FormatException>().WithMessage($"{path}:{line}: *{message}*");
    }

    [Fact]
    public void A_groups_file_gives_bad_line_numbers()
    {
        string good = Write("g.txt", "# pets\ndog = Dog; Bark\n\ncat=Cat\n");
        var groups = LabelGroupFile.Read(good);
        groups.Select(g => (g.Name, g.Members.Count, g.Source)).Should().Equal(("dog", 2, good + ":2"), ("cat", 1, good + ":4"));
        string bad = Write("g2.txt", "dog=Dog\ncat Cat\n");
        ((Action)(() => LabelGroupFile.Read(bad))).Should().Throw<FormatException>().WithMessage($"{bad}:2: *expected NAME=LABEL*");
        string twice = Write("g3.txt", "dog=Dog\ndog=Bark\n");
        ((Action)(() => LabelGroupFile.Read(twice))).Should().Throw<FormatException>().WithMessage($"{twice}:2: *defined twice*");
    }

    [Fact]
    public void Files_that_are_not_text_are_refused()
    {
        string binary = Path.Combine(_dir, "model.bin");
        File.WriteAllBytes(binary, [0x54, 0x46, 0x4c, 0x33, 0, 0, 1, 2]);
        ((Action)(() => EventRuleFile.Read(binary))).Should().Throw<FormatException>().WithMessage("*not a text file*");
        string latin1 = Path.Combine(_dir, "latin1.txt");
        File.WriteAllBytes(latin1, [0x44, 0x6f, 0x67, 0xe9, 0x3d, 0x43, 0x61, 0x74, 0x0a]);
        ((Action)(() => LabelGroupFile.Read(latin1))).Should().Throw<FormatException>().WithMessage("*not a text file (invalid UTF-8)*");
        ((Action)(() => LabelGroupFile.Read(_dir))).Should().Throw<FormatException>().WithMessage("*is a directory*");
        ((Action)(() => LabelGroupFile.Read(Path.Combine(_dir, "none")))).Should().Throw<FileNotFoundException>();
    }
}
