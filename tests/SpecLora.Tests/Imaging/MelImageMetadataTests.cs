using System.Text;
using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Imaging;

public class MelImageMetadataTests
{
    private static Spectrogram Synth() => SpectrogramRendererTests.GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));

    [Fact]
    public void Png_text_chunk_round_trips_every_field()
    {
        var db = Synth();
        var meta = MelImageMetadata.From(db, new RenderOptions { Colormap = "viridis" }, new MelOptions { FMinHz = 30, FMaxHz = 8000, Htk = true, SlaneyNorm = false },
            referencePower: 1234.5, durationSeconds: 2.0);
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db), meta);
        var back = MelImageMetadata.TryRead(png);
        Assert.NotNull(back);
        Assert.Equal(meta, back);
        Assert.Equal(22050, back.SampleRate);
        Assert.Equal(2048, back.NFft);
        Assert.Equal(512, back.HopLength);
        Assert.Equal(128, back.NMels);
        Assert.Equal(30, back.FMinHz);
        Assert.Equal(8000, back.FMaxHz);
        Assert.True(back.Htk);
        Assert.Null(back.Norm);
        Assert.Equal(db.Data.Min(), back.VMin);   // float32 exact
        Assert.Equal(db.Data.Max(), back.VMax);
        Assert.Equal(1234.5, back.ReferencePower);
        Assert.Equal(87, back.Frames);
        Assert.Equal(2.0, back.DurationSeconds);
        Assert.Equal("viridis", back.Colormap);
    }

    [Fact]
    public void Chunk_sits_right_after_IHDR_with_a_correct_crc()
    {
        var db = Synth();
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db), MelImageMetadata.From(db));
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal("tEXt", Encoding.ASCII.GetString(png, 37, 4));
        int len = png[33] << 24 | png[34] << 16 | png[35] << 8 | png[36];
        Assert.Equal("speclora\0{", Encoding.Latin1.GetString(png, 41, 10));
        uint crc = (uint)(png[41 + len] << 24 | png[42 + len] << 16 | png[43 + len] << 8 | png[44 + len]);
        Assert.Equal(PngChunks.Crc32(png.AsSpan(37, 4 + len)), crc);
        // the standard check value of CRC-32
        Assert.Equal(0xCBF43926u, PngChunks.Crc32("123456789"u8));
        // IHDR's own CRC, written by libpng, agrees with ours
        uint ihdrCrc = (uint)(png[29] << 24 | png[30] << 16 | png[31] << 8 | png[32]);
        Assert.Equal(PngChunks.Crc32(png.AsSpan(12, 17)), ihdrCrc);
    }

    [Fact]
    public void Corrupted_chunk_or_foreign_png_reads_as_absent()
    {
        var db = Synth();
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db), MelImageMetadata.From(db));
        var bad = (byte[])png.Clone();
        bad[60] ^= 0x01; // inside the JSON → CRC mismatch
        Assert.Null(MelImageMetadata.TryRead(bad));
        Assert.Null(MelImageMetadata.TryRead(File.ReadAllBytes(Path.Combine(Golden.FixtureDir, "synth2s_makemels.png"))));
        Assert.Null(MelImageMetadata.TryRead("not a png"u8));
        Assert.False(MelImageMetadata.TryRead([], out _));
    }

    [Fact]
    public void Embedding_twice_keeps_one_chunk()
    {
        var db = Synth();
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db), MelImageMetadata.From(db));
        var again = (MelImageMetadata.From(db) with { DurationSeconds = 9 }).EmbedInPng(png);
        Assert.Equal(1, CountOf(again, "speclora\0"u8.ToArray()));
        Assert.Equal(9, MelImageMetadata.TryRead(again)!.DurationSeconds);
        Assert.Equal(1, CountOf(again, "IHDR"u8.ToArray()));
        Assert.Throws<ArgumentException>(() => MelImageMetadata.From(db).EmbedInPng("GIF89a..........................................."u8));
    }

    private static int CountOf(byte[] data, byte[] pattern)
    {
        int count = 0, pos = 0;
        while (true)
        {
            int i = data.AsSpan(pos).IndexOf(pattern);
            if (i < 0) return count;
            count++;
            pos += i + 1;
        }
    }

    [Fact]
    public void Mel_options_at_another_rate_than_the_spectrogram_are_refused_quoting_both()
    {
        var db = Spectrogram.Create(new float[128 * 4], 128, 4, SpectrogramScale.Db, FrequencyAxis.Mel, sampleRate: 44100);
        var ex = Assert.Throws<ArgumentException>(() => MelImageMetadata.From(db, mel: new MelOptions()));
        Assert.Contains("44100 Hz", ex.Message);
        Assert.Contains("22050 Hz", ex.Message);
        Assert.Equal(44100, MelImageMetadata.From(db, mel: new MelOptions { SampleRate = 44100 }).SampleRate);
        Assert.Equal(22050, MelImageMetadata.From(db, mel: null).FMaxHz);
    }
}
