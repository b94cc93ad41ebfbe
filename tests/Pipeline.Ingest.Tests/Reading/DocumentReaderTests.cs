using System.IO.Compression;
using System.Text;
using Parquet;
using Parquet.Schema;
using Pipeline.Ingest.Reading;

namespace Pipeline.Ingest.Tests.Reading;

public sealed class DocumentReaderTests
{
    private static async Task<List<ReadItem>> ReadAsync(byte[] bytes, string name, ReaderOptions? options = null)
    {
        var items = new List<ReadItem>();
        await foreach (var item in DocumentReader.ReadAsync(new MemoryStream(bytes), name, options ?? new ReaderOptions())) items.Add(item);
        return items;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(bytes);
        return buffer.ToArray();
    }

    private static string Lines(int count) => string.Concat(Enumerable.Range(1, count).Select(i => $"{{\"id\":\"d{i}\",\"text\":\"Document number {i} has some text.\"}}\n"));

    [Fact]
    public async Task A_line_above_the_limit_is_quarantined_by_length_and_the_next_line_is_read()
    {
        var huge = "{\"id\":\"big\",\"text\":\"" + new string('x', 50_000) + "\"}\n";
        var bytes = Encoding.UTF8.GetBytes(Lines(1) + huge + Lines(2).Split('\n')[1] + "\n");
        var items = await ReadAsync(bytes, "x.jsonl", new ReaderOptions { MaxLineBytes = 4096 });
        Assert.Equal(3, items.Count);
        Assert.Equal("d1", items[0].Document!.Id);
        Assert.Null(items[1].Document);
        Assert.Equal(2, items[1].Line);
        Assert.Contains("exceeds the 4096-byte limit", items[1].QuarantineReason);
        Assert.Equal("d2", items[2].Document!.Id);
        Assert.Equal(3, items[2].Line);
    }

    [Fact]
    public async Task Truncated_gzip_keeps_the_complete_lines_and_quarantines_the_broken_tail()
    {
        var whole = Gzip(Encoding.UTF8.GetBytes(Lines(2000)));
        var truncated = whole[..(whole.Length / 2)];
        var items = await ReadAsync(truncated, "x.jsonl.gz");
        var documents = items.Where(i => i.Document is not null).ToList();
        Assert.InRange(documents.Count, 100, 1999);
        Assert.Equal(Enumerable.Range(1, documents.Count).Select(i => $"d{i}"), documents.Select(d => d.Document!.Id));
        var last = items[^1];
        Assert.Null(last.Document);
        Assert.Matches("truncated|corrupt|no newline", last.QuarantineReason!);
    }

    [Fact]
    public async Task Zstd_compressed_jsonl_is_read()
    {
        using var buffer = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(buffer)) zstd.Write(Encoding.UTF8.GetBytes(Lines(5)));
        var items = await ReadAsync(buffer.ToArray(), "x.jsonl.zst");
        Assert.Equal(["d1", "d2", "d3", "d4", "d5"], items.Select(i => i.Document!.Id));
    }

    [Fact]
    public async Task The_text_field_is_configurable_and_ids_default_to_file_and_line()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"content\":\"first\"}\n\n{\"id\":7,\"content\":\"second\",\"meta\":{\"url\":\"u\"}}\n");
        var items = await ReadAsync(bytes, "folder/web.jsonl", new ReaderOptions { TextField = "content" });
        Assert.Equal(("web:1", "first"), (items[0].Document!.Id, items[0].Document!.Text));
        Assert.Equal(("7", "second", "{\"url\":\"u\"}"), (items[1].Document!.Id, items[1].Document!.Text, items[1].Document!.MetaJson));
        Assert.Equal(3, items[1].Line);
    }

    [Fact]
    public async Task Wrong_types_are_quarantined_with_the_reason()
    {
        var bytes = Encoding.UTF8.GetBytes("[1,2]\n{\"id\":[1],\"text\":\"t\"}\n{\"id\":\"a\",\"text\":\"t\",\"meta\":\"m\"}\n{\"id\":\"b\",\"text\":null}\n");
        var reasons = (await ReadAsync(bytes, "x.jsonl")).Select(i => i.QuarantineReason).ToList();
        Assert.Equal(["expected a JSON object, found Array", "id must be a string or number, found Array", "meta must be an object, found String", "missing text field 'text'"], reasons);
    }

    [Fact]
    public async Task A_txt_file_is_one_document_and_an_oversized_one_is_quarantined()
    {
        var text = await File.ReadAllBytesAsync(Samples.Corpus("txt/brown-ca06.txt"));
        var items = await ReadAsync(text, "corpus/brown-ca06.txt");
        Assert.Equal("brown-ca06", Assert.Single(items).Document!.Id);
        var big = await ReadAsync(Gzip(text), "brown-ca06.txt.gz", new ReaderOptions { MaxDocumentBytes = 1024 });
        Assert.Contains("exceeds the 1024-byte limit", Assert.Single(big).QuarantineReason);
        var invalid = await ReadAsync([0x66, 0x6f, 0xff, 0x6f], "bad.txt");
        Assert.Equal("invalid UTF-8", Assert.Single(invalid).QuarantineReason);
    }

    [Fact]
    public async Task Parquet_text_column_is_read_row_group_by_row_group()
    {
        var id = new DataField<string>("id");
        var text = new DataField<string>("text");
        using var buffer = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, text), buffer))
        {
            for (var group = 0; group < 2; group++)
            {
                using var rowGroup = writer.CreateRowGroup();
                await rowGroup.WriteAsync(id, new[] { $"p{group}a", $"p{group}b" });
                await rowGroup.WriteAsync(text, new[] { $"text {group} a", group == 1 ? null : $"text {group} b" });
            }
        }
        var items = await ReadAsync(buffer.ToArray(), "table.parquet");
        Assert.Equal(["p0a", "p0b", "p1a"], items.Where(i => i.Document is not null).Select(i => i.Document!.Id));
        Assert.Equal((4L, "text column 'text' is null"), (items[3].Line, items[3].QuarantineReason));
        var missing = await ReadAsync(buffer.ToArray(), "table.parquet", new ReaderOptions { TextField = "body" });
        Assert.Equal("Parquet file has no column 'body'", Assert.Single(missing).QuarantineReason);
    }
}
