using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpecLora.Audio;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>
/// The parameters behind a mel picture, stored as JSON in a PNG <c>tEXt</c> chunk with keyword
/// <see cref="PngKeyword"/> ("speclora") right after <c>IHDR</c>, so that decoding the picture back is exact.
/// Field names follow librosa (<c>sr</c>, <c>n_fft</c>, <c>hop_length</c>, <c>n_mels</c>, …).
/// </summary>
/// <remarks>
/// <para><b>Hard limits.</b> A picture's metadata comes from outside, so it is checked when it is read, before anything
/// is allocated from it; metadata that breaks any limit is not trusted at all (<see cref="TryRead(ReadOnlySpan{byte}, out MelImageMetadata?, out IReadOnlyList{string}, int?)"/>
/// gives every reason, and the decoder then reads the picture as a plain picture, with a warning):</para>
/// <list type="bullet">
/// <item>the JSON text: at most <see cref="MaxJsonLength"/> characters (ours are ≈ 300), an object, each field of its type;</item>
/// <item><c>sr</c> 1,000…768,000 Hz (the audio loader's range, <see cref="AudioLimits"/>);</item>
/// <item><c>n_fft</c> a power of two in <see cref="MinNFft"/>…<see cref="MaxNFft"/> (16…65,536; <see cref="StftOptions"/> needs a power of two ≥ 16);</item>
/// <item><c>hop_length</c> 1…n_fft;</item>
/// <item><c>n_mels</c> 1…<see cref="ImageDecodeOptions.MaxNMels"/> (4096, as <see cref="MelOptions"/>) and, when the
/// reader gives the picture's height, at most that height;</item>
/// <item><c>fmin</c>, <c>fmax</c> finite with 0 ≤ fmin &lt; fmax ≤ sr/2; <c>norm</c> "slaney" or null; <c>cmap</c> one of
/// <see cref="Imaging.Colormap.Names"/>;</item>
/// <item><c>vmin</c> ≤ <c>vmax</c>, both finite within ±<see cref="MaxAbsDb"/> dB (equal only for a picture of one level,
/// such as silence);</item>
/// <item><c>ref_power</c> absent, 0 (silent audio: no level) or finite in (0, 3.4·10³⁸], and vmax + 10·log10(ref_power)
/// at most 385 dB, so that the top colour is a finite float32 power;</item>
/// <item><c>frames</c> 0 (not recorded) or 1…<see cref="MaxFrames"/>(n_fft) = 100,000,000 / (n_fft/2 + 1), the most
/// frames the inversion synthesises at once (97,560 at n_fft 2048, ≈ 37 min at 22,050 Hz with hop 512);</item>
/// <item><c>duration</c> 0 (not recorded) or finite and consistent with the frames:
/// |duration·sr − (frames − 1)·hop_length| ≤ n_fft + hop_length samples (a centred STFT of n samples has 1 + n/hop
/// frames; an uncentred one n_fft more samples).</item>
/// </list>
/// <para><see cref="ToJson"/> never writes a non-finite number.</para>
/// </remarks>
public sealed record MelImageMetadata
{
    /// <summary>The <c>tEXt</c> keyword under which the JSON is stored.</summary>
    public const string PngKeyword = "speclora";

    /// <summary>Longest metadata text read, in characters (64 KiB; ours are ≈ 300).</summary>
    public const int MaxJsonLength = 1 << 16;

    /// <summary>Smallest <c>n_fft</c> accepted.</summary>
    public const int MinNFft = 16;

    /// <summary>Largest <c>n_fft</c> accepted.</summary>
    public const int MaxNFft = 65536;

    /// <summary>Largest |vmin|, |vmax| accepted, in dB (float32 power spans −450…+385 dB).</summary>
    public const float MaxAbsDb = 400f;

    /// <summary>Largest <c>frames</c> accepted at <paramref name="nFft"/>: the one memory limit of every job over a time
    /// axis, <see cref="FrameAxis.MaxFrames"/> (<see cref="FrameAxis.MaxCoefficients"/> / (n_fft/2 + 1)).</summary>
    public static int MaxFrames(int nFft) => FrameAxis.MaxFrames(Math.Clamp(nFft, 2, MaxNFft));

