using SpecLora.IO;

namespace SpecLora.Tests.IO;

public class AtomicFileTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("speclora-atomic-").FullName;

    [Fact]
    public void Writes_the_whole_content_and_leaves_no_temporary_file()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "sub", "out.bin");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_untouched_and_no_partial_file()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "out.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half-written"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Refuses_to_overwrite_when_asked_not_to()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "keep.txt");
        File.WriteAllText(path, "first");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "second", overwrite: false));
        Assert.Contains("keep.txt", e.Message);
        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public async Task Async_write_is_atomic_too()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "a.txt");
        await AtomicFile.WriteAsync(path, async (s, ct) => await s.WriteAsync("async"u8.ToArray(), ct));
        Assert.Equal("async", File.ReadAllText(path));
        await Assert.ThrowsAsync<TaskCanceledException>(() => AtomicFile.WriteAsync(Path.Combine(dir, "b.txt"),
            (s, ct) => Task.FromCanceled(new CancellationToken(true))));
        Assert.Single(Directory.GetFiles(dir));
    }
}
