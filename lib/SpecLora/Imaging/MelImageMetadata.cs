using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>
/// The parameters behind a mel picture, stored as JSON in a PNG <c>tEXt</c> chunk with keyword
/// <see cref="PngKeyword"/> ("speclora") right after <c>IHDR</c>, so that decoding the picture back is exact.
/// Field names follow librosa (<c>sr</c>, <c>n_fft</c>, <c>hop_length</c>, <c>n_mels</c>, …).
/// </summary>
public sealed record MelImageMetadata
{
    /// <summary>The <c>tEXt</c> keyword under which the JSON is stored.</summary>
    public const string PngKeyword = "speclora";

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
    /// <summary>The power that 0 dB stands for (<c>S.max()</c> with <c>ref=np.max</c>); null when unknown.</summary>
    [JsonPropertyName("ref_power")] public double? ReferencePower { get; init; }
    /// <summary>Number of STFT frames of the matrix drawn (T); pixel column c shows frame floor((c+0.5)·T/W).</summary>
    [JsonPropertyName("frames")] public int Frames { get; init; }
    /// <summary>Duration in seconds of the audio drawn.</summary>
    [JsonPropertyName("duration")] public double DurationSeconds { get; init; }
    /// <summary>Colormap name (see <see cref="Colormap.Names"/>).</summary>
    [JsonPropertyName("cmap")] public string Colormap { get; init; } = "magma";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

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
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses <see cref="ToJson"/> output; null when the text is not valid metadata.</summary>
    public static MelImageMetadata? FromJson(string json)
    {
        try
        {
            var m = JsonSerializer.Deserialize<MelImageMetadata>(json, Json);
            if (m is null || m.NMels <= 0 || m.Frames < 0 || !float.IsFinite(m.VMin) || !float.IsFinite(m.VMax)) return null;
            return m;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Returns a copy of <paramref name="png"/> with this metadata in a <c>tEXt</c> chunk after <c>IHDR</c>
    /// (any earlier "speclora" chunk is dropped).</summary>
    /// <exception cref="ArgumentException">The bytes are not a PNG.</exception>
    public byte[] EmbedInPng(ReadOnlySpan<byte> png) => PngChunks.InsertText(png, PngKeyword, ToJson());

    /// <summary>Reads the metadata of a PNG we wrote. False when the bytes are not a PNG, carry no "speclora" chunk,
    /// the chunk's CRC is wrong, or its JSON does not parse.</summary>
    public static bool TryRead(ReadOnlySpan<byte> pngBytes, out MelImageMetadata? metadata)
    {
        metadata = null;
        var text = PngChunks.FindText(pngBytes, PngKeyword);
        if (text is null) return false;
        metadata = FromJson(text);
        return metadata is not null;
    }

    /// <summary>Reads the metadata of a PNG we wrote, or null (see <see cref="TryRead(ReadOnlySpan{byte}, out MelImageMetadata?)"/>).</summary>
    public static MelImageMetadata? TryRead(ReadOnlySpan<byte> pngBytes) => TryRead(pngBytes, out var m) ? m : null;
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

    /// <summary>The text of the first tEXt chunk with this keyword and a correct CRC, before IDAT data ends.</summary>
    internal static string? FindText(ReadOnlySpan<byte> png, string keyword)
    {
        if (!IsPng(png)) return null;
        int pos = 8;
        while (pos + 12 <= png.Length)
        {
            long len = ReadBe(png[pos..]);
            if (pos + 12L + len > png.Length) return null;
            var type = Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            if (type == "IEND") return null;
            if (type == "tEXt")
            {
                var data = png.Slice(pos + 8, (int)len);
                uint crc = ReadBe(png[(pos + 8 + (int)len)..]);
                if (TextKeyword(data) == keyword && Crc32(png.Slice(pos + 4, 4 + (int)len)) == crc)
                    return Encoding.Latin1.GetString(data[(keyword.Length + 1)..]);
            }
            pos += 12 + (int)len;
        }
        return null;
    }
}
