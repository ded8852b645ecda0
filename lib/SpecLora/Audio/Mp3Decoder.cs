using System.Buffers.Binary;

namespace SpecLora.Audio;

/// <summary>
/// Decodes MP3 without ffmpeg, gaplessly: the managed NLayer decoder, then the encoder delay and padding recorded in
/// the file's Xing/Info + LAME tag are cut exactly as ffmpeg and libsndfile cut them (start: delay + 529 decoder
/// samples; length: frames·samples-per-frame − delay − padding). NLayer alone does not read that tag: on the corpus
/// MP3 it returns 663,552 frames, 1,105 too early. With the cut, the corpus clip gives the WAV's 661,500 frames at
/// 128.4 dB SNR against libsndfile 1.2.0 (what <c>librosa.load</c> uses), where ffmpeg's decode is at 120.9 dB.
/// </summary>
/// <remarks>Used when ffmpeg is not found: NLayer is single-threaded and about 3× slower than ffmpeg (a 3-minute
/// 128 kb/s MP3: 4.1 s against ffmpeg's 1.1 s at load average 40 on 2 cores). Only MPEG Layer III files that carry the
/// LAME tag (LAME, and ffmpeg's libmp3lame, write it) are decoded here; the others need ffmpeg, which knows the same
/// numbers only from that tag too.</remarks>
internal static class Mp3Decoder
{
    /// <summary>Samples the MP3 decoder adds before the first encoded sample (ffmpeg: 528 + 1; mpg123 the same).</summary>
    internal const int DecoderDelay = 529;

    /// <summary>The gapless layout read from the first frame's Xing/Info + LAME tag.</summary>
    /// <param name="Frames">Audio frames after the tag frame (Xing "frames" field).</param>
    /// <param name="SamplesPerFrame">1152 (MPEG-1) or 576 (MPEG-2/2.5).</param>
    /// <param name="EncoderDelay">LAME's start padding in samples.</param>
    /// <param name="EncoderPadding">LAME's end padding in samples.</param>
    internal sealed record GaplessInfo(long Frames, int SamplesPerFrame, int EncoderDelay, int EncoderPadding)
    {
        /// <summary>First decoded sample that belongs to the audio.</summary>
        public long Start => EncoderDelay + DecoderDelay;

        /// <summary>Number of samples of the audio: frames·spf − delay − padding.</summary>
        public long Length => Frames * SamplesPerFrame - EncoderDelay - EncoderPadding;
    }

    /// <summary>The gapless info when <paramref name="head"/> (the file's first bytes, 64 kB are plenty) starts, after
    /// an optional ID3v2 tag, with an MPEG Layer III frame holding a Xing/Info tag with a frame count and a LAME
    /// extension; otherwise null.</summary>
    internal static GaplessInfo? ReadGaplessInfo(ReadOnlySpan<byte> head)
    {
        int pos = 0;
        if (head.Length >= 10 && head[..3].SequenceEqual("ID3"u8))
        {
            int size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
            pos = 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
        }
        // The first frame header (a few zero bytes may pad the ID3 tag).
        while (pos + 4 <= head.Length && !(head[pos] == 0xFF && (head[pos + 1] & 0xE0) == 0xE0)) pos++;
        if (pos + 4 > head.Length) return null;
        int b1 = head[pos + 1], b3 = head[pos + 3];
        int version = (b1 >> 3) & 3;         // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 = reserved
        int layer = (b1 >> 1) & 3;           // 1 = Layer III
        if (version == 1 || layer != 1) return null;
        bool mono = (b3 >> 6) == 3;
        int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int tag = pos + 4 + ((b1 & 1) == 0 ? 2 : 0) + sideInfo;   // after the header (and CRC) and the side info
        if (tag + 8 > head.Length) return null;
        var id = head.Slice(tag, 4);
        if (!id.SequenceEqual("Xing"u8) && !id.SequenceEqual("Info"u8)) return null;
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(head[(tag + 4)..]);
        if ((flags & 1) == 0) return null;   // no frame count: the length is unknown
        int o = tag + 8;
        long frames = BinaryPrimitives.ReadUInt32BigEndian(head[o..]);
        o += 4;
        if ((flags & 2) != 0) o += 4;        // byte count
        if ((flags & 4) != 0) o += 100;      // seek table
        if ((flags & 8) != 0) o += 4;        // quality
        if (o + 24 > head.Length) return null;
        var encoder = head.Slice(o, 4);
        if (!encoder.SequenceEqual("LAME"u8) && !encoder.SequenceEqual("Lavf"u8) && !encoder.SequenceEqual("Lavc"u8)) return null;
        int d0 = head[o + 21], d1 = head[o + 22], d2 = head[o + 23];
        int delay = d0 << 4 | d1 >> 4, padding = (d1 & 0x0F) << 8 | d2;
        int spf = version == 3 ? 1152 : 576;
        var info = new GaplessInfo(frames, spf, delay, padding);
        return info.Length > 0 ? info : null;
    }

