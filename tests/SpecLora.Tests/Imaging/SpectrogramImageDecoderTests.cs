using SkiaSharp;
using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Imaging;

public class SpectrogramImageDecoderTests(ITestOutputHelper output)
{
    private static string FixturePath(string name) => Path.Combine(Golden.FixtureDir, name);
    private static Spectrogram Synth() => SpectrogramRendererTests.GoldenDb(FixturePath("synth2s_mel_db.f32"));

    private static int FrameOf(int c, int frames, int width) => Math.Clamp((int)Math.Floor((c + 0.5) * frames / width), 0, frames - 1);

    /// <summary>Fraction of (bin, column) cells whose recovered index equals the render rule's index of the frame shown.</summary>
    private static double IndexRecovery(DecodedSpectrogramImage d, Spectrogram db, float vmin, float vmax)
    {
        // viridis has two pairs of entries with equal bytes: an index counts as recovered when its colour is right
        var k = SpectrogramRenderer.ColormapIndices(db, vmin, vmax);
        int w = d.SourceWidth, ok = 0;
        for (int b = 0; b < db.Bins; b++)
            for (int c = 0; c < w; c++)
            {
                float got = d.ColormapIndex[b * w + c];
                int want = k[b * db.Frames + FrameOf(c, db.Frames, w)];
                if (got == want || (got == MathF.Round(got) && d.Colormap[(int)got] == d.Colormap[want])) ok++;
            }
        return (double)ok / (db.Bins * w);
    }

    /// <summary>RMS dB error of the decoded matrix against the true dB at the frame each column shows.</summary>
    private static double RmsDbError(DecodedSpectrogramImage d, Spectrogram truth)
    {
        int w = d.SourceWidth;
        double sum = 0;
        for (int b = 0; b < truth.Bins; b++)
            for (int c = 0; c < w; c++)
            {
                double e = d.Db[b, c] - truth[b, FrameOf(c, truth.Frames, w)];
                sum += e * e;
            }
        return Math.Sqrt(sum / (truth.Bins * w));
    }

