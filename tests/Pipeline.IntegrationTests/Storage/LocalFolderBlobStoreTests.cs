using Pipeline.BlobStorage;
using Pipeline.IntegrationTests.Infrastructure;

namespace Pipeline.IntegrationTests.Storage;

public sealed class LocalFolderBlobStoreTests : BlobStoreContractTests
{
    private readonly TempDirectory _directory = new();

    public LocalFolderBlobStoreTests()
    {
        Root = Path.Combine(_directory.Path, "root");
        Store = new LocalFolderBlobStore(Root);
    }

    private string Root { get; }

    protected override IBlobStore Store { get; }

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../b")]
    [InlineData("../../escaped.txt")]
    [InlineData("a/b/../../../../escaped.txt")]
    public async Task Path_traversal_is_rejected_and_nothing_lands_outside_the_container(string name)
    {
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => Store.WriteTextAsync(Container, name, "escape attempt"));
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => Store.OpenReadAsync(Container, name));
        await Assert.ThrowsAsync<InvalidBlobNameException>(async () => await Store.ListAsync(Container, name + "/").ToListAsync());
        await Store.WriteTextAsync(Container, "inside.txt", "ok");

        var files = Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'));
        Assert.All(files, file => Assert.True(file.StartsWith(Container + "/", StringComparison.Ordinal) || file.StartsWith(".meta/", StringComparison.Ordinal), file));
    }

    [Fact]
    public async Task Blobs_are_plain_files_under_root_container_name()
    {
        await Store.WriteTextAsync(Container, "shards/0001.jsonl", "{}\n");

        Assert.Equal("{}\n", await File.ReadAllTextAsync(Path.Combine(Root, Container, "shards", "0001.jsonl")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, ".tmp")));
    }
}
