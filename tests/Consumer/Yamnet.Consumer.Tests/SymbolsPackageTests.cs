using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Yamnet.Consumer.Tests;

/// <summary>
/// Issue 11, point 9: each package's .snupkg holds the portable PDB of the very DLL this consumer
/// restored, with every source file embedded and, when the build knew its repository URL, a
/// SourceLink map. Reads the files with System.Reflection.Metadata, as a debugger would.
/// </summary>
public sealed class SymbolsPackageTests
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static string Feed => Environment.GetEnvironmentVariable("YAMNET_LOCAL_FEED") is { Length: > 0 } feed
        ? feed
        : throw new InvalidOperationException("set YAMNET_LOCAL_FEED to the folder with the .nupkg/.snupkg (scripts/test-packaging.sh does)");

    [Theory]
    [InlineData("Yamnet.Native")]
    [InlineData("Yamnet.Extensions.Hosting")]
    public void The_symbols_package_matches_the_restored_dll_and_carries_its_sources(string id)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, id + ".dll");
        using var pe = new PEReader(File.OpenRead(dll));
        var debug = pe.ReadDebugDirectory();
        debug.Should().Contain(e => e.Type == DebugDirectoryEntryType.Reproducible, "the build is deterministic");
        var codeView = pe.ReadCodeViewDebugDirectoryData(debug.Single(e => e.Type == DebugDirectoryEntryType.CodeView));

        using var snupkg = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.0.1.0.snupkg"));
        var entry = snupkg.GetEntry($"lib/net10.0/{id}.pdb");
        entry.Should().NotBeNull();
        var bytes = new MemoryStream();
        using (var s = entry!.Open()) s.CopyTo(bytes);
        bytes.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(bytes);
        var pdb = provider.GetMetadataReader();
        new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid.Should().Be(codeView.Guid, "the PDB belongs to the packaged DLL");

        int documents = 0, embedded = 0;
        foreach (var handle in pdb.Documents)
        {
            documents++;
            foreach (var c in pdb.GetCustomDebugInformation(handle))
                if (pdb.GetGuid(pdb.GetCustomDebugInformation(c).Kind) == EmbeddedSource) embedded++;
        }
        documents.Should().BePositive();
        embedded.Should().Be(documents, "every source file is embedded (EmbedAllSources)");

        string? sourceLink = null;
        foreach (var c in pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var info = pdb.GetCustomDebugInformation(c);
            if (pdb.GetGuid(info.Kind) == SourceLink) sourceLink = Encoding.UTF8.GetString(pdb.GetBlobBytes(info.Value));
        }
        string nuspec;
        using (var nupkg = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.0.1.0.nupkg")))
        using (var r = new StreamReader(nupkg.GetEntry($"{id}.nuspec")!.Open()))
            nuspec = r.ReadToEnd();
        nuspec.Should().Contain("<license type=\"expression\">").And.MatchRegex("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\"");
        // A repository URL exists only when the packing clone has a remote; then SourceLink maps the sources to it.
        if (nuspec.Contains("<repository type=\"git\" url=", StringComparison.Ordinal))
            sourceLink.Should().NotBeNull().And.Contain("\"documents\"");
    }
}