    /// <summary>Sample rate in Hz (librosa <c>sr</c>).</summary>
    [JsonPropertyName("sr")] public int SampleRate { get; init; } = LibrosaDefaults.SampleRate;
    /// <summary>FFT length (librosa <c>n_fft</c>).</summary>
    [JsonPropertyName("n_fft")] public int NFft { get; init; } = LibrosaDefaults.NFft;
    /// <summary>Hop in samples (librosa <c>hop_length</c>).</summary>
    [JsonPropertyName("hop_length")] public int HopLength { get; init; } = LibrosaDefaults.HopLength;
    /// <summary>Number of mel bands (librosa <c>n_mels</c>).</summary>
    [JsonPropertyName("n_mels")] public int NMels { get; init; } = LibrosaDefaults.NMels;
    /// <summary>Lowest mel band edge in Hz (librosa <c>fmin</c>).</summary>
    [JsonPropertyName("fmin")] public double FMinHz { get; init; }
    /// <summary>Highest mel band edge in Hz (librosa <c>fmax</c>; sr/2 by default).</summary>
    [JsonPropertyName("fmax")] public double FMaxHz { get; init; } = LibrosaDefaults.SampleRate / 2.0;
    /// <summary>HTK mel scale instead of Slaney (librosa <c>htk</c>).</summary>
    [JsonPropertyName("htk")] public bool Htk { get; init; }
    /// <summary>Filter normalisation (librosa <c>norm</c>): "slaney" or null.</summary>
    [JsonPropertyName("norm")] public string? Norm { get; init; } = "slaney";
    /// <summary>dB value of the first colour (matplotlib <c>vmin</c>), exactly as rendered (float32).</summary>
    [JsonPropertyName("vmin")] public float VMin { get; init; } = -80f;
    /// <summary>dB value of the last colour (matplotlib <c>vmax</c>), exactly as rendered (float32).</summary>
    [JsonPropertyName("vmax")] public float VMax { get; init; }
    /// <summary>The power that 0 dB stands for (<c>S.max()</c> with <c>ref=np.max</c>); null when unknown, 0 for silent audio.</summary>
    [JsonPropertyName("ref_power")] public double? ReferencePower { get; init; }
    /// <summary>Number of STFT frames of the matrix drawn (T); pixel column c shows frame floor((c+0.5)·T/W). 0 = not recorded.</summary>
    [JsonPropertyName("frames")] public int Frames { get; init; }
    /// <summary>Duration in seconds of the audio drawn. 0 = not recorded.</summary>
    [JsonPropertyName("duration")] public double DurationSeconds { get; init; }
    /// <summary>Colormap name (see <see cref="Colormap.Names"/>).</summary>
    [JsonPropertyName("cmap")] public string Colormap { get; init; } = "magma";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Metadata describing <paramref name="db"/> rendered with <paramref name="render"/>: frame count, sample rate,
    /// hop and n_fft come from the spectrogram, the mel settings from <paramref name="mel"/> (librosa defaults when
    /// null), vmin/vmax from <see cref="SpectrogramRenderer.ResolveRange"/>.
    /// </summary>
    /// <param name="db">The dB matrix drawn.</param>
    /// <param name="render">The render options (null = makeMels defaults).</param>
    /// <param name="mel">The mel settings that produced the matrix (null = librosa defaults at the spectrogram's rate);
    /// their rate must be the spectrogram's.</param>
    /// <param name="referencePower">The reference power of <c>power_to_db</c>, when known.</param>
    /// <param name="durationSeconds">The audio duration; null = hop·(T−1)/sr.</param>
    /// <example>
    /// <code>
    /// var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels, out float refPower);
    /// MelImage.Save("elise.png", db, metadata: MelImageMetadata.From(db, referencePower: refPower, durationSeconds: clip.DurationSeconds));
    /// </code>
    /// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
    /// </example>
    public static MelImageMetadata From(Spectrogram db, RenderOptions? render = null, MelOptions? mel = null,
        double? referencePower = null, double? durationSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (mel is not null && mel.SampleRate != db.SampleRate)
            throw new ArgumentException($"the spectrogram is of audio at {db.SampleRate} Hz but MelOptions.SampleRate is {mel.SampleRate} Hz: " +
                "pass the mel options that produced it", nameof(mel));
        render ??= new RenderOptions();
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db, render);
        return new MelImageMetadata
        {
            SampleRate = db.SampleRate,
            NFft = db.NFft,
            HopLength = db.HopLength,
            NMels = db.Bins,
            FMinHz = mel?.FMinHz ?? 0,
            FMaxHz = mel?.EffectiveFMaxHz ?? db.SampleRate / 2.0,
            Htk = mel?.Htk ?? false,
            Norm = mel is null || mel.SlaneyNorm ? "slaney" : null,
            VMin = vmin,
            VMax = vmax,
            ReferencePower = referencePower,
            Frames = db.Frames,
            DurationSeconds = durationSeconds ?? db.DurationSeconds,
            Colormap = Imaging.Colormap.ByName(render.Colormap).Name,
        };
    }

    /// <summary>The JSON text stored in the chunk (ASCII).</summary>
    /// <exception cref="InvalidOperationException">A number is NaN or infinite (JSON has no such numbers, and a reader
    /// could not trust them); the message lists each.</exception>
    public string ToJson()
    {
        var bad = new List<string>();
        void Finite(string name, double v) { if (!double.IsFinite(v)) bad.Add(string.Create(Inv, $"{name}={v}")); }
        Finite("fmin", FMinHz);
        Finite("fmax", FMaxHz);
        Finite("vmin", VMin);
        Finite("vmax", VMax);
        if (ReferencePower is { } rp) Finite("ref_power", rp);
        Finite("duration", DurationSeconds);
        if (bad.Count > 0)
            throw new InvalidOperationException($"the picture metadata cannot be written: {string.Join(", ", bad)} {(bad.Count == 1 ? "is not a finite number" : "are not finite numbers")}; " +
                "the spectrogram it describes is not finite either (check the audio it came from)");
        return JsonSerializer.Serialize(this, Json);
    }

    /// <summary>Parses <see cref="ToJson"/> output; null when the text is not valid metadata or breaks a limit.</summary>
    public static MelImageMetadata? FromJson(string json) => FromJson(json, out _);

    /// <summary>Parses <see cref="ToJson"/> output, checking every limit (see the remarks) before anything is allocated
    /// from it.</summary>
    /// <param name="json">The chunk's text.</param>
    /// <param name="problems">Every reason the text is not trusted (each quoting the value), empty when it is.</param>
    /// <param name="pictureHeight">The picture's height in pixels, when known: n_mels may not exceed it.</param>
    /// <returns>The metadata, or null when <paramref name="problems"/> is not empty.</returns>
    public static MelImageMetadata? FromJson(string json, out IReadOnlyList<string> problems, int? pictureHeight = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var list = new List<string>();
        var m = Parse(json, list);
        if (m is not null) list.AddRange(m.Problems(pictureHeight));
        problems = list;
        return list.Count == 0 ? m : null;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every broken limit (see the remarks); returns this
    /// instance otherwise.</summary>
    public MelImageMetadata Validate()
    {
        var errors = Problems();
        if (errors.Count > 0) throw new ArgumentException("Invalid picture metadata: " + string.Join("; ", errors));
        return this;
    }

    /// <summary>Every limit (see the remarks) this metadata breaks, each quoting the value; empty when it is trusted.</summary>
    /// <param name="pictureHeight">The picture's height in pixels, when known: n_mels may not exceed it.</param>
    public IReadOnlyList<string> Problems(int? pictureHeight = null)
    {
        var p = new List<string>();
        void Add(FormattableString f) => p.Add(f.ToString(Inv));
        if (!AudioLimits.IsSampleRateInRange(SampleRate)) Add($"sr={SampleRate} is outside {AudioLimits.SampleRateRange}");
        bool nfftOk = NFft is >= MinNFft and <= MaxNFft && (NFft & (NFft - 1)) == 0;
        if (!nfftOk) Add($"n_fft={NFft} is not a power of two in {MinNFft}…{MaxNFft:N0}");
        if (HopLength < 1 || (nfftOk && HopLength > NFft)) Add($"hop_length={HopLength} is outside 1…n_fft={NFft}");
        if (NMels < 1 || NMels > ImageDecodeOptions.MaxNMels) Add($"n_mels={NMels} is outside 1…{ImageDecodeOptions.MaxNMels}");
        else if (pictureHeight is { } h && NMels > h) Add($"n_mels={NMels} is above the picture's height ({h} px)");
        if (!double.IsFinite(FMinHz) || FMinHz < 0) Add($"fmin={FMinHz} must be a finite frequency ≥ 0 Hz");
        if (!double.IsFinite(FMaxHz) || FMaxHz <= FMinHz) Add($"fmax={FMaxHz} must be a finite frequency above fmin={FMinHz} Hz");
        else if (FMaxHz > SampleRate / 2.0 + 1e-9) Add($"fmax={FMaxHz} is above sr/2={SampleRate / 2.0} Hz");
        if (Norm is not (null or "slaney")) Add($"norm=\"{Shown(Norm)}\" is neither \"slaney\" nor null");
        if (RenderOptions.ColormapProblem(Colormap, allowAuto: false) is not null)
            Add($"cmap=\"{Shown(Colormap)}\" is not one of {string.Join(", ", Imaging.Colormap.Names)}");
        bool levelsOk = true;
        foreach (var (name, v) in new[] { ("vmin", VMin), ("vmax", VMax) })
            if (!float.IsFinite(v) || Math.Abs(v) > MaxAbsDb) { Add($"{name}={v} is outside −{MaxAbsDb}…{MaxAbsDb} dB"); levelsOk = false; }
        if (levelsOk && VMin > VMax) Add($"vmin={VMin} is above vmax={VMax} (a picture with content would read as one level)");
        if (ReferencePower is { } rp)
        {
            if (!double.IsFinite(rp) || rp < 0 || rp > float.MaxValue)
                Add($"ref_power={rp} must be 0 (silent audio) or a finite power in (0, {float.MaxValue:G3}]");
            else if (rp > 0 && levelsOk && VMax + 10 * Math.Log10(rp) > 10 * Math.Log10(float.MaxValue))
                Add($"vmax={VMax} dB at ref_power={rp:G6} stands for a power of {rp * Math.Pow(10, VMax / 10.0):G3}, beyond float32 ({float.MaxValue:G3})");
        }
        int maxFrames = MaxFrames(nfftOk ? NFft : MaxNFft);
        if (Frames < 0 || Frames > maxFrames)
            Add($"frames={Frames} is outside 0…{maxFrames:N0} (the most frames inverted at once at n_fft={NFft})");
        if (!double.IsFinite(DurationSeconds) || DurationSeconds < 0)
            Add($"duration={DurationSeconds} must be a finite number of seconds ≥ 0");
        else if (DurationSeconds > 0 && AudioLimits.IsSampleRateInRange(SampleRate) && nfftOk && HopLength >= 1 && Frames >= 0 && Frames <= maxFrames)
        {
            // A centred STFT of n samples has 1 + n/hop frames; an uncentred one needs n_fft more samples.
            double samples = DurationSeconds * SampleRate;
            long lo = Frames > 0 ? (Frames - 1L) * HopLength - HopLength : 0, hi = Math.Max(Frames - 1L, 0) * HopLength + NFft + HopLength;
            if (Frames == 0) hi = (maxFrames - 1L) * HopLength + NFft + HopLength;
            if (samples < lo || samples > hi)
                Add($"duration={DurationSeconds:G6} s does not match frames={Frames} × hop_length={HopLength} at sr={SampleRate} ({Math.Max(0, lo) / (double)SampleRate:0.####}…{hi / (double)SampleRate:0.####} s)");
        }
        return p;
    }

    private static string Shown(string? text) => TerminalText.Visible(text is { Length: > 40 } ? text[..40] + "…" : text);

    /// <summary>Reads the fields from the JSON text without the serializer: each known field must have its type; unknown
    /// fields are ignored, absent ones keep their defaults (as the serializer did). Null when the text is not a JSON object.</summary>
    private static MelImageMetadata? Parse(string json, List<string> problems)
    {
        if (json.Length > MaxJsonLength)
        {
            problems.Add(string.Create(Inv, $"its text is {json.Length:N0} characters long (at most {MaxJsonLength:N0})"));
            return null;
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 }); }
        catch (JsonException e)
        {
            problems.Add(string.Create(Inv, $"its text is not valid JSON (at character {(e.BytePositionInLine ?? 0) + 1} of line {(e.LineNumber ?? 0) + 1})"));
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"its JSON is {Article(root.ValueKind)}, not an object");
                return null;
            }
            var m = new MelImageMetadata();
            foreach (var f in root.EnumerateObject())
            {
                var v = f.Value;
                switch (f.Name)
                {
                    case "sr": if (Int(f, problems) is { } sr) m = m with { SampleRate = sr }; break;
                    case "n_fft": if (Int(f, problems) is { } nfft) m = m with { NFft = nfft }; break;
                    case "hop_length": if (Int(f, problems) is { } hop) m = m with { HopLength = hop }; break;
                    case "n_mels": if (Int(f, problems) is { } mels) m = m with { NMels = mels }; break;
                    case "frames": if (Int(f, problems) is { } frames) m = m with { Frames = frames }; break;
                    case "fmin": if (Double(f, problems) is { } fmin) m = m with { FMinHz = fmin }; break;
                    case "fmax": if (Double(f, problems) is { } fmax) m = m with { FMaxHz = fmax }; break;
                    case "duration": if (Double(f, problems) is { } dur) m = m with { DurationSeconds = dur }; break;
                    case "ref_power":
                        if (v.ValueKind == JsonValueKind.Null) m = m with { ReferencePower = null };
                        else if (Double(f, problems) is { } rp) m = m with { ReferencePower = rp };
                        break;
                    case "vmin": if (Single(f, problems) is { } vmin) m = m with { VMin = vmin }; break;
                    case "vmax": if (Single(f, problems) is { } vmax) m = m with { VMax = vmax }; break;
                    case "htk":
                        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) m = m with { Htk = v.GetBoolean() };
                        else problems.Add($"htk is {Article(v.ValueKind)}, not true or false");
                        break;
                    case "norm":
                        if (v.ValueKind == JsonValueKind.Null) m = m with { Norm = null };
                        else if (v.ValueKind == JsonValueKind.String) m = m with { Norm = v.GetString() };
                        else problems.Add($"norm is {Article(v.ValueKind)}, not a string or null");
                        break;
                    case "cmap":
                        if (v.ValueKind == JsonValueKind.String) m = m with { Colormap = v.GetString()! };
                        else problems.Add($"cmap is {Article(v.ValueKind)}, not a colormap name");
                        break;
                }
            }
            return m;
        }
    }

    private static string Raw(JsonElement v)
    {
        var t = v.GetRawText();
        return TerminalText.Visible(t.Length > 24 ? t[..24] + "…" : t);
    }

    private static string Article(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "not a value",
    };

    private static int? Int(JsonProperty f, List<string> problems)
    {
        if (f.Value.ValueKind != JsonValueKind.Number) { problems.Add($"{f.Name} is {Article(f.Value.ValueKind)}, not a whole number"); return null; }
        if (f.Value.TryGetDouble(out double d) && Math.Floor(d) == d && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        problems.Add($"{f.Name}={Raw(f.Value)} is not a whole number in the range of a 32-bit integer");
        return null;
    }

    private static double? Double(JsonProperty f, List<string> problems)
    {
        if (f.Value.ValueKind != JsonValueKind.Number) { problems.Add($"{f.Name} is {Article(f.Value.ValueKind)}, not a number"); return null; }
        if (f.Value.TryGetDouble(out double d) && double.IsFinite(d)) return d;
        problems.Add($"{f.Name}={Raw(f.Value)} is not a finite number");
        return null;
    }

    private static float? Single(JsonProperty f, List<string> problems)
    {
        if (f.Value.ValueKind != JsonValueKind.Number) { problems.Add($"{f.Name} is {Article(f.Value.ValueKind)}, not a number"); return null; }
        if (f.Value.TryGetSingle(out float x) && float.IsFinite(x)) return x;
        problems.Add($"{f.Name}={Raw(f.Value)} is not a finite float32 number");
        return null;
    }

    /// <summary>Returns a copy of <paramref name="png"/> with this metadata in a <c>tEXt</c> chunk after <c>IHDR</c>
    /// (any earlier "speclora" chunk is dropped).</summary>
    /// <exception cref="ArgumentException">The bytes are not a PNG.</exception>
    /// <exception cref="InvalidOperationException">A number is not finite (see <see cref="ToJson"/>).</exception>
    public byte[] EmbedInPng(ReadOnlySpan<byte> png) => PngChunks.InsertText(png, PngKeyword, ToJson());

    /// <summary>Reads the metadata of a PNG we wrote. False when the bytes are not a PNG, carry no "speclora" chunk,
    /// the chunk's CRC is wrong, its JSON does not parse, or it breaks a limit (see the remarks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> pngBytes, out MelImageMetadata? metadata) => TryRead(pngBytes, out metadata, out _);

    /// <summary>Reads and checks the metadata of a PNG we wrote (see the remarks for the limits).</summary>
    /// <param name="pngBytes">The picture file's bytes.</param>
    /// <param name="metadata">The metadata when it is trusted, else null.</param>
    /// <param name="problems">Why a "speclora" chunk that is present is not trusted (a damaged chunk, malformed JSON, each
    /// broken limit with its value); empty when the metadata is trusted or there is no chunk at all.</param>
    /// <param name="pictureHeight">The picture's height in pixels, when known: n_mels may not exceed it.</param>
    /// <returns>True when the metadata is present and trusted.</returns>
    public static bool TryRead(ReadOnlySpan<byte> pngBytes, out MelImageMetadata? metadata, out IReadOnlyList<string> problems, int? pictureHeight = null)
    {
        metadata = null;
        problems = [];
        switch (PngChunks.FindText(pngBytes, PngKeyword, MaxJsonLength, out var text))
        {
            case PngChunks.TextLookup.Absent: return false;
            case PngChunks.TextLookup.BadCrc: problems = ["its PNG chunk is damaged (the CRC does not match)"]; return false;
            case PngChunks.TextLookup.TooLong: problems = [string.Create(Inv, $"its text is longer than {MaxJsonLength:N0} characters")]; return false;
        }
        metadata = FromJson(text!, out problems, pictureHeight);
        return metadata is not null;
    }

    /// <summary>Reads the metadata of a PNG we wrote, or null (see <see cref="TryRead(ReadOnlySpan{byte}, out MelImageMetadata?)"/>).</summary>
    public static MelImageMetadata? TryRead(ReadOnlySpan<byte> pngBytes) => TryRead(pngBytes, out var m) ? m : null;

    /// <summary>The trusted metadata of a PNG, or null; when a "speclora" chunk is present but not trusted, adds
    /// <see cref="IgnoredWarning"/> to <paramref name="warnings"/>. This is the decoder's one call.</summary>
    /// <param name="pngBytes">The picture file's bytes (anything else gives null).</param>
    /// <param name="pictureHeight">The picture's height in pixels: n_mels may not exceed it.</param>
    /// <param name="warnings">Receives the warning.</param>
    public static MelImageMetadata? ReadTrusted(ReadOnlySpan<byte> pngBytes, int pictureHeight, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        if (TryRead(pngBytes, out var m, out var problems, pictureHeight)) return m;
        if (problems.Count > 0) warnings.Add(IgnoredWarning(problems));
        return null;
    }

    /// <summary>The warning for untrusted metadata: "the picture's speclora metadata was ignored (n_mels=1000000 is
    /// outside 1…4096); it was decoded as a plain picture".</summary>
    public static string IgnoredWarning(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"the picture's speclora metadata was ignored ({string.Join("; ", problems)}); it was decoded as a plain picture " +
            "(colormap, levels and n_mels from the options), so its time axis and level are estimates";
    }
}

