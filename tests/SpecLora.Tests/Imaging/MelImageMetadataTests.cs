using System.Text;
using System.Text.Json.Nodes;
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
        var again = (MelImageMetadata.From(db) with { DurationSeconds = 2 }).EmbedInPng(png);
        Assert.Equal(1, CountOf(again, "speclora\0"u8.ToArray()));
        Assert.Equal(2, MelImageMetadata.TryRead(again)!.DurationSeconds);
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

    // ------------------------------------------------------------ forged metadata: hard limits at parse time

    /// <summary>Our PNG of the golden synth (87 frames, 2 s) with its metadata JSON edited by <paramref name="edit"/>.</summary>
    private static byte[] Forged(Action<JsonObject> edit)
    {
        var db = Synth();
        var json = JsonNode.Parse(MelImageMetadata.From(db, referencePower: 3.5, durationSeconds: 2.0).ToJson())!.AsObject();
        edit(json);
        return ForgedText(json.ToJsonString());
    }

    private static byte[] ForgedText(string text)
    {
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(Synth()), null);
        return PngChunks.InsertText(png, MelImageMetadata.PngKeyword, text);
    }

    [Theory]
    [InlineData("n_mels", "1000000", "n_mels=1000000 is outside 1…4096")]
    [InlineData("n_mels", "2147483647", "n_mels=2147483647 is outside 1…4096")]
    [InlineData("n_mels", "2147483648", "n_mels=2147483648 is not a whole number in the range of a 32-bit integer")]
    [InlineData("n_mels", "0", "n_mels=0 is outside 1…4096")]
    [InlineData("n_mels", "12.5", "n_mels=12.5 is not a whole number")]
    [InlineData("n_mels", "\"128\"", "n_mels is a string, not a whole number")]
    [InlineData("duration", "1e-9", "duration=1E-09 s does not match frames=87 × hop_length=512 at sr=22050 (1.9737…2.113 s)")]
    [InlineData("duration", "-2", "duration=-2 must be a finite number of seconds ≥ 0")]
    [InlineData("duration", "1e400", "duration=1e400 is not a finite number")]
    [InlineData("vmin", "5", "vmin=5 is above vmax=")]
    [InlineData("vmin", "1e30", "vmin=1E+30 is outside −400…400 dB")]
    [InlineData("vmax", "1e39", "vmax=1e39 is not a finite float32 number")]
    [InlineData("ref_power", "\"NaN\"", "ref_power is a string, not a number")]
    [InlineData("ref_power", "-1", "ref_power=-1 must be 0 (silent audio) or a finite power in (0, 3.4E+38]")]
    [InlineData("ref_power", "1e39", "ref_power=1E+39 must be 0 (silent audio) or a finite power")]
    [InlineData("frames", "2147483647", "frames=2147483647 is outside 0…97,560 (the most frames inverted at once at n_fft=2048)")]
    [InlineData("frames", "-5", "frames=-5 is outside 0…97,560")]
    [InlineData("sr", "1", "sr=1 is outside 1,000…768,000 Hz")]
    [InlineData("sr", "2147483647", "sr=2147483647 is outside 1,000…768,000 Hz")]
    [InlineData("n_fft", "1000", "n_fft=1000 is not a power of two in 16…65,536")]
    [InlineData("n_fft", "131072", "n_fft=131072 is not a power of two")]
    [InlineData("n_fft", "0", "n_fft=0 is not a power of two")]
    [InlineData("hop_length", "0", "hop_length=0 is outside 1…n_fft=2048")]
    [InlineData("hop_length", "4096", "hop_length=4096 is outside 1…n_fft=2048")]
    [InlineData("fmin", "-1", "fmin=-1 must be a finite frequency ≥ 0 Hz")]
    [InlineData("fmin", "20000", "fmax=11025 must be a finite frequency above fmin=20000 Hz")]
    [InlineData("fmax", "1e6", "fmax=1000000 is above sr/2=11025 Hz")]
    [InlineData("norm", "\"l2\"", "norm=\"l2\" is neither \"slaney\" nor null")]
    [InlineData("htk", "\"yes\"", "htk is a string, not true or false")]
    [InlineData("cmap", "\"jet\"", "cmap=\"jet\" is not one of magma, viridis, inferno, gray")]
    [InlineData("cmap", "\"x\\u001b]0;PWNED\\u0007\"", "cmap=\"x\\e]0;PWNED\\a\" is not one of")]
    [InlineData("cmap", "5", "cmap is a number, not a colormap name")]
    public void Forged_metadata_breaking_a_limit_is_not_trusted_and_says_why(string field, string rawValue, string expected)
    {
        var png = Forged(j => j[field] = JsonNode.Parse(rawValue));
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool trusted = MelImageMetadata.TryRead(png, out var meta, out var problems);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(trusted);
        Assert.Null(meta);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.True(allocated < 256 << 10, $"{allocated:N0} bytes allocated reading the metadata");
        Assert.Null(MelImageMetadata.TryRead(png));
        var warnings = new List<string>();
        Assert.Null(MelImageMetadata.ReadTrusted(png, 480, warnings));
        var warning = Assert.Single(warnings);
        Assert.StartsWith("the picture's speclora metadata was ignored (", warning);
        Assert.Contains(expected, warning);
        Assert.Contains("decoded as a plain picture", warning);
        Assert.DoesNotContain("\u001b", warning);
        Assert.DoesNotContain("Json", warning);
    }

    [Fact]
    public void Every_broken_limit_is_listed_at_once()
    {
        var png = Forged(j => { j["n_mels"] = 1_000_000; j["sr"] = 1; j["vmin"] = 10; j["vmax"] = -10; j["frames"] = -1; });
        Assert.False(MelImageMetadata.TryRead(png, out _, out var problems));
        Assert.Equal(5, problems.Count);
        Assert.Contains("n_mels=1000000 is outside 1…4096", problems);
        Assert.Contains("sr=1 is outside 1,000…768,000 Hz", problems);
        Assert.Contains(problems, p => p.StartsWith("vmin=10 is above vmax=-10"));
        Assert.Null(MelImageMetadata.FromJson(ForgedJson(png)));
    }

    private static string ForgedJson(byte[] png)
    {
        Assert.Equal(PngChunks.TextLookup.Found, PngChunks.FindText(png, MelImageMetadata.PngKeyword, MelImageMetadata.MaxJsonLength, out var text));
        return text!;
    }

    [Fact]
    public void Validate_lists_every_problem_of_a_record_built_in_code()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MelImageMetadata { NMels = 0, HopLength = 0, VMin = float.NaN }.Validate());
        Assert.StartsWith("Invalid picture metadata: ", ex.Message);
        Assert.Contains("n_mels=0 is outside 1…4096", ex.Message);
        Assert.Contains("hop_length=0 is outside 1…n_fft=2048", ex.Message);
        Assert.Contains("vmin=NaN is outside −400…400 dB", ex.Message);
        Assert.Empty(new MelImageMetadata().Problems());   // frames and duration 0: not recorded
    }

    [Fact]
    public void N_mels_above_the_pictures_height_is_not_trusted_when_the_height_is_known()
    {
        var png = Forged(j => j["n_mels"] = 300);
        Assert.True(MelImageMetadata.TryRead(png, out _));
        Assert.False(MelImageMetadata.TryRead(png, out _, out var problems, pictureHeight: 240));
        Assert.Equal("n_mels=300 is above the picture's height (240 px)", Assert.Single(problems));
        var warnings = new List<string>();
        Assert.NotNull(MelImageMetadata.ReadTrusted(png, 300, warnings));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("{\"n_mels\": 128", "its text is not valid JSON (at character")]
    [InlineData("{\"ref_power\": NaN}", "its text is not valid JSON")]
    [InlineData("[1, 2, 3]", "its JSON is an array, not an object")]
    [InlineData("\"speclora\"", "its JSON is a string, not an object")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "its text is not valid JSON")]
    public void Text_that_is_not_a_metadata_object_is_a_reason_not_a_serializer_message(string text, string expected)
    {
        Assert.False(MelImageMetadata.TryRead(ForgedText(text), out _, out var problems));
        Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Fact]
    public void A_huge_or_damaged_chunk_is_a_reason_and_no_string_is_made_of_it()
    {
        var huge = ForgedText("{\"pad\": \"" + new string('x', 200_000) + "\"}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(MelImageMetadata.TryRead(huge, out _, out var problems));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 10);
        Assert.Equal("its text is longer than 65,536 characters", Assert.Single(problems));
        var damaged = Forged(_ => { });
        int at = damaged.AsSpan().IndexOf("\"n_mels\""u8);
        damaged[at + 2] ^= 1;
        Assert.False(MelImageMetadata.TryRead(damaged, out _, out problems));
        Assert.Equal("its PNG chunk is damaged (the CRC does not match)", Assert.Single(problems));
        Assert.False(MelImageMetadata.TryRead(MelImage.EncodePng(SpectrogramRenderer.Render(Synth()), null), out _, out problems));
        Assert.Empty(problems);   // no chunk at all: nothing to warn about
    }

    [Fact]
    public void ToJson_never_writes_a_non_finite_number()
    {
        var meta = MelImageMetadata.From(Synth(), referencePower: 3.5);
        foreach (var bad in new[] { meta with { ReferencePower = double.PositiveInfinity }, meta with { VMin = float.NaN }, meta with { DurationSeconds = double.NaN } })
        {
            var ex = Assert.Throws<InvalidOperationException>(() => bad.ToJson());
            Assert.StartsWith("the picture metadata cannot be written: ", ex.Message);
            Assert.DoesNotContain("JsonNumberHandling", ex.Message);
        }
        var two = Assert.Throws<InvalidOperationException>(() => (meta with { FMaxHz = double.NaN, ReferencePower = double.NegativeInfinity }).ToJson());
        Assert.Contains("fmax=NaN, ref_power=-Infinity are not finite numbers", two.Message);
        Assert.Throws<InvalidOperationException>(() => (meta with { VMax = float.PositiveInfinity }).EmbedInPng(MelImage.EncodePng(SpectrogramRenderer.Render(Synth()), null)));
    }

    [Fact]
    public void What_we_write_is_trusted_silence_and_every_clip_length_included()
    {
        // Silent audio: one level (vmin = vmax) and ref_power 0.
        var silent = Spectrogram.Create(Enumerable.Repeat(-100f, 128 * 5).ToArray(), 128, 5, SpectrogramScale.Db, FrequencyAxis.Mel);
        var meta = MelImageMetadata.From(silent, referencePower: 0);
        Assert.Equal(meta, MelImageMetadata.FromJson(meta.ToJson(), out var problems));
        Assert.Empty(problems);
        // Centred STFTs of every length from 1 sample to 3 s, at two hops: frames = 1 + n/hop, duration = n/sr.
        foreach (int hop in new[] { 512, 256 })
            for (int n = 1; n <= 3 * 22050; n += 97)
            {
                var m = new MelImageMetadata { HopLength = hop, Frames = 1 + n / hop, DurationSeconds = n / 22050.0 };
                Assert.True(m.Problems().Count == 0, $"hop {hop}, {n} samples: {string.Join("; ", m.Problems())}");
            }
        // Uncentred: n_fft more samples than frames × hop.
        Assert.Empty(new MelImageMetadata { Frames = 10, DurationSeconds = (9 * 512 + 2048) / 22050.0 }.Problems());
    }

    [Fact]
    public void The_frame_limit_is_the_inversions()
    {
        Assert.Equal(SpecLora.Spectrograms.FrameAxis.MaxFrames(2048), MelImageMetadata.MaxFrames(2048));
        Assert.Equal(97_560, MelImageMetadata.MaxFrames(2048));
        Assert.Equal(3_051, MelImageMetadata.MaxFrames(65536));
    }

    [Fact]
    public void A_forged_picture_decodes_as_a_plain_picture()
    {
        var png = Forged(j => { j["n_mels"] = 1_000_000; j["frames"] = 2_147_483_647; });
        var decoded = SpectrogramImageDecoder.Decode(png, null, "forged.png");
        Assert.Null(decoded.Metadata);
        Assert.Equal(128, decoded.Db.Bins);
        Assert.Null(decoded.Axis);
        Assert.Contains(decoded.Warnings, w => w.Contains("metadata was ignored"));
    }
}