    /// <summary>The gapless info of the MP3 open in <paramref name="fs"/> (position anywhere), skipping an ID3v2 tag of
    /// any size (cover art can make it large); null when it is not an MP3 with a LAME tag.</summary>
    internal static GaplessInfo? ReadGaplessInfo(Stream fs)
    {
        Span<byte> id3 = stackalloc byte[10];
        fs.Position = 0;
        int n = fs.ReadAtLeast(id3, 10, throwOnEndOfStream: false);
        long start = 0;
        if (n == 10 && id3[..3].SequenceEqual("ID3"u8))
            start = 10L + ((id3[6] & 0x7F) << 21 | (id3[7] & 0x7F) << 14 | (id3[8] & 0x7F) << 7 | (id3[9] & 0x7F)) + ((id3[5] & 0x10) != 0 ? 10 : 0);
        if (start >= fs.Length) return null;
        fs.Position = start;
        var head = new byte[(int)Math.Min(16384, fs.Length - start)];
        n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return ReadGaplessInfo(head.AsSpan(0, n));
    }

    /// <summary>Decodes <paramref name="path"/> (whose tag gave <paramref name="info"/>) at its own rate, planar float32,
    /// cut to the encoded audio; with <paramref name="maxSeconds"/> it stops after that much (plus a frame).</summary>
    /// <exception cref="AudioFormatException">The stream is damaged or shorter than its tag says.</exception>
    internal static RawAudio Decode(string path, GaplessInfo info, double? maxSeconds, CancellationToken ct)
    {
        try
        {
            using var fs = WavFile.OpenRead(path);
            using var mpeg = new NLayer.MpegFile(fs);
            int ch = mpeg.Channels;
            AudioLimits.CheckSampleRate(mpeg.SampleRate, path);
            long wanted = maxSeconds is { } t ? Math.Min(info.Length, (long)Math.Ceiling(t * mpeg.SampleRate) + 1) : info.Length;
            long maxHeld = AudioLimits.MaxSamples / ch;
            // The LAME tag's frame count is only a claim (a forged tag on a 1-kB file can announce 2³² frames): buffers start
            // at most 2²⁰ frames and grow with the samples actually decoded; more than one load holds is refused as it comes.
            var chans = new float[ch][];
            for (int c = 0; c < ch; c++) chans[c] = new float[Math.Min(wanted, 1 << 20)];
            var buf = new float[1152 * 4 * ch];
            long decoded = 0;     // frames decoded so far, counted from the decoder's first sample
            int kept = 0;
            while (kept < wanted)
            {
                ct.ThrowIfCancellationRequested();
                int n = mpeg.ReadSamples(buf, 0, buf.Length) / ch;
                if (n == 0) break;
                // Frames [decoded, decoded + n) of the decoder's output; keep those from info.Start on.
                int skip = (int)Math.Clamp(info.Start - decoded, 0, n);
                int take = (int)Math.Min(n - skip, wanted - kept);
                if (kept + take > chans[0].Length)
                {
                    if (kept + take > maxHeld) throw AudioLimits.TooManySamples(maxHeld * ch, path, "it decodes to more than");
                    for (int c = 0; c < ch; c++) Array.Resize(ref chans[c], (int)Math.Min(Math.Min(wanted, maxHeld), Math.Max(kept + take, 2L * chans[c].Length)));
                }
                for (int c = 0; c < ch; c++)
                {
                    var d = chans[c];
                    for (int i = 0, k = skip * ch + c; i < take; i++, k += ch) d[kept + i] = buf[k];
                }
                kept += take;
                decoded += n;
            }
            if (kept < wanted)
                throw new AudioFormatException(path,
                    $"the MP3 ends after {kept:N0} of the {info.Length:N0} samples its LAME tag announces (the file is truncated or damaged)",
                    "Copy or export the file again");
            return new RawAudio(chans, mpeg.SampleRate);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or EndOfStreamException)
        {
            throw new AudioFormatException(path, $"the MP3 stream is damaged ({e.Message.TrimEnd('.')})",
                "Check that the file is complete; with ffmpeg installed it is tried there too");
        }
    }
}
