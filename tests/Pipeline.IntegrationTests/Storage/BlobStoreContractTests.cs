using System.Security.Cryptography;
using System.Text;
using Pipeline.BlobStorage;

namespace Pipeline.IntegrationTests.Storage;

/// <summary>What every <see cref="IBlobStore"/> must do; run against Azurite and the local folder.</summary>
public abstract class BlobStoreContractTests : IAsyncLifetime
{
    protected const long LargeBlobSize = 64L * 1024 * 1024;

    /// <summary>A container of its own per test, so tests never see each other's blobs.</summary>
    protected string Container { get; } = "it-" + Guid.NewGuid().ToString("N")[..24];

    protected abstract IBlobStore Store { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Written_blob_reads_back_with_its_sha256_and_size()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"id\":\"d1\",\"text\":\"Grüße aus dem Blob-Speicher\"}\n");

        var written = await Store.WriteBytesAsync(Container, "docs/part-0001.jsonl", bytes);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), written.Sha256);
        Assert.Equal(bytes.Length, written.Size);
        Assert.Equal(Container, written.Container);
        Assert.Equal("docs/part-0001.jsonl", written.Name);
        Assert.Equal(bytes, await Store.ReadBytesAsync(Container, "docs/part-0001.jsonl"));
        var item = await Store.GetAsync(Container, "docs/part-0001.jsonl");
        Assert.NotNull(item);
        Assert.Equal(written.Sha256, item.Sha256);
        Assert.Equal(bytes.Length, item.Size);
    }

    [Fact]
    public async Task Create_new_twice_throws_BlobAlreadyExistsException_and_keeps_the_first_content()
    {
        await Store.WriteTextAsync(Container, "claims/iteration-1.json", "first", BlobWriteMode.CreateNew);

        await Assert.ThrowsAsync<BlobAlreadyExistsException>(
            () => Store.WriteTextAsync(Container, "claims/iteration-1.json", "second", BlobWriteMode.CreateNew));

        Assert.Equal("first", Encoding.UTF8.GetString(await Store.ReadBytesAsync(Container, "claims/iteration-1.json")));
    }

    /// <summary>
    /// Claims and done markers rely on this: of writers racing to create one name, exactly one wins
    /// and the blob holds its content. (A check-then-rename let two win under load and doubled the
    /// staged dedup's announcements.)
    /// </summary>
    [Fact]
    public async Task Of_concurrent_create_new_writers_exactly_one_wins_and_its_content_stays()
    {
        const int names = 40, writers = 8;
        for (var n = 0; n < names; n++)
        {
            var name = $"claims/race-{n}.json";
            // Threads of their own, released together: pool tasks on two cores mostly ran one after another.
            var won = new bool[writers];
            using var start = new Barrier(writers);
            var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    Store.WriteTextAsync(Container, name, $"writer-{w}", BlobWriteMode.CreateNew).GetAwaiter().GetResult();
                    won[w] = true;
                }
                catch (BlobAlreadyExistsException)
                {
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            var winners = Enumerable.Range(0, writers).Where(w => won[w]).ToList();

            Assert.Single(winners);
            Assert.Equal($"writer-{winners[0]}", Encoding.UTF8.GetString(await Store.ReadBytesAsync(Container, name)));
        }
    }

    /// <summary>
    /// As above for blobs of several blocks: Azure writers of one name staged blocks under the same ids,
    /// so a winner could commit another writer's bytes under its own hash.
    /// </summary>
    [Fact]
    public async Task Of_concurrent_create_new_writers_of_a_multi_block_blob_one_wins_with_its_own_bytes_and_hash()
    {
        const long size = 9L * 1024 * 1024; // three 4 MiB blocks
        const int writers = 3;
        var expected = new string[writers];
        for (var w = 0; w < writers; w++) expected[w] = (await PatternStream.HashAsync(new PatternStream(size, seed: (ulong)(100 + w)))).Sha256;
        for (var round = 0; round < 2; round++)
        {
            var name = $"checkpoints/race-{round}.bin";
            var won = new string?[writers];
            using var start = new Barrier(writers);
            var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var source = new PatternStream(size, seed: (ulong)(100 + w));
                    won[w] = Store.WriteAsync(Container, name, source, BlobWriteMode.CreateNew).GetAwaiter().GetResult().Sha256;
                }
                catch (BlobAlreadyExistsException)
                {
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var winner = Assert.Single(Enumerable.Range(0, writers), w => won[w] is not null);
            Assert.Equal(expected[winner], won[winner]);
            await using var read = await Store.OpenReadAsync(Container, name);
            Assert.Equal(expected[winner], (await PatternStream.HashAsync(read)).Sha256);
            Assert.Equal(expected[winner], (await Store.GetAsync(Container, name))?.Sha256);
        }
    }

    /// <summary>Writers overwriting one name at once: whichever content stays, the hash the store gives is its hash.</summary>
    [Fact]
    public async Task Concurrent_overwrites_leave_content_and_hash_that_belong_together()
    {
        const int rounds = 30, writers = 6;
        for (var round = 0; round < rounds; round++)
        {
            using var start = new Barrier(writers);
            var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
            {
                start.SignalAndWait();
                Store.WriteTextAsync(Container, "state/race.json", $"{{\"round\":{round},\"writer\":{w}}}").GetAwaiter().GetResult();
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var content = await Store.ReadBytesAsync(Container, "state/race.json");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (await Store.GetAsync(Container, "state/race.json"))?.Sha256);
        }
    }

    [Fact]
    public async Task Overwrite_replaces_content_and_hash()
    {
        var first = await Store.WriteTextAsync(Container, "state.json", "{\"v\":1}");
        var second = await Store.WriteTextAsync(Container, "state.json", "{\"v\":2}");

        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(await Store.ReadBytesAsync(Container, "state.json")));
        Assert.Equal(second.Sha256, (await Store.GetAsync(Container, "state.json"))?.Sha256);
    }

    [Fact]
    public async Task Large_blob_streams_in_and_out_with_the_right_hash()
    {
        var (expectedSha256, expectedSize) = await PatternStream.HashAsync(new PatternStream(LargeBlobSize, seed: 42));

        await using (var source = new PatternStream(LargeBlobSize, seed: 42))
        {
            var written = await Store.WriteAsync(Container, "checkpoints/large.bin", source);
            Assert.Equal(expectedSha256, written.Sha256);
            Assert.Equal(LargeBlobSize, written.Size);
        }

        await using var read = await Store.OpenReadAsync(Container, "checkpoints/large.bin");
        var (readSha256, readSize) = await PatternStream.HashAsync(read);
        Assert.Equal(expectedSha256, readSha256);
        Assert.Equal(expectedSize, readSize);
        Assert.Equal(expectedSha256, (await Store.GetAsync(Container, "checkpoints/large.bin"))?.Sha256);
    }

    [Fact]
    public async Task Listing_by_prefix_returns_only_that_prefix_in_ordinal_order()
    {
        foreach (var name in new[] { "runs/b/1.jsonl", "runs/a/2.jsonl", "runs/a/1.jsonl", "runs-archive/a/1.jsonl", "other.txt" })
        {
            await Store.WriteTextAsync(Container, name, name);
        }

        var listed = await Store.ListAsync(Container, "runs/a/").ToListAsync();

        Assert.Equal(["runs/a/1.jsonl", "runs/a/2.jsonl"], listed.Select(b => b.Name));
        Assert.All(listed, b => Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b.Name))), b.Sha256));
        Assert.All(listed, b => Assert.Equal(b.Name.Length, b.Size));
        Assert.Equal(5, await Store.ListAsync(Container).CountAsync());
        // A prefix that ends inside a name segment matches names, not folders.
        Assert.Equal(["runs-archive/a/1.jsonl", "runs/a/1.jsonl", "runs/a/2.jsonl", "runs/b/1.jsonl"], (await Store.ListAsync(Container, "runs").ToListAsync()).Select(b => b.Name));
        Assert.Equal(["runs/a/1.jsonl", "runs/a/2.jsonl"], (await Store.ListAsync(Container, "runs/a/").ToListAsync()).Select(b => b.Name));
        Assert.Equal(["runs/b/1.jsonl"], (await Store.ListAsync(Container, "runs/b/1").ToListAsync()).Select(b => b.Name));
        Assert.Empty(await Store.ListAsync(Container, "runs/c/").ToListAsync());
    }

    [Fact]
    public async Task Folder_listing_names_each_folder_right_under_the_prefix_once()
    {
        foreach (var name in new[] { "landing/b2/part-1.jsonl", "landing/b1/part-1.jsonl", "landing/b1/part-2.jsonl", "landing/b1/deep/x.txt", "landing/loose.txt", "landing-old/b9/x.txt", "other/b3/x.txt" })
        {
            await Store.WriteTextAsync(Container, name, name);
        }

        Assert.Equal(["landing/b1/", "landing/b2/"], await Store.ListFoldersAsync(Container, "landing/").ToListAsync());
        Assert.Equal(["landing/b1/deep/"], await Store.ListFoldersAsync(Container, "landing/b1/").ToListAsync());
        Assert.Equal(["landing-old/", "landing/", "other/"], await Store.ListFoldersAsync(Container).ToListAsync());
        Assert.Empty(await Store.ListFoldersAsync(Container, "nothing/").ToListAsync());
        await Assert.ThrowsAsync<InvalidBlobNameException>(async () => await Store.ListFoldersAsync(Container, "landing").ToListAsync());
        // A folder whose last blob is deleted is gone, as it is in Azure.
        Assert.True(await Store.DeleteAsync(Container, "landing/b2/part-1.jsonl"));
        Assert.Equal(["landing/b1/"], await Store.ListFoldersAsync(Container, "landing/").ToListAsync());
    }

    [Fact]
    public async Task Missing_blob_is_not_found_and_delete_reports_whether_it_existed()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.OpenReadAsync(Container, "nothing/here.bin"));
        Assert.Null(await Store.GetAsync(Container, "nothing/here.bin"));
        Assert.False(await Store.DeleteAsync(Container, "nothing/here.bin"));

        await Store.WriteTextAsync(Container, "short-lived.txt", "x");
        Assert.True(await Store.DeleteAsync(Container, "short-lived.txt"));
        Assert.Null(await Store.GetAsync(Container, "short-lived.txt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/leading-slash")]
    [InlineData("trailing-slash/")]
    [InlineData("double//slash")]
    [InlineData("back\\slash")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../b")]
    [InlineData("a/./b")]
    public async Task Invalid_blob_names_are_rejected(string name)
    {
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => Store.WriteTextAsync(Container, name, "x"));
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => Store.OpenReadAsync(Container, name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Upper-Case")]
    [InlineData("under_score")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("..")]
    public async Task Invalid_container_names_are_rejected(string container)
    {
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => Store.WriteTextAsync(container, "x.txt", "x"));
    }
}