    private static byte[] EncodeSkia(SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    [Fact]
    public void Golden_makemels_png_recovers_100_percent_of_colormap_indices()
    {
        var db = Synth();
        var d = SpectrogramImageDecoder.Decode(File.ReadAllBytes(FixturePath("synth2s_makemels.png")), sourceName: "synth2s_makemels.png");
        Assert.Equal(ImageKind.MakeMels, d.Kind);
        Assert.Equal(ColorDecodeMethod.ExactLut, d.Method);
        Assert.Equal(ImageGeometry.Specshow, d.Geometry);
        Assert.Same(Colormap.Magma, d.Colormap);
        Assert.Equal((128, 640), (d.Db.Bins, d.Db.Frames));
        Assert.Equal(0.0, d.OffColormapFraction);
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        double recovery = IndexRecovery(d, db, vmin, vmax);
        output.WriteLine($"synth2s_makemels.png index recovery {recovery:P3}");
        Assert.Equal(1.0, recovery);
    }

    [SkippableFact]
    public void Golden_elise5s_png_recovers_100_percent_of_colormap_indices()
    {
        var db = SpectrogramRendererTests.GoldenDb(Golden.RequireShared("golden", "elise5s_mel_db.f32"));
        var d = SpectrogramImageDecoder.Decode(Golden.RequireShared("golden", "elise5s_makemels.png"));
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        Assert.Equal(1.0, IndexRecovery(d, db, vmin, vmax));
    }

    [Fact]
    public void Our_png_with_metadata_inverts_exactly_to_half_a_colour_step()
    {
        var db = Synth();
        var meta = MelImageMetadata.From(db, referencePower: 3.5);
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db), meta);
        var d = SpectrogramImageDecoder.Decode(png);
        Assert.Equal(ImageKind.SpecLoraPng, d.Kind);
        Assert.Equal(meta, d.Metadata);
        Assert.Equal(ColorDecodeMethod.ExactLut, d.Method);
        Assert.NotNull(d.Axis);
        Assert.Equal((FrameAxisSource.Metadata, 87, 640), (d.Axis.Source, d.Axis.Frames, d.Axis.Columns));
        var collapsed = d.CollapseToFrames(out var frames);
        Assert.Equal(Enumerable.Range(0, 87), frames);   // 640 columns show all 87 frames
        Assert.Equal((128, 87), (collapsed.Bins, collapsed.Frames));
        double halfStep = (meta.VMax - meta.VMin) / 512.0;
        double max = Golden.MaxAbsDiff(collapsed.Data, db.Data);
        output.WriteLine($"metadata PNG: max |dB error| {max:F4} (half step {halfStep:F4})");
        Assert.True(max <= halfStep + 1e-4, $"max |error| {max} > half a colour step {halfStep}");
        Assert.Equal(1.0, IndexRecovery(d, db, meta.VMin, meta.VMax));
    }

    [Fact]
    public void Metadata_overrides_nmels_and_range_and_colormap()
    {
        var data = new float[40 * 10];
        for (int i = 0; i < data.Length; i++) data[i] = -60 + 50f * i / data.Length;
        var db = Spectrogram.Create(data, 40, 10, SpectrogramScale.Db, FrequencyAxis.Mel);
        var opts = new RenderOptions { Width = 200, Height = 160, Colormap = "inferno" };
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db, opts), MelImageMetadata.From(db, opts));
        var d = SpectrogramImageDecoder.Decode(png, new ImageDecodeOptions { NMels = 128, VMin = -80, VMax = 0 });
        Assert.Equal(40, d.Db.Bins);
        Assert.Same(Colormap.Inferno, d.Colormap);
        var collapsed = d.CollapseToFrames(out _);
        Assert.True(Golden.MaxAbsDiff(collapsed.Data, db.Data) <= 50.0 / 512 + 1e-4);
    }

    [Fact]
    public void Golden_synth2s_jpeg_decodes_by_luma_within_1_5_dB_rms()
    {
        var db = Synth();
        var d = SpectrogramImageDecoder.Decode(File.ReadAllBytes(FixturePath("synth2s_makemels.jpg")));
        Assert.Equal(ColorDecodeMethod.Luma, d.Method);
        Assert.Equal(ImageKind.MakeMels, d.Kind);
        Assert.Equal(ImageGeometry.Specshow, d.Geometry);
        double rms = RmsDbError(d, db);
        output.WriteLine($"synth2s JPEG: per-bin RMS error {rms:F3} dB, off-colormap {d.OffColormapFraction:P2}, median ΔE {d.MedianDeltaE:F2}");
        Assert.True(rms <= 1.5, $"RMS {rms:F3} dB > 1.5");
    }

    [SkippableFact]
    public void Golden_elise5s_jpeg_decodes_by_luma_within_1_5_dB_rms()
    {
        var db = SpectrogramRendererTests.GoldenDb(Golden.RequireShared("golden", "elise5s_mel_db.f32"));
        var path = Golden.RequireShared("golden", "elise5s_makemels.jpg");
        var d = SpectrogramImageDecoder.Decode(path);
        Assert.Equal(ColorDecodeMethod.Luma, d.Method);
        double rms = RmsDbError(d, db);
        var lab = SpectrogramImageDecoder.Decode(path, new ImageDecodeOptions { Method = ColorDecodeMethod.Lab, Geometry = ImageGeometry.Specshow });
        output.WriteLine($"elise5s JPEG: luma per-bin RMS error {rms:F3} dB (Lab: {RmsDbError(lab, db):F3} dB), off-colormap {d.OffColormapFraction:P2}, median ΔE {d.MedianDeltaE:F2}");
        Assert.True(rms <= 1.5, $"RMS {rms:F3} dB > 1.5");
    }

    [Fact]
    public void Sdxl_like_picture_decodes_with_uniform_bins_lab_and_inpainting()
    {
        var db = Synth();
        var image = SpectrogramRenderer.Render(db, new RenderOptions { Width = 1024, Height = 1024, VMin = -80, VMax = 0 });
        // paint a 3-column × 1-bin block (rows of bin 100, uniform 8 px) pure green: off the colormap
        var px = (byte[])image.Pixels.Clone();
        int r0 = 1024 - 101 * 8, r1 = 1024 - 100 * 8;
        for (int r = r0; r < r1; r++)
            for (int c = 500; c < 503; c++) { int i = 4 * (r * 1024 + c); px[i] = 0; px[i + 1] = 255; px[i + 2] = 0; }
        var png = MelImage.EncodePng(image with { Pixels = px });
        var d = SpectrogramImageDecoder.Decode(png, new ImageDecodeOptions { Method = ColorDecodeMethod.Lab });
        Assert.Equal(ImageKind.Generic, d.Kind);
        Assert.Equal(ImageGeometry.Uniform, d.Geometry);
        Assert.Equal((128, 1024), (d.Db.Bins, d.Db.Frames));
        Assert.Contains(d.Warnings, w => w.Contains("inpainted"));
        double rms = RmsDbError(d, db);
        output.WriteLine($"1024×1024 Lab/uniform decode of synth2s: RMS {rms:F3} dB; off {d.OffColormapFraction:P3}");
        Assert.True(rms < 1.0, $"RMS {rms:F3} dB ≥ 1.0");
        // the inpainted cells are close to their neighbours' level, not the nearest colour to green
        for (int c = 500; c < 503; c++) Assert.True(Math.Abs(d.Db[100, c] - d.Db[100, 498]) < 6, $"cell {c}: {d.Db[100, c]} vs {d.Db[100, 498]}");
    }

    [Theory]
    [InlineData("viridis")]
    [InlineData("inferno")]
    [InlineData("magma")]
    public void Auto_detects_the_colormap(string name)
    {
        var db = Synth();
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db, new RenderOptions { Colormap = name }));
        var d = SpectrogramImageDecoder.Decode(png);
        Assert.Equal(name, d.Colormap.Name);
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        Assert.Equal(1.0, IndexRecovery(d, db, vmin, vmax));
    }

    [Fact]
    public void Not_an_image_is_a_typed_error_naming_the_source()
    {
        var e = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode("this is just text, not a picture"u8.ToArray(), sourceName: "notes.png"));
        Assert.Contains("notes.png", e.Message);
        Assert.Equal("notes.png", e.FileName);
        Assert.IsAssignableFrom<SpecLoraException>(e);
        Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode([], sourceName: "empty.jpg"));
        var missing = Path.Combine(Path.GetTempPath(), "speclora-no-such-file.png");
        var m = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(missing));
        Assert.Contains(missing, m.Message);
    }

    [Fact]
    public void One_by_one_image_is_rejected_as_too_small()
    {
        using var bmp = new SKBitmap(1, 1);
        bmp.SetPixel(0, 0, SKColors.Black);
        var e = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(EncodeSkia(bmp), sourceName: "dot.png"));
        Assert.Contains("1×1", e.Message);
        Assert.Contains("too small", e.Message);
    }

    [Fact]
    public void Huge_image_is_rejected_from_its_header_before_decoding_pixels()
    {
        // A PNG whose IHDR claims 20000×20000; its IDAT is a tiny (incomplete) stream, so decoding pixels would fail
        // or take ~1.6 GB: the header check must come first.
        var ihdr = new byte[13];
        void Be(int off, int v) { ihdr[off] = (byte)(v >> 24); ihdr[off + 1] = (byte)(v >> 16); ihdr[off + 2] = (byte)(v >> 8); ihdr[off + 3] = (byte)v; }
        Be(0, 20000); Be(4, 20000);
        ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
        using var ms = new MemoryStream();
        ms.Write(PngChunks.Signature);
        ms.Write(PngChunks.BuildChunk("IHDR", ihdr));
        ms.Write(PngChunks.BuildChunk("IDAT", new byte[] { 0x78, 0x9C, 0x03, 0x00 }));
        ms.Write(PngChunks.BuildChunk("IEND", []));
        var e = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(ms.ToArray(), sourceName: "huge.png"));
        Assert.Contains("20000×20000", e.Message);
        Assert.Contains("too large", e.Message);
        Assert.Contains("huge.png", e.Message);
        // within the side limit but above the pixel budget
        var tooMany = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(File.ReadAllBytes(FixturePath("synth2s_makemels.png")), new ImageDecodeOptions { MaxPixels = 100_000 }));
        Assert.Contains("640×480", tooMany.Message);
    }

    [Fact]
    public void Grayscale_png_decodes_with_the_gray_colormap()
    {
        var db = Synth();
        var rgba = SpectrogramRenderer.Render(db, new RenderOptions { Colormap = "gray" });
        using var bmp = new SKBitmap(new SKImageInfo(640, 480, SKColorType.Gray8, SKAlphaType.Opaque));
        var gray = new byte[640 * 480];
        for (int i = 0; i < gray.Length; i++) gray[i] = rgba.Pixels[4 * i];
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bmp.GetPixels(), gray.Length);
        var d = SpectrogramImageDecoder.Decode(EncodeSkia(bmp));
        Assert.Same(Colormap.Gray, d.Colormap);
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        Assert.Equal(1.0, IndexRecovery(d, db, vmin, vmax));
        Assert.Equal(0.0, d.OffColormapFraction);
    }

    [Fact]
    public void Grayscale_version_of_a_magma_picture_decodes_by_luma_when_magma_is_asked()
    {
        var db = Synth();
        var rgba = SpectrogramRenderer.Render(db);
        var px = (byte[])rgba.Pixels.Clone();
        for (int i = 0; i < px.Length; i += 4)
        {
            byte y = (byte)Math.Round(0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]);
            px[i] = px[i + 1] = px[i + 2] = y;
        }
        var d = SpectrogramImageDecoder.Decode(MelImage.EncodePng(rgba with { Pixels = px }), new ImageDecodeOptions { Colormap = "magma" });
        Assert.Equal(ColorDecodeMethod.Luma, d.Method);
        Assert.Contains(d.Warnings, w => w.Contains("grayscale"));
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        double rms = RmsDbError(d, db); // synth2s spans exactly −80…0 dB, the decoder's default range
        output.WriteLine($"gray-of-magma luma decode: RMS {RmsDbError(d, db):F3} dB (vmin {vmin}, vmax {vmax})");
        Assert.True(rms < 1.0, $"RMS {rms:F3}");
    }

    [Fact]
    public void Rgba_input_ignores_alpha_with_a_warning()
    {
        var db = Synth();
        var rgba = SpectrogramRenderer.Render(db);
        var px = (byte[])rgba.Pixels.Clone();
        for (int i = 3; i < px.Length; i += 8) px[i] = 128; // half the pixels semi-transparent
        var d = SpectrogramImageDecoder.Decode(MelImage.EncodePng(rgba with { Pixels = px }));
        Assert.Contains(d.Warnings, w => w.Contains("alpha"));
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        Assert.Equal(1.0, IndexRecovery(d, db, vmin, vmax));
    }

    private static byte[] PhotoLikePicture()
    {
        // saturated greens, blues and cyans with noise: nothing near magma/inferno/viridis
        var rng = new Random(7);
        var px = new byte[4 * 256 * 256];
        for (int i = 0; i < 256 * 256; i++)
        {
            int kind = (i / 256 / 32 + i % 256 / 32) % 3;
            px[4 * i] = (byte)rng.Next(0, 30);
            px[4 * i + 1] = (byte)(kind == 1 ? rng.Next(0, 40) : rng.Next(200, 256));
            px[4 * i + 2] = (byte)(kind == 0 ? rng.Next(0, 40) : rng.Next(200, 256));
            px[4 * i + 3] = 255;
        }
        return MelImage.EncodePng(new RgbaImage(256, 256, px));
    }

    [Fact]
    public void Photo_without_colormap_pixels_warns_with_the_fraction_or_throws_in_strict_mode()
    {
        var bytes = PhotoLikePicture();
        var d = SpectrogramImageDecoder.Decode(bytes, sourceName: "photo.png");
        output.WriteLine($"photo: off-colormap {d.OffColormapFraction:P1} ({d.Colormap.Name}), median ΔE {d.MedianDeltaE:F1}");
        Assert.True(d.OffColormapFraction > 0.95, $"off fraction {d.OffColormapFraction}");
        Assert.Contains(d.Warnings, w => w.Contains("off the") && w.Contains('%'));
        Assert.All(d.Db.Data, v => Assert.True(float.IsFinite(v) && v >= -80 && v <= 0));
        var e = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(bytes, new ImageDecodeOptions { Strict = true }, "photo.png"));
        Assert.Contains("photo.png", e.Message);
        Assert.Contains("off the", e.Message);
        // strict mode accepts a real mel picture
        SpectrogramImageDecoder.Decode(File.ReadAllBytes(FixturePath("synth2s_makemels.jpg")), new ImageDecodeOptions { Strict = true });
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new ImageDecodeOptions { Colormap = "jet" }.Validate());
        Assert.ThrowsAny<ArgumentException>(() => new ImageDecodeOptions { NMels = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new ImageDecodeOptions { VMin = 0, VMax = -80 }.Validate());
    }

    [SkippableFact]
    public void Every_seed_mel_and_sdxl_result_decodes_and_reports_its_off_colormap_fraction()
    {
        var mels = Golden.RequireShared("seed", "mels");
        var results = Golden.RequireShared("seed", "results");
        var files = Directory.GetFiles(mels).Concat(Directory.GetFiles(results)).Where(f => f.EndsWith(".jpg") || f.EndsWith(".png")).Order().ToArray();
        Assert.Equal(15, files.Length);
        foreach (var f in files)
        {
            var d = SpectrogramImageDecoder.Decode(f);
            var img = MelImage.DecodeRgba(File.ReadAllBytes(f));
            var packed = new int[img.Width * img.Height];
            for (int i = 0; i < packed.Length; i++) packed[i] = img.Pixels[4 * i] << 16 | img.Pixels[4 * i + 1] << 8 | img.Pixels[4 * i + 2];
            SpectrogramImageDecoder.DetectColormap(packed, false, out var scores);
            output.WriteLine("  colormap scores " + string.Join(", ", scores.Select(kv => $"{kv.Key} {kv.Value:F2}")));
            output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(f))}/{Path.GetFileName(f)} {d.SourceWidth}×{d.SourceHeight} {d.Kind} {d.Method} {d.Geometry} {d.Colormap.Name}: off-colormap {d.OffColormapFraction:P2}, median ΔE {d.MedianDeltaE:F1}, mean dB {d.Db.Data.Average():F1}; {string.Join(" | ", d.Warnings)}");
            Assert.Equal(128, d.Db.Bins);
            Assert.Equal(d.SourceWidth, d.Db.Frames);
            Assert.All(d.Db.Data, v => Assert.True(float.IsFinite(v) && v >= -80 && v <= 0));
            Assert.InRange(d.OffColormapFraction, 0, 1);
            Assert.Same(Colormap.Magma, d.Colormap);
            if (f.EndsWith(".jpg")) Assert.Equal(ColorDecodeMethod.Luma, d.Method);
        }
    }

    [Fact]
    public void Fast_lab_projection_agrees_with_the_exhaustive_search()
    {
        var rng = new Random(11);
        foreach (var map in Colormap.All)
        {
            var p = ColormapProjector.For(map);
            int agree = 0, n = 4000, onMapAgree = 0, onMap = 0;
            for (int i = 0; i < n; i++)
            {
                int r, g, b;
                if (i % 2 == 0) { r = rng.Next(256); g = rng.Next(256); b = rng.Next(256); }
                else
                {
                    // near the map: a LUT colour plus JPEG-like noise
                    var (lr, lg, lb) = map[rng.Next(256)];
                    r = Math.Clamp(lr + rng.Next(-6, 7), 0, 255); g = Math.Clamp(lg + rng.Next(-6, 7), 0, 255); b = Math.Clamp(lb + rng.Next(-6, 7), 0, 255);
                }
                var fast = p.ProjectLab(r, g, b);
                var full = p.ProjectLabExhaustive(r, g, b);
                if (Math.Abs(fast.DeltaE - full.DeltaE) < 1e-3) agree++;
                if (full.DeltaE < 20) { onMap++; if (Math.Abs(fast.T - full.T) < 1e-3) onMapAgree++; }
            }
            output.WriteLine($"{map.Name}: ΔE agrees for {agree}/{n}, index agrees for {onMapAgree}/{onMap} colours within ΔE 20");
            Assert.True(agree >= 0.995 * n, $"{map.Name}: {agree}/{n}");
            Assert.True(onMapAgree >= 0.999 * onMap, $"{map.Name}: {onMapAgree}/{onMap}");
        }
    }

    /// <summary>Issue 8: the first 1000 bytes of a real PNG or JPEG (and two thirds of one) decoded "ok" into loud noise.
    /// A picture that ends early is an error that names the file and says what to do, from bytes and from a file.</summary>
    [Theory]
    [InlineData("synth2s_makemels.png", 1000)]
    [InlineData("synth2s_makemels.jpg", 1000)]
    [InlineData("synth2s_makemels.png", -1)]
    [InlineData("synth2s_makemels.jpg", -1)]
    public void Truncated_picture_is_an_error_naming_the_file(string fixture, int keep)
    {
        var bytes = File.ReadAllBytes(FixturePath(fixture));
        var cut = bytes.AsSpan(0, keep > 0 ? keep : bytes.Length * 2 / 3).ToArray();
        var e = Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(cut, sourceName: "cut" + Path.GetExtension(fixture)));
        Assert.Contains("cut" + Path.GetExtension(fixture), e.Message);
        Assert.Contains("ends early", e.Message);
        Assert.Contains("download it again", e.Message);

        var path = Path.Combine(Path.GetTempPath(), $"speclora-cut-{Guid.NewGuid():N}{Path.GetExtension(fixture)}");
        File.WriteAllBytes(path, cut);
        try
        {
            Assert.Contains(path, Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.CheckPicture(path)).Message);
            Assert.Contains(path, Assert.Throws<SpectrogramImageException>(() => SpectrogramImageDecoder.Decode(path)).Message);
        }
        finally { File.Delete(path); }
        SpectrogramImageDecoder.CheckPicture(FixturePath(fixture));   // the whole file passes
    }

    /// <summary>Issue 8: all-black and all-white pictures (any size, PNG or JPEG) carry no signal: flagged and warned,
    /// while a real picture is not.</summary>
    [Theory]
    [InlineData(0, 0, 0, 640, 480, SKEncodedImageFormat.Png)]
    [InlineData(255, 255, 255, 640, 480, SKEncodedImageFormat.Jpeg)]
    [InlineData(0, 0, 4, 512, 512, SKEncodedImageFormat.Jpeg)]   // magma's first colour, not 640×480
    public void One_colour_picture_has_no_signal(byte r, byte g, byte b, int w, int h, SKEncodedImageFormat format)
    {
        using var bmp = new SKBitmap(w, h);
        bmp.Erase(new SKColor(r, g, b));
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(format, 90);
        var d = SpectrogramImageDecoder.Decode(data.ToArray(), sourceName: "blank");
        Assert.True(d.NoSignal);
        Assert.Contains(MelImage.NoSignalPictureWarning, d.Warnings);
        var real = SpectrogramImageDecoder.Decode(File.ReadAllBytes(FixturePath("synth2s_makemels.jpg")));
        Assert.False(real.NoSignal);
        Assert.DoesNotContain(MelImage.NoSignalPictureWarning, real.Warnings);
    }

    [Fact]
    public void Lossless_render_of_any_size_uses_specshow_rows_and_recovers_every_index()
    {
        var db = Synth();
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db, new RenderOptions { Width = 333, Height = 200 }));
        var d = SpectrogramImageDecoder.Decode(png);
        Assert.Equal(ImageKind.Generic, d.Kind);
        Assert.Equal(ColorDecodeMethod.ExactLut, d.Method);
        Assert.Equal(ImageGeometry.Specshow, d.Geometry);
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        Assert.Equal(1.0, IndexRecovery(d, db, vmin, vmax));
    }
}
