using Yamnet.Isolation;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// The SHA-256 of a model file is remembered by file identity so start-up does not hash 4 MB on
/// every run; these tests pin that a remembered digest is used only for the very same file version.
/// Serial: the cache directory is a process-wide setting.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ModelDigestCacheTests : IDisposable
{
    private static readonly string Fake = new('0', 64);
    private readonly string _dir = Directory.CreateTempSubdirectory("yamnet-digest-").FullName;
    private readonly string? _saved = TfLiteRuntime.ModelDigestCacheDirectory;

    public ModelDigestCacheTests()
    {
        TfLiteRuntime.ModelDigestCacheDirectory = Path.Combine(_dir, "cache");
        ModelDigestCache.ClearInProcess();
    }

    public void Dispose()
    {
        TfLiteRuntime.ModelDigestCacheDirectory = _saved;
        ModelDigestCache.ClearInProcess(); // the fake digests above must not outlive these tests
        Directory.Delete(_dir, recursive: true);
    }

    private static ModelFileIdentity IdentityOf(string path)
    {
        using var f = File.OpenHandle(path);
        return ModelFileIdentity.Of(f) ?? throw new InvalidOperationException("statx gave no identity");
    }

    private string FreshCopy(string name)
    {
        string path = Path.Combine(_dir, name);
        File.Copy(TestAssets.YamnetModel, path);
        return path;
    }

    [Fact]
    public void A_settled_model_file_is_hashed_once_and_its_digest_is_kept_on_disk()
    {
        // The checkout's model has not changed for far longer than the 2 s settling time.
        var id = IdentityOf(TestAssets.YamnetModel);
        id.IsSettled.Should().BeTrue();
        ModelDigestCache.Sha256OfFile(TestAssets.YamnetModel).Should().Be(KnownModels.YamnetSha256);
        string entry = Path.Combine(TfLiteRuntime.ModelDigestCacheDirectory!, id.FileKey);
        File.ReadAllLines(entry).Should().Equal("yamnet-model-digest 1", id.VersionText, KnownModels.YamnetSha256);
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        model.Sha256.Should().Be(KnownModels.YamnetSha256);
        model.KnownName.Should().Be("yamnet");
    }

    [Fact]
    public void A_remembered_digest_is_used_only_for_the_same_file_version()
    {
        string path = FreshCopy("m.tflite");
        var id = IdentityOf(path);
        ModelDigestCache.Put(id, Fake); // stands for "remembered": proves the lookup is by identity
        using (var model = TfLiteModel.FromFile(path)) model.Sha256.Should().Be(Fake);

        // Replaced by another file (a new inode) of the same size: not the remembered version.
        string other = FreshCopy("other.tflite");
        File.Move(other, path, overwrite: true);
        IdentityOf(path).Should().NotBe(id);
        using (var model = TfLiteModel.FromFile(path)) model.Sha256.Should().Be(KnownModels.YamnetSha256);
        ModelDigestCache.Sha256OfFile(path).Should().Be(KnownModels.YamnetSha256);
    }

    [Fact]
    public void A_file_that_grew_is_hashed_again()
    {
        string path = FreshCopy("grown.tflite");
        var id = IdentityOf(path);
        ModelDigestCache.Put(id, Fake);
        File.AppendAllText(path, "x");
        var grown = IdentityOf(path);
        grown.Size.Should().Be(id.Size + 1);
        ModelDigestCache.TryGet(grown).Should().BeNull();
        ModelDigestCache.Sha256OfFile(path).Should().NotBe(Fake).And.NotBe(KnownModels.YamnetSha256);
    }

    [Fact]
    public void A_just_changed_file_is_not_remembered()
    {
        // File times tick coarsely: a file changed in the last 2 s could change again with the same identity.
        string path = FreshCopy("new.tflite");
        var id = IdentityOf(path);
        id.IsSettledAt(id.ChangedSeconds + 1).Should().BeFalse();
        id.IsSettledAt(id.ChangedSeconds + 2).Should().BeTrue();
        if (!id.IsSettled)
        {
            ModelDigestCache.Sha256OfFile(path).Should().Be(KnownModels.YamnetSha256);
            File.Exists(Path.Combine(TfLiteRuntime.ModelDigestCacheDirectory!, id.FileKey)).Should().BeFalse();
        }
    }

    [Fact]
    public void The_trial_check_of_a_known_model_uses_the_remembered_digest()
    {
        var verdict = ModelTrial.Check(TestAssets.YamnetModel, new ModelTrialOptions { ChildCommand = ["/bin/false"], CacheDirectory = null });
        verdict.Kind.Should().Be(ModelVerdictKind.Known);
        File.Exists(Path.Combine(TfLiteRuntime.ModelDigestCacheDirectory!, IdentityOf(TestAssets.YamnetModel).FileKey)).Should().BeTrue();
    }

    [Fact]
    public void A_corrupt_cache_entry_means_hashing_again()
    {
        var id = IdentityOf(TestAssets.YamnetModel);
        Directory.CreateDirectory(TfLiteRuntime.ModelDigestCacheDirectory!);
        File.WriteAllText(Path.Combine(TfLiteRuntime.ModelDigestCacheDirectory!, id.FileKey), "yamnet-model-digest 1\n" + id.VersionText + "\nnot-a-digest\n");
        ModelDigestCache.Sha256OfFile(TestAssets.YamnetModel).Should().Be(KnownModels.YamnetSha256);
    }
}
