using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SpecLora.IO;

namespace SpecLora.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files natively (no ffmpeg): PCM 8 (unsigned) / 16 / 24 / 32-bit, IEEE float 32 / 64-bit,
/// plain or <c>WAVE_FORMAT_EXTENSIBLE</c>, any channel count. Chunks other than <c>fmt </c> and <c>data</c>
/// (<c>LIST</c>, <c>fact</c>, <c>cue </c>, …) are skipped, honouring the RIFF pad byte after odd-sized chunks.
/// </summary>
/// <remarks>
/// <para>Integer samples are scaled to float32 as libsndfile (and so <c>soundfile</c>/<c>librosa.load</c>) does:
/// u8 → (v − 128)/128, int16/32768, int24/2²³, int32/2³¹.</para>
/// <para><b>Truncated and streamed files.</b> A <c>data</c> chunk whose declared size is 0xFFFFFFFF (or 0 while the
/// RIFF size is 0 or 0xFFFFFFFF too) is a stream of unknown length (ffmpeg writes this to a pipe): everything up to the end of the file is read and a
/// trailing partial frame is dropped. A <c>data</c> chunk that declares more bytes than the file holds is a
/// truncated file and is rejected with <see cref="AudioFormatException"/> rather than silently shortened: a clip
/// that ends early would otherwise produce a shorter spectrogram without anyone noticing.</para>
/// <para><b>RF64</b> (<c>"RF64"</c>/<c>"BW64"</c>, the WAV variant beyond 4 GB that <c>ffmpeg -rf64 always</c> writes):
/// the 64-bit sizes come from the <c>ds64</c> chunk; RF64 streamed to a pipe (ds64 all zeros, data size 0xFFFFFFFF)
/// is read to the end like a streamed RIFF header.</para>
/// <para>Compressed WAV codecs (ADPCM, µ-law, …) are not read here; <see cref="AudioLoader"/> hands them to
/// ffmpeg.</para>
/// </remarks>
public static class WavFile
{
    private const ushort TagPcm = 1, TagFloat = 3, TagExtensible = 0xFFFE;
    // The 14 bytes after the 2-byte format code in a KSDATAFORMAT_SUBTYPE_* GUID.
    private static ReadOnlySpan<byte> GuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads a whole WAV file at its native rate and channel count.</summary>
    /// <param name="path">A RIFF/WAVE file.</param>
    /// <returns>Planar float32 samples and the native sample rate.</returns>
    /// <exception cref="AudioFormatException">Empty, truncated, not a WAV, unsupported codec, no samples, or NaN/Inf samples.</exception>
    public static RawAudio Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = OpenRead(path);
        var (audio, _) = ReadCore(fs, path, 0, long.MaxValue);
        if (audio.Frames == 0) throw NoSamples(path);
        AudioLimits.CheckSamples(audio, path);
        return audio;
    }

    /// <summary>Reads a WAV from a stream (seekable or not, e.g. a pipe) at its native rate and channel count.</summary>
    /// <param name="stream">Positioned at the "RIFF" tag. Not disposed.</param>
    /// <param name="sourceName">Names the source in error messages (a file path, "ffmpeg output of x.mp3", …).</param>
    /// <exception cref="AudioFormatException">As for <see cref="Read(string)"/>.</exception>
    public static RawAudio Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (audio, _) = ReadCore(stream, sourceName, 0, long.MaxValue);
        if (audio.Frames == 0) throw NoSamples(sourceName);
        AudioLimits.CheckSamples(audio, sourceName);
        return audio;
    }

    /// <summary>Writes a mono clip atomically (temporary file, then move).</summary>
    /// <param name="path">Destination; its folder is created if missing.</param>
    /// <param name="clip">The samples; float samples outside [-1, 1] are clipped for integer formats.</param>
    /// <param name="format">Sample encoding. Default 16-bit PCM (round to nearest, then clip; no dither).</param>
    public static void Write(string path, AudioClip clip, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Write(path, RawAudio.FromClip(clip), format);
    }

    /// <summary>Writes planar multichannel audio atomically (temporary file, then move).</summary>
    /// <param name="path">Destination; its folder is created if missing.</param>
    /// <param name="audio">The channels (all of equal length).</param>
    /// <param name="format">Sample encoding. Default 16-bit PCM.</param>
    public static void Write(string path, RawAudio audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(audio, format);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The bytes of a complete WAV file holding <paramref name="clip"/> (e.g. for a <c>data:audio/wav</c> URI).</summary>
    public static byte[] ToBytes(AudioClip clip, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return ToBytes(RawAudio.FromClip(clip), format);
    }

    /// <summary>The bytes of a complete WAV file holding <paramref name="audio"/>.</summary>
    /// <remarks>Integer formats: <c>round(x·2^(bits−1))</c> (8-bit: plus 128), clipped to the integer range, so that
    /// values read from a file of the same format round-trip exactly. One or two channels use the plain format tags
    /// (PCM 1, float 3, with a <c>fact</c> chunk for float); more channels use <c>WAVE_FORMAT_EXTENSIBLE</c>.</remarks>
    /// <exception cref="ArgumentException">No channels, channels of unequal length, a non-positive rate, or NaN/Inf samples.</exception>
    public static byte[] ToBytes(RawAudio audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(audio);
        int ch = audio.ChannelCount;
        if (ch == 0) throw new ArgumentException("audio has no channels", nameof(audio));
        if (audio.SampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(audio), audio.SampleRate, $"SampleRate={audio.SampleRate} must be > 0");
        int frames = audio.Frames;
        foreach (var c in audio.Channels)
            if (c.Length != frames) throw new ArgumentException($"channels differ in length ({c.Length} vs {frames} frames)", nameof(audio));
        int bytesPer = BytesPerSample(format);
        bool isFloat = format is WavSampleFormat.Float32 or WavSampleFormat.Float64;
        bool extensible = ch > 2;
        int fmtSize = extensible ? 40 : isFloat ? 18 : 16;
        int factSize = isFloat && !extensible ? 12 : 0;
        long dataBytes = (long)frames * ch * bytesPer;
        long total = 12 + 8 + fmtSize + factSize + 8 + dataBytes + (dataBytes & 1);
        if (total > uint.MaxValue) throw new ArgumentException($"{frames} frames × {ch} channels × {bytesPer} bytes exceed the 4 GB RIFF limit", nameof(audio));
        var buf = new byte[total];
        var s = buf.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(total - 8));
        Encoding.ASCII.GetBytes("WAVE", s[8..]);
        Encoding.ASCII.GetBytes("fmt ", s[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], fmtSize);
        var f = s[20..];
        ushort code = isFloat ? TagFloat : TagPcm;
        BinaryPrimitives.WriteUInt16LittleEndian(f, extensible ? TagExtensible : code);
        BinaryPrimitives.WriteUInt16LittleEndian(f[2..], (ushort)ch);
        BinaryPrimitives.WriteInt32LittleEndian(f[4..], audio.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(f[8..], audio.SampleRate * ch * bytesPer);
        BinaryPrimitives.WriteUInt16LittleEndian(f[12..], (ushort)(ch * bytesPer));
        BinaryPrimitives.WriteUInt16LittleEndian(f[14..], (ushort)(bytesPer * 8));
        if (fmtSize >= 18) BinaryPrimitives.WriteUInt16LittleEndian(f[16..], (ushort)(fmtSize - 18));
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f[18..], (ushort)(bytesPer * 8));
            BinaryPrimitives.WriteUInt32LittleEndian(f[20..], ch <= 18 ? (uint)((1 << ch) - 1) : 0u);
            BinaryPrimitives.WriteUInt16LittleEndian(f[24..], code);
            GuidTail.CopyTo(f[26..]);
        }
        int pos = 20 + fmtSize;
        if (factSize > 0)
        {
            Encoding.ASCII.GetBytes("fact", s[pos..]);
            BinaryPrimitives.WriteInt32LittleEndian(s[(pos + 4)..], 4);
            BinaryPrimitives.WriteInt32LittleEndian(s[(pos + 8)..], frames);
            pos += 12;
        }
        Encoding.ASCII.GetBytes("data", s[pos..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(pos + 4)..], (uint)dataBytes);
        pos += 8;
        Encode(audio.Channels, frames, format, s.Slice(pos, (int)Math.Min(dataBytes, int.MaxValue)));
        return buf;
    }

    // ------------------------------------------------------------------ reading

    /// <summary>Opens an audio file for reading; a FIFO, device or folder is refused with a sentence before it is
    /// opened (opening a FIFO would block until another program writes to it).</summary>
    internal static FileStream OpenRead(string path)
    {
        if (RegularFile.NonRegularKind(path) is { } kind)
            throw new AudioFormatException(path, $"not a regular file: it is {kind}",
                "Give the path of an audio file (to read from a pipe, save the stream to a file first)");
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: audio file not found. Check the path (relative paths start at {Environment.CurrentDirectory}).", path);
        }
        catch (PathTooLongException)
        {
            var name = Path.GetFileName(path);
            throw new AudioFormatException(path,
                $"the path is too long for this system ({path.Length:N0} characters, the file name {name.Length:N0}; a name may have at most 255 bytes)",
                "Rename the file or move it to a shorter path");
        }
    }

    /// <summary>The parsed <c>fmt </c> chunk and where the data are.</summary>
    internal sealed record WavLayout(ushort FormatCode, int Channels, int SampleRate, int BlockAlign, int BitsPerSample,
        int ContainerBytes, long DataSize, bool Streaming)
    {
        public bool IsSupported => (FormatCode == TagPcm && ContainerBytes is 1 or 2 or 3 or 4)
                                   || (FormatCode == TagFloat && ContainerBytes is 4 or 8);
        public string Describe() => FormatCode switch
        {
            TagPcm => $"{BitsPerSample}-bit PCM",
            TagFloat => $"{BitsPerSample}-bit float",
            0x0002 => "MS ADPCM",
            0x0006 => "A-law",
            0x0007 => "µ-law",
            0x0011 => "IMA ADPCM",
            0x0055 => "MP3",
            _ => $"format tag 0x{FormatCode:X4}",
        } + $", {Channels} ch, {SampleRate} Hz";
    }

    /// <summary>True when the first 4 bytes are a RIFF/WAVE container tag: "RIFF", or "RF64"/"BW64" (EBU Tech 3306 /
    /// ITU-R BS.2088 WAV with 64-bit sizes in a <c>ds64</c> chunk).</summary>
    internal static bool IsContainerTag(ReadOnlySpan<byte> tag) =>
        tag.Length >= 4 && (tag[..4].SequenceEqual("RIFF"u8) || tag[..4].SequenceEqual("RF64"u8) || tag[..4].SequenceEqual("BW64"u8));

    /// <summary>Parses the header up to the start of the data chunk; the stream is left at the first data byte.</summary>
    internal static WavLayout ReadHeader(Stream s, string name)
    {
        Span<byte> h = stackalloc byte[12];
        int got = ReadFull(s, h);
        if (got == 0) throw new AudioFormatException(name, "the file is empty (0 bytes)", "Check that the file was copied or exported completely");
        if (got < 4 || !IsContainerTag(h))
            throw new AudioFormatException(name, "not a RIFF/WAVE file (no \"RIFF\" or \"RF64\" tag)", "Give a WAV file, or a compressed file that ffmpeg can decode");
        if (got < 12) throw TruncatedHeader(name, got);
        bool rf64 = !h[..4].SequenceEqual("RIFF"u8);
        uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]);
        if (!h.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new AudioFormatException(name, $"a RIFF file of type \"{Encoding.ASCII.GetString(h.Slice(8, 4))}\", not WAVE", "Give a WAV file");
        long pos = 12;
        WavLayout? fmt = null;
        Ds64? ds64 = null;
        Span<byte> ck = stackalloc byte[8];
        while (true)
        {
            got = ReadFull(s, ck);
            if (got < 8)
            {
                if (fmt == null) throw TruncatedHeader(name, pos + got);
                throw new AudioFormatException(name, "the WAV file has no \"data\" chunk", "Re-export the file; it holds a header but no audio");
            }
            pos += 8;
            string id = Encoding.ASCII.GetString(ck[..4]);
            uint size32 = BinaryPrimitives.ReadUInt32LittleEndian(ck[4..]);
            // RF64: a 32-bit size of 0xFFFFFFFF means "see ds64" (the data chunk's size, or the ds64 table's entry).
            long size = size32;
            if (rf64 && size32 == uint.MaxValue && ds64 is not null && id != "data" && ds64.Table.TryGetValue(id, out long big)) size = big;
            if (id == "ds64" && rf64 && ds64 is null)
            {
                if (size < 24) throw new AudioFormatException(name, $"the RF64 \"ds64\" chunk has {size} bytes (at least 24 needed)", "Re-export the file as a standard WAV or RF64");
                ds64 = ParseDs64(ReadChunkBody(s, size, name, ref pos), name);
            }
            else if (id == "fmt ")
            {
                if (size < 16) throw new AudioFormatException(name, $"the \"fmt \" chunk has {size} bytes (at least 16 needed)", "Re-export the file as a standard WAV");
                fmt = ParseFmt(ReadChunkBody(s, size, name, ref pos), name);
            }
            else if (id == "data")
            {
                if (fmt == null) throw new AudioFormatException(name, "the \"data\" chunk comes before any \"fmt \" chunk", "Re-export the file as a standard WAV");
                bool streaming;
                if (rf64)
                {
                    if (ds64 is null)
                        throw new AudioFormatException(name, "an RF64 file without the \"ds64\" chunk that holds its sizes", "Re-export the file (e.g. ffmpeg -i in.wav -rf64 auto out.wav)");
                    // ffmpeg writing RF64 to a pipe leaves ds64 all zeros and the data size 0xFFFFFFFF: unknown length.
                    if (size32 == uint.MaxValue) size = ds64.DataSize;
                    streaming = size32 == uint.MaxValue && ds64.DataSize == 0 && ds64.RiffSize is 0 or -1;
                }
                else
                {
                    // Unknown length: 0xFFFFFFFF, or 0 when the RIFF size is unknown too (0 or 0xFFFFFFFF). A data chunk
                    // of size 0 in an otherwise complete file really is empty.
                    streaming = size32 == uint.MaxValue || (size32 == 0 && riffSize is 0 or uint.MaxValue);
                }
                if (!streaming && s.CanSeek && s.Length - s.Position < size)
                    throw new AudioFormatException(name,
                        $"the data chunk declares {size:N0} bytes but the file ends after {s.Length - s.Position:N0} (the file is truncated)",
                        "Copy or export the file again; a partly written WAV is not read");
                return fmt with { DataSize = streaming ? 0 : size, Streaming = streaming };
            }
            else
            {
                Skip(s, size + (size & 1));
                pos += size + (size & 1);
            }
        }
    }

    /// <summary>The first 4096 bytes (at most) of a chunk body of <paramref name="size"/> bytes; the rest and the pad
    /// byte are skipped, and <paramref name="pos"/> advances past them.</summary>
    private static byte[] ReadChunkBody(Stream s, long size, string name, ref long pos)
    {
        var body = new byte[Math.Min(size, 4096)];
        int got = ReadFull(s, body);
        if (got < body.Length) throw TruncatedHeader(name, pos + got);
        Skip(s, size - body.Length + (size & 1));
        pos += size + (size & 1);
        return body;
    }

    /// <summary>The 64-bit sizes of an RF64 file (EBU Tech 3306 §3): RIFF size, data size, and the table of other
    /// chunks whose 32-bit size is 0xFFFFFFFF. −1 stands for a size too large for a <see cref="long"/>.</summary>
    private sealed record Ds64(long RiffSize, long DataSize, Dictionary<string, long> Table);

    private static Ds64 ParseDs64(ReadOnlySpan<byte> b, string name)
    {
        static long Size(ReadOnlySpan<byte> v) { ulong x = BinaryPrimitives.ReadUInt64LittleEndian(v); return x > long.MaxValue ? -1 : (long)x; }
        var table = new Dictionary<string, long>();
        if (b.Length >= 28)
        {
            uint entries = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
            for (int i = 0, o = 28; i < entries && o + 12 <= b.Length; i++, o += 12)
                table[Encoding.ASCII.GetString(b.Slice(o, 4))] = Size(b.Slice(o + 4, 8));
        }
        long data = Size(b[8..]);
        if (data < 0) throw new AudioFormatException(name, "the RF64 \"ds64\" chunk declares a data size beyond 2⁶³ bytes", "Re-export the file");
        return new Ds64(Size(b), data, table);
    }

    private static WavLayout ParseFmt(ReadOnlySpan<byte> b, string name)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(b);
        int ch = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        int align = BinaryPrimitives.ReadUInt16LittleEndian(b[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(b[14..]);
        if (tag == TagExtensible)
        {
            if (b.Length < 40) throw new AudioFormatException(name, $"WAVE_FORMAT_EXTENSIBLE with a {b.Length}-byte fmt chunk (40 needed)", "Re-export the file as a standard WAV");
            ushort sub = BinaryPrimitives.ReadUInt16LittleEndian(b[24..]);
            tag = b.Slice(26, 14).SequenceEqual(GuidTail) ? sub : (ushort)0xFFFF;
        }
        AudioLimits.CheckChannels(ch, name);
        AudioLimits.CheckSampleRate(rate, name);
        int container = (bits + 7) / 8;
        if (tag is TagPcm or TagFloat && bits is 0 or > 64)
            throw new AudioFormatException(name, $"its header says {bits} bits per sample", "Re-export the file as a standard WAV (8, 16, 24 or 32-bit PCM, or 32/64-bit float)");
        if (tag is TagPcm or TagFloat && align < ch * container)
            throw new AudioFormatException(name, $"block align {align} is smaller than {ch} channels × {container} bytes", "Re-export the file as a standard WAV");
        return new WavLayout(tag, ch, (int)rate, align, bits, container, 0, false);
    }

    /// <summary>Reads frames [start, start + maxFrames) (clamped to the data) and returns them with the total frame count.</summary>
    /// <remarks>Memory follows the samples actually read, never a size the header merely declares: a seekable file's
    /// declared size was checked against its length by <see cref="ReadHeader"/>, and a stream's buffers grow as its bytes
    /// arrive. At most <see cref="AudioLimits.MaxSamples"/> samples are held.</remarks>
    internal static (RawAudio Audio, long TotalFrames) ReadCore(Stream s, string name, long startFrame, long maxFrames) =>
        ReadCore(s, name, startFrame, maxFrames, AudioLimits.MaxSamples);

    /// <summary><see cref="ReadCore(Stream, string, long, long)"/> holding at most <paramref name="maxSamples"/> samples
    /// (tests use a small bound).</summary>
    internal static (RawAudio Audio, long TotalFrames) ReadCore(Stream s, string name, long startFrame, long maxFrames, long maxSamples)
    {
        var w = ReadHeader(s, name);
        if (!w.IsSupported)
            throw new AudioFormatException(name, $"unsupported WAV codec ({w.Describe()})",
                "Convert it to PCM or float WAV (e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav), or load it through AudioLoader with ffmpeg installed");
        int align = w.BlockAlign, ch = w.Channels;
        long maxHeldFrames = maxSamples / ch;
        if (w.Streaming)
        {
            // Unknown length: read to the end, dropping a trailing partial frame.
            if (s is MemoryStream mem && mem.TryGetBuffer(out var seg))
            {
                // Already in memory (ffmpeg output): decode in place, no copy.
                long avail = mem.Length - mem.Position;
                long skip = Math.Min(avail, SaturatingMultiply(startFrame, align));
                long bytes = Math.Min(avail - skip, SaturatingMultiply(maxFrames, align));
                long memFrames = bytes / align;
                if (memFrames * ch > maxSamples) throw AudioLimits.TooManySamples(memFrames * ch, name, "the part to read holds");
                var span = seg.AsSpan((int)(mem.Position + skip), (int)memFrames * align);
                mem.Position = mem.Length;
                return (Decode(span, (int)memFrames, w), startFrame + memFrames);
            }
            if (startFrame > 0) Skip(s, SaturatingMultiply(startFrame, align));
            // One frame more than may be held, so that a longer stream is told apart from one that fits exactly.
            var (streamed, frames) = ReadBlocks(s, w, Math.Min(maxFrames, maxHeldFrames + 1), toTheEnd: true, name);
            if (frames > maxHeldFrames) throw AudioLimits.TooManySamples(maxHeldFrames * ch, name, "the stream holds more than");
            // total is unknown beyond what we skipped + read; when nothing was read, probe whether the start lay past the end.
            long streamedTotal = startFrame + frames;
            if (frames == 0 && startFrame > 0) streamedTotal = Math.Min(streamedTotal, startFrame); // start at or beyond the end
            return (streamed, streamedTotal);
        }
        long total = w.DataSize / align;
        long first = Math.Min(startFrame, total);
        long count = Math.Min(maxFrames, total - first);
        if (count * ch > maxSamples) throw AudioLimits.TooManySamples(count * ch, name, "the part to read holds");
        if (first > 0) Skip(s, first * align);
        return (ReadBlocks(s, w, count, toTheEnd: false, name).Audio, total);
    }

    /// <summary>Reads and decodes up to <paramref name="count"/> frames in blocks of about 1 MB (no file-sized byte
    /// buffer). A seekable file's declared size was checked against its length, so its channels are allocated at once; a
    /// stream's grow as its blocks arrive, so a forged size allocates nothing. With <paramref name="toTheEnd"/> the end of
    /// the stream ends the read (a trailing partial frame is dropped); otherwise it is a truncated file.</summary>
    private static (RawAudio Audio, long Frames) ReadBlocks(Stream s, WavLayout w, long count, bool toTheEnd, string name)
    {
        int align = w.BlockAlign, ch = w.Channels;
        int blockFrames = Math.Max(1, (1 << 20) / align);
        int capacity = (int)(s.CanSeek && !toTheEnd ? count : Math.Min(count, blockFrames));
        var chans = new float[ch][];
        for (int c = 0; c < chans.Length; c++) chans[c] = new float[capacity];
        var data = new byte[(int)Math.Min(count, blockFrames) * align];
        long done = 0;
        while (done < count)
        {
            int n = (int)Math.Min(blockFrames, count - done);
            int got = ReadFull(s, data.AsSpan(0, n * align));
            bool ended = got < n * align;
            if (ended)
            {
                if (!toTheEnd)
                    throw new AudioFormatException(name, $"the data chunk declares {w.DataSize:N0} bytes but the file ends early (the file is truncated)",
                        "Copy or export the file again; a partly written WAV is not read");
                n = got / align;
            }
            if (done + n > chans[0].Length)
            {
                int grown = (int)Math.Min(count, Math.Max(done + n, 2L * chans[0].Length));
                for (int c = 0; c < ch; c++) Array.Resize(ref chans[c], grown);
            }
            DecodeInto(data.AsSpan(0, n * align), n, w, chans, (int)done);
            done += n;
            if (ended) break;
        }
        for (int c = 0; c < ch; c++) if (chans[c].Length != done) Array.Resize(ref chans[c], (int)done);
        return (new RawAudio(chans, w.SampleRate), done);
    }

    private static long SaturatingMultiply(long a, long b) => a > long.MaxValue / Math.Max(1, b) ? long.MaxValue : a * b;

    private static RawAudio Decode(ReadOnlySpan<byte> data, int frames, WavLayout w)
    {
        var outCh = new float[w.Channels][];
        for (int c = 0; c < outCh.Length; c++) outCh[c] = new float[frames];
        DecodeInto(data, frames, w, outCh, 0);
        return new RawAudio(outCh, w.SampleRate);
    }

    /// <summary>De-interleaves and scales <paramref name="frames"/> frames into <paramref name="dst"/> from <paramref name="dstOffset"/>.</summary>
    private static void DecodeInto(ReadOnlySpan<byte> data, int frames, WavLayout w, float[][] dst, int dstOffset)
    {
        int ch = w.Channels, align = w.BlockAlign;
        bool packed = align == ch * w.ContainerBytes;   // no padding between frames: reinterpret as a typed span
        for (int c = 0; c < ch; c++)
        {
            var d = dst[c].AsSpan(dstOffset, frames);
            int off = c * w.ContainerBytes;
            switch (w.FormatCode, w.ContainerBytes)
            {
                case (TagPcm, 1):
                    for (int i = 0; i < frames; i++) d[i] = (data[i * align + off] - 128) * (1f / 128);
                    break;
                case (TagPcm, 2) when packed && BitConverter.IsLittleEndian:
                    {
                        var v = MemoryMarshal.Cast<byte, short>(data[..(frames * align)]);
                        for (int i = 0, k = c; i < frames; i++, k += ch) d[i] = v[k] * (1f / 32768);
                        break;
                    }
                case (TagPcm, 2):
                    for (int i = 0; i < frames; i++) d[i] = BinaryPrimitives.ReadInt16LittleEndian(data.Slice(i * align + off, 2)) * (1f / 32768);
                    break;
                case (TagPcm, 3):
                    for (int i = 0; i < frames; i++)
                    {
                        int p = i * align + off;
                        int x = (data[p] << 8 | data[p + 1] << 16 | data[p + 2] << 24) >> 8;
                        d[i] = x * (1f / 8388608);
                    }
                    break;
                case (TagPcm, 4) when packed && BitConverter.IsLittleEndian:
                    {
                        var v = MemoryMarshal.Cast<byte, int>(data[..(frames * align)]);
                        for (int i = 0, k = c; i < frames; i++, k += ch) d[i] = v[k] * (1f / 2147483648f);
                        break;
                    }
                case (TagPcm, 4):
                    for (int i = 0; i < frames; i++) d[i] = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(i * align + off, 4)) * (1f / 2147483648f);
                    break;
                case (TagFloat, 4) when packed && BitConverter.IsLittleEndian:
                    {
                        var v = MemoryMarshal.Cast<byte, float>(data[..(frames * align)]);
                        if (ch == 1) { v.CopyTo(d); break; }
                        for (int i = 0, k = c; i < frames; i++, k += ch) d[i] = v[k];
                        break;
                    }
                case (TagFloat, 4):
                    for (int i = 0; i < frames; i++) d[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * align + off, 4));
                    break;
                case (TagFloat, 8):
                    for (int i = 0; i < frames; i++) d[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * align + off, 8));
                    break;
            }
        }
    }

    private static void Encode(float[][] chans, int frames, WavSampleFormat format, Span<byte> dst)
    {
        int ch = chans.Length, bps = BytesPerSample(format), align = ch * bps;
        for (int c = 0; c < ch; c++)
        {
            var src = chans[c];
            for (int i = 0; i < frames; i++)
            {
                float x = src[i];
                if (!float.IsFinite(x)) throw new ArgumentException($"sample {i} of channel {c} is {x}; WAV files hold finite samples only", "audio");
                var d = dst.Slice(i * align + c * bps, bps);
                switch (format)
                {
                    case WavSampleFormat.Pcm8: d[0] = (byte)(Quantize(x, 128.0, -128, 127) + 128); break;
                    case WavSampleFormat.Pcm16: BinaryPrimitives.WriteInt16LittleEndian(d, (short)Quantize(x, 32768.0, short.MinValue, short.MaxValue)); break;
                    case WavSampleFormat.Pcm24:
                        int v = (int)Quantize(x, 8388608.0, -8388608, 8388607);
                        d[0] = (byte)v; d[1] = (byte)(v >> 8); d[2] = (byte)(v >> 16);
                        break;
                    case WavSampleFormat.Pcm32: BinaryPrimitives.WriteInt32LittleEndian(d, (int)Quantize(x, 2147483648.0, int.MinValue, int.MaxValue)); break;
                    case WavSampleFormat.Float32: BinaryPrimitives.WriteSingleLittleEndian(d, x); break;
                    case WavSampleFormat.Float64: BinaryPrimitives.WriteDoubleLittleEndian(d, x); break;
                }
            }
        }
    }

    private static long Quantize(float x, double scale, long min, long max) => Math.Clamp((long)Math.Round(x * scale), min, max);

    internal static int BytesPerSample(WavSampleFormat f) => f switch
    {
        WavSampleFormat.Pcm8 => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 or WavSampleFormat.Float32 => 4,
        WavSampleFormat.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, $"format={f} is not a WavSampleFormat"),
    };

    internal static AudioFormatException NoSamples(string name) =>
        new(name, "the file holds no audio samples (0 frames)", "Give a file with audio in it");

    private static AudioFormatException TruncatedHeader(string name, long bytes) =>
        new(name, $"the WAV header is truncated (the file ends after {bytes} bytes)", "Copy or export the file again");

    private static int ReadFull(Stream s, Span<byte> buf)
    {
        int total = 0;
        while (total < buf.Length)
        {
            int n = s.Read(buf[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static void Skip(Stream s, long count)
    {
        if (count <= 0) return;
        if (s.CanSeek) { s.Seek(Math.Min(count, Math.Max(0, s.Length - s.Position)), SeekOrigin.Current); return; }
        var tmp = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int n = s.Read(tmp, 0, (int)Math.Min(count, tmp.Length));
            if (n == 0) break;
            count -= n;
        }
    }
}
