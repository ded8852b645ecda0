using SpecLora.Imaging;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Imaging;

public class MelImageTests(ITestOutputHelper output)
{
    /// <summary>Per-channel mean |diff| and the 99th percentile of |diff| over all RGB samples.</summary>
    internal static (double[] MeanPerChannel, int P99, int Max) Compare(RgbaImage a, RgbaImage b)
    {
        Assert.Equal(a.Width, b.Width);
        Assert.Equal(a.Height, b.Height);
        var sum = new double[3];
        var hist = new long[256];
        int n = a.Width * a.Height;
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < 3; ch++)
            {
                int d = Math.Abs(a.Pixels[4 * i + ch] - b.Pixels[4 * i + ch]);
                sum[ch] += d;
                hist[d]++;
            }
        long acc = 0, total = 3L * n;
        int p99 = 255, max = 0;
        for (int d = 0; d < 256; d++) { acc += hist[d]; if (acc >= 0.99 * total) { p99 = d; break; } }
        for (int d = 255; d >= 0; d--) if (hist[d] > 0) { max = d; break; }
        return (sum.Select(s => s / n).ToArray(), p99, max);
    }

    private void AssertJpegCloseToGolden(string dbPath, string jpgPath)
    {
        var db = SpectrogramRendererTests.GoldenDb(dbPath);
        var ours = MelImage.DecodeRgba(MelImage.EncodeJpeg(SpectrogramRenderer.Render(db)));
        var golden = MelImage.DecodeRgba(File.ReadAllBytes(jpgPath));
        var (mean, p99, max) = Compare(ours, golden);
        output.WriteLine($"{Path.GetFileName(jpgPath)}: mean |diff| R {mean[0]:F3} G {mean[1]:F3} B {mean[2]:F3}, p99 {p99}, max {max}");
        // Measured: 0 differing samples (Skia's libjpeg-turbo q75 4:2:0 encode equals Pillow's once decoded by the same decoder).
        // Tolerance: mean |diff| per channel < 0.25 and p99 ≤ 1, to allow a different libjpeg-turbo build.
        Assert.All(mean, m => Assert.True(m < 0.25, $"mean |diff| {m:F3} ≥ 0.25"));
        Assert.True(p99 <= 1, $"p99 |diff| {p99} > 1");
    }

    [Fact]
    public void Synth2s_jpeg_decodes_within_tolerance_of_golden_jpeg_mean_lt_0_25_p99_le_1()
        => AssertJpegCloseToGolden(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"), Path.Combine(Golden.FixtureDir, "synth2s_makemels.jpg"));

    [SkippableFact]
    public void Elise5s_jpeg_decodes_within_tolerance_of_golden_jpeg_mean_lt_0_25_p99_le_1()
        => AssertJpegCloseToGolden(Golden.RequireShared("golden", "elise5s_mel_db.f32"), Golden.RequireShared("golden", "elise5s_makemels.jpg"));

    [Fact]
    public void Jpeg_is_baseline_quality_75_with_420_chroma()
    {
        var db = SpectrogramRendererTests.GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var jpg = MelImage.EncodeJpeg(SpectrogramRenderer.Render(db));
        Assert.Equal(0xFF, jpg[0]);
        Assert.Equal(0xD8, jpg[1]);
        // SOF0 frame header: 3 components, Y sampling 2×2, Cb/Cr 1×1 → 4:2:0
        int sof = IndexOf(jpg, [0xFF, 0xC0]);
        Assert.True(sof > 0, "no baseline SOF0 marker");
        Assert.Equal(3, jpg[sof + 9]);
        Assert.Equal(0x22, jpg[sof + 11]);
        Assert.Equal(0x11, jpg[sof + 14]);
        Assert.Equal(0x11, jpg[sof + 17]);
        // quantization table 0 equals the golden JPEG's (Pillow q75 = IJG q75)
        var golden = File.ReadAllBytes(Path.Combine(Golden.FixtureDir, "synth2s_makemels.jpg"));
        Assert.Equal(QuantTable(golden, 0), QuantTable(jpg, 0));
        Assert.Equal(QuantTable(golden, 1), QuantTable(jpg, 1));
    }

    private static int IndexOf(byte[] data, byte[] pattern) => data.AsSpan().IndexOf(pattern);

    /// <summary>The 64 entries of 8-bit quantization table <paramref name="id"/> from the DQT segments.</summary>
    private static byte[] QuantTable(byte[] jpg, int id)
    {
        int pos = 2;
        while (pos + 4 < jpg.Length && jpg[pos] == 0xFF)
        {
            int marker = jpg[pos + 1], len = jpg[pos + 2] << 8 | jpg[pos + 3];
            if (marker == 0xDB)
            {
                int p = pos + 4, end = pos + 2 + len;
                while (p < end)
                {
                    int pq = jpg[p] >> 4, tq = jpg[p] & 15;
                    int size = pq == 0 ? 64 : 128;
                    if (tq == id) return jpg.AsSpan(p + 1, size).ToArray();
                    p += 1 + size;
                }
            }
            if (marker == 0xDA) break;
            pos += 2 + len;
        }
        throw new Xunit.Sdk.XunitException($"no quantization table {id}");
    }

    [Fact]
    public void Save_chooses_format_by_extension_and_writes_metadata_into_png()
    {
        var db = SpectrogramRendererTests.GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var dir = Directory.CreateTempSubdirectory("speclora-img-");
        try
        {
            var png = Path.Combine(dir.FullName, "a.png");
            var jpg = Path.Combine(dir.FullName, "b.JPG");
            var meta = MelImage.Save(png, db, new RenderOptions { Width = 320, Height = 240 });
            MelImage.Save(jpg, db);
            var pngBytes = File.ReadAllBytes(png);
            Assert.True(pngBytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            Assert.Equal(meta, MelImageMetadata.TryRead(pngBytes));
            Assert.Equal(87, meta.Frames);
            Assert.Equal(db.Data.Min(), meta.VMin);
            Assert.Equal(0xD8, File.ReadAllBytes(jpg)[1]);
            var decoded = MelImage.DecodeRgba(pngBytes);
            Assert.Equal((320, 240), (decoded.Width, decoded.Height));
            // no temp files left behind
            Assert.Equal(2, Directory.GetFiles(dir.FullName).Length);
            var e = Assert.Throws<ArgumentException>(() => MelImage.Save(Path.Combine(dir.FullName, "c.gif"), db));
            Assert.Contains(".gif", e.Message);
            Assert.ThrowsAny<ArgumentException>(() => MelImage.Save(Path.Combine(dir.FullName, "d.png"), db, new RenderOptions { Width = 0 }));
            Assert.Equal(2, Directory.GetFiles(dir.FullName).Length);
            var img = SpectrogramRenderer.Render(db, new RenderOptions { Width = 64, Height = 32 });
            MelImage.Write(Path.Combine(dir.FullName, "e.jpeg"), img);
            MelImage.Write(Path.Combine(dir.FullName, "f.png"), img, meta);
            Assert.Equal(meta, MelImageMetadata.TryRead(File.ReadAllBytes(Path.Combine(dir.FullName, "f.png"))));
            Assert.Equal((64, 32), (MelImage.DecodeRgba(File.ReadAllBytes(Path.Combine(dir.FullName, "e.jpeg"))).Width, 32));
            Assert.Equal(4, Directory.GetFiles(dir.FullName).Length);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>Issue 8: a dB matrix of one level (power_to_db of silence is 0 dB everywhere) has no signal; one cell
    /// 0.01 dB off is a signal.</summary>
    [Fact]
    public void Constant_db_matrix_has_no_signal()
    {
        var flat = SpecLora.Spectrograms.Spectrogram.Create(new float[128 * 20], 128, 20, SpecLora.Spectrograms.SpectrogramScale.Db, SpecLora.Spectrograms.FrequencyAxis.Mel);
        Assert.True(MelImage.HasNoSignal(flat));
        var data = new float[128 * 20]; Array.Fill(data, -80f); data[77] = -79.99f;
        Assert.False(MelImage.HasNoSignal(flat with { Data = data }));
    }
}
