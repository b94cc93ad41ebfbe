using Pipeline.BlobStorage;
using Pipeline.Dedup.Inputs;

namespace Pipeline.Dedup.Tests.Inputs;

public sealed class LocalInputsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dedup-inputs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_folder_contributes_its_plain_gzip_and_zstd_jsonl_files_in_name_order()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "kept")).FullName;
        foreach (var name in new[] { "c.jsonl.zst", "a.jsonl", "b.jsonl.gz", "notes.txt", "d.json" }) await File.WriteAllTextAsync(Path.Combine(folder, name), name);
        var store = new LocalFolderBlobStore(Path.Combine(_root, "store"));

        var shards = await LocalInputs.ResolveAsync(store, [folder], "dedup-input", "cli/run", CancellationToken.None);

        Assert.Equal(["cli/run/00000-a.jsonl", "cli/run/00001-b.jsonl.gz", "cli/run/00002-c.jsonl.zst"], shards.Select(s => s.Name));
    }

    [Fact]
    public async Task A_folder_without_shards_is_refused_by_name()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "no shards here");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => LocalInputs.ResolveAsync(new LocalFolderBlobStore(Path.Combine(_root, "store")), [folder], "dedup-input", "cli/run", CancellationToken.None));

        Assert.Contains(folder, error.Message);
        Assert.Contains(".jsonl.zst", error.Message);
    }
}