/// <summary>Minimal PNG chunk surgery: CRC-32 (ISO 3309, as PNG uses), tEXt insertion after IHDR and lookup.</summary>
internal static class PngChunks
{
    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>CRC-32 of the bytes (initial 0xFFFFFFFF, final complement), as in the PNG specification.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        uint c = ~crc;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    internal static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 && bytes[..8].SequenceEqual(Signature);

    private static uint ReadBe(ReadOnlySpan<byte> b) => (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);

    private static void WriteBe(Span<byte> b, uint v)
    {
        b[0] = (byte)(v >> 24); b[1] = (byte)(v >> 16); b[2] = (byte)(v >> 8); b[3] = (byte)v;
    }

    /// <summary>A complete chunk: length, type, data, CRC over type+data.</summary>
    internal static byte[] BuildChunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        WriteBe(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        WriteBe(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    internal static byte[] InsertText(ReadOnlySpan<byte> png, string keyword, string text)
    {
        if (!IsPng(png)) throw new ArgumentException("the bytes are not a PNG (bad signature)", nameof(png));
        if (png.Length < 33 || Encoding.ASCII.GetString(png.Slice(12, 4)) != "IHDR")
            throw new ArgumentException("the PNG does not start with an IHDR chunk", nameof(png));
        var latin1 = Encoding.Latin1;
        var payload = new byte[keyword.Length + 1 + latin1.GetByteCount(text)];
        latin1.GetBytes(keyword, payload);
        latin1.GetBytes(text, payload.AsSpan(keyword.Length + 1));
        var chunk = BuildChunk("tEXt", payload);

        using var ms = new MemoryStream(png.Length + chunk.Length);
        ms.Write(png[..33]);
        ms.Write(chunk);
        int pos = 33;
        while (pos + 12 <= png.Length)
        {
            int len = (int)ReadBe(png[pos..]);
            if (len < 0 || pos + 12L + len > png.Length) break;
            bool drop = Encoding.ASCII.GetString(png.Slice(pos + 4, 4)) == "tEXt" && TextKeyword(png.Slice(pos + 8, len)) == keyword;
            if (!drop) ms.Write(png.Slice(pos, 12 + len));
            pos += 12 + len;
        }
        if (pos < png.Length) ms.Write(png[pos..]);
        return ms.ToArray();
    }

    private static string? TextKeyword(ReadOnlySpan<byte> data)
    {
        int z = data.IndexOf((byte)0);
        return z <= 0 ? null : Encoding.Latin1.GetString(data[..z]);
    }

    /// <summary>What <see cref="FindText"/> found.</summary>
    internal enum TextLookup { Absent, Found, BadCrc, TooLong }

    /// <summary>The first tEXt chunk with this keyword (before IEND): its text when its CRC is right and it has at most
    /// <paramref name="maxLength"/> characters (no string is made of a longer one).</summary>
    internal static TextLookup FindText(ReadOnlySpan<byte> png, string keyword, int maxLength, out string? text)
    {
        text = null;
        if (!IsPng(png)) return TextLookup.Absent;
        int pos = 8;
        while (pos + 12 <= png.Length)
        {
            long len = ReadBe(png[pos..]);
            if (pos + 12L + len > png.Length) return TextLookup.Absent;
            var type = Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            if (type == "IEND") return TextLookup.Absent;
            if (type == "tEXt")
            {
                var data = png.Slice(pos + 8, (int)len);
                if (TextKeyword(data) == keyword)
                {
                    uint crc = ReadBe(png[(pos + 8 + (int)len)..]);
                    if (Crc32(png.Slice(pos + 4, 4 + (int)len)) != crc) return TextLookup.BadCrc;
                    if (len - keyword.Length - 1 > maxLength) return TextLookup.TooLong;
                    text = Encoding.Latin1.GetString(data[(keyword.Length + 1)..]);
                    return TextLookup.Found;
                }
            }
            pos += 12 + (int)len;
        }
        return TextLookup.Absent;
    }
}
