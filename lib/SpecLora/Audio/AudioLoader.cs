namespace SpecLora.Audio;

/// <summary>
/// Loads an audio file like <c>librosa.load</c>: decode at the native rate, take frames
/// [int(offset·sr), + int(duration·sr)), average the channels (float32 mean), then resample to the target rate.
/// </summary>
/// <remarks>
/// <para>WAV (RIFF/WAVE PCM or float, recognised by its header, whatever the extension) is read natively by
/// <see cref="WavFile"/>, seeking straight to the offset. Ogg Vorbis (mono or stereo) is decoded by the managed
/// NVorbis decoder (<see cref="VorbisDecoder"/>); MP3 with a LAME tag goes to ffmpeg when ffmpeg is found, else to the
/// managed NLayer decoder cut gaplessly (<see cref="Mp3Decoder"/>). Both managed decoders give libsndfile's exact frames,
/// so no ffmpeg is needed for them; a stream they cannot read falls back to ffmpeg. Everything else (Opus, FLAC, M4A, MP3 without a LAME tag, WAV with compressed codecs, …) is decoded by ffmpeg through FFMpegCore to float32 PCM at the native rate, gaplessly
/// (MP3 encoder delay and padding removed), then cut. ffmpeg is found through
/// <see cref="AudioLoadOptions.FfmpegPath"/>, the <c>FFMPEG_PATH</c> environment variable, or <c>PATH</c>.</para>
/// <para>Hostile files: every file is held to <see cref="AudioLimits"/> (rate 1 kHz … 768 kHz and 1…1024 channels checked
/// from the header before anything is allocated; at most 2²⁸ samples decoded and again after resampling; samples finite
/// and within ±10⁶), and no buffer is sized from a length a header merely declares.</para>
/// <para>Resampling: <see cref="Resampler"/> (polyphase Kaiser sinc designed like soxr HQ, librosa's default
/// <c>res_type</c>), output length <c>ceil(n·sr/sr_native)</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// var clip = AudioLoader.Load("../data/audio/fur-elise-theme.wav");                    // 22050 Hz mono
/// var first5 = AudioLoader.Load("song.mp3", new AudioLoadOptions { DurationSeconds = 5 });
/// var native = AudioLoader.Load("song.flac", new AudioLoadOptions { SampleRate = null });
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public static class AudioLoader
{
    /// <summary>File extensions (lower case, with dot) that <c>speclora mels</c> and folder scans treat as audio.</summary>
    public static IReadOnlyList<string> KnownExtensions { get; } =
        [".wav", ".wave", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".mp4", ".aif", ".aiff", ".wma"];

    /// <summary>Loads <paramref name="path"/> as mono float32 samples (librosa <c>y, sr = librosa.load(path, …)</c>).</summary>
    /// <param name="path">An audio file.</param>
    /// <param name="options">Rate, offset and duration; <c>null</c> = <see cref="AudioLoadOptions.Default"/>.
    /// <see cref="AudioLoadOptions.Mono"/> must be true (use <see cref="LoadChannels"/> otherwise).</param>
    /// <returns>Mono samples at <see cref="AudioLoadOptions.SampleRate"/> (or the native rate when null).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="AudioFormatException">Empty, truncated, not audio, unsupported codec, no samples, outside
    /// <see cref="AudioLimits"/> (rate, channels, length, NaN/Inf or huge samples).</exception>
    /// <exception cref="FfmpegNotFoundException">A non-WAV file and no ffmpeg.</exception>
    /// <exception cref="ArgumentException">Invalid options (every problem listed), or an offset at or beyond the end of the
    /// file (<see cref="ArgumentOutOfRangeException"/>).</exception>
    public static AudioClip Load(string path, AudioLoadOptions? options = null)
    {
        options = RequireMono(options);
        return LoadCoreAsync(path, options, true, CancellationToken.None).GetAwaiter().GetResult().ToMono();
    }

    /// <summary>Asynchronous <see cref="Load"/>: ffmpeg runs without blocking, and cancelling kills it.</summary>
    public static async Task<AudioClip> LoadAsync(string path, AudioLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = RequireMono(options);
        var raw = await LoadCoreAsync(path, options, false, cancellationToken).ConfigureAwait(false);
        return raw.ToMono();
    }

    /// <summary>Loads <paramref name="path"/> keeping its channels unless <see cref="AudioLoadOptions.Mono"/> is true
    /// (librosa <c>load(path, mono=False)</c>); each channel is resampled separately.</summary>
    /// <inheritdoc cref="Load" path="/exception"/>
    public static RawAudio LoadChannels(string path, AudioLoadOptions? options = null) =>
        LoadCoreAsync(path, options ?? AudioLoadOptions.Default, true, CancellationToken.None).GetAwaiter().GetResult();

    private static AudioLoadOptions RequireMono(AudioLoadOptions? options)
    {
        options ??= AudioLoadOptions.Default;
        if (!options.Mono)
            throw new ArgumentException("Mono=false: Load returns one channel; call AudioLoader.LoadChannels to keep the channels", nameof(options));
        return options;
    }

    private static async Task<RawAudio> LoadCoreAsync(string path, AudioLoadOptions options, bool synchronous, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ct.ThrowIfCancellationRequested();

        RawAudio audio;
        var (nativeWav, oggVorbis, mp3) = Sniff(path);
        if (nativeWav is { } layout)
        {
            // Seek straight to the requested frames.
            long first = FrameAt(options.OffsetSeconds, layout.SampleRate);
            long max = options.DurationSeconds is { } d ? FrameAt(d, layout.SampleRate) : long.MaxValue;
            if (max <= 0) throw ZeroFrames(options, layout.SampleRate);
            using var fs = WavFile.OpenRead(path);
            var (part, total) = WavFile.ReadCore(fs, path, first, max);
            if (total == 0 || (first == 0 && part.Frames == 0)) throw WavFile.NoSamples(path);
            if (first > 0 && (first >= total || part.Frames == 0)) throw BeyondEnd(path, options.OffsetSeconds, total, layout.SampleRate);
            audio = part;
        }
        else
        {
            RawAudio full;
            // Ogg Vorbis: NVorbis first (libsndfile's frames; ffmpeg 5.1 leaves the last page of short files untrimmed).
            // MP3: ffmpeg when there is one (the same frames, ~3× faster than NLayer: a 3-minute MP3 in 1.1 s vs 4.1 s,
            // load average 40); NLayer + the LAME cut otherwise, so that ffmpeg is optional.
            if (oggVorbis || (mp3 is not null && !FfmpegDecoder.IsAvailable(options.FfmpegPath)))
            {
                // Managed first (no ffmpeg needed); a stream the managed decoder cannot read goes to ffmpeg when there is one.
                double? limit = StopAfter(options, 0);
                try { full = mp3 is not null ? Mp3Decoder.Decode(path, mp3, limit, ct) : VorbisDecoder.Decode(path, limit, ct); }
                catch (AudioFormatException managed)
                {
                    try { full = await FfmpegDecoder.DecodeAsync(path, options.FfmpegPath, null, synchronous, ct).ConfigureAwait(false); }
                    catch (FfmpegNotFoundException) { throw managed; }
                }
            }
            else
            {
                double? limit = StopAfter(options, 1.0);
                full = await FfmpegDecoder.DecodeAsync(path, options.FfmpegPath, limit, synchronous, ct).ConfigureAwait(false);
            }
            if (full.Frames == 0) throw WavFile.NoSamples(path);
            AudioLimits.CheckSampleRate(full.SampleRate, path);
            long first = FrameAt(options.OffsetSeconds, full.SampleRate);
            long max = options.DurationSeconds is { } d2 ? FrameAt(d2, full.SampleRate) : long.MaxValue;
            if (max <= 0) throw ZeroFrames(options, full.SampleRate);
            if (first >= full.Frames) throw BeyondEnd(path, options.OffsetSeconds, full.Frames, full.SampleRate);
            audio = full.Slice((int)first, (int)Math.Min(max, full.Frames - first));
        }
        // The one home of the sample rule for every decoder (WAV PCM/float/RF64, Ogg Vorbis, MP3, ffmpeg).
        AudioLimits.CheckSamples(audio, path);
        ct.ThrowIfCancellationRequested();

        if (options.Mono && audio.ChannelCount > 1) audio = RawAudio.FromClip(audio.ToMono());
        if (options.SampleRate is { } sr && sr != audio.SampleRate)
        {
            var plan = Resampler.Get(audio.SampleRate, sr);
            AudioLimits.CheckSampleCount(plan.OutputLengthLong(audio.Frames) * audio.ChannelCount, path,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"resampling {audio.DurationSeconds:0.#} s of {audio.ChannelCount}-channel audio from {audio.SampleRate:N0} Hz to {sr:N0} Hz gives"));
            var chans = new float[audio.ChannelCount][];
            for (int c = 0; c < chans.Length; c++) chans[c] = plan.Process(audio.Channels[c]);
            audio = new RawAudio(chans, sr);
        }
        return audio;
    }

    /// <summary>The WAV layout when <paramref name="path"/> is a RIFF/WAVE (or RF64) file we decode natively, whether it
    /// is Ogg Vorbis (decoded by NVorbis), and the gapless info of an MP3 with a LAME tag (decoded by NLayer); all empty
    /// when ffmpeg should decode it. Throws for non-regular and empty files and broken WAV headers.</summary>
    private static (WavFile.WavLayout? Wav, bool OggVorbis, Mp3Decoder.GaplessInfo? Mp3) Sniff(string path)
    {
        using var fs = WavFile.OpenRead(path);
        if (fs.Length == 0)
            throw new AudioFormatException(path, "the file is empty (0 bytes)", "Check that the file was copied or exported completely");
        Span<byte> head = stackalloc byte[64];
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];
        if (n >= 4 && WavFile.IsContainerTag(head) && (n < 12 || head.Slice(8, 4).SequenceEqual("WAVE"u8)))
        {
            fs.Position = 0;
            var layout = WavFile.ReadHeader(fs, path);   // throws for truncated/broken headers
            return (layout.IsSupported ? layout : null, false, null);     // compressed WAV codecs go to ffmpeg
        }
        if (VorbisDecoder.IsOggVorbis(head)) return (null, true, null);
        if (Mp3Decoder.ReadGaplessInfo(fs) is { } mp3) return (null, false, mp3);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".wav" or ".wave")
            throw new AudioFormatException(path, "named .wav but not a RIFF/WAVE file (no \"RIFF....WAVE\" or \"RF64....WAVE\" header)",
                "Check what the file really is (e.g. with the `file` command) and give it the right extension");
        return (null, false, null);
    }

    /// <summary>Where a decoder may stop: offset + duration (+ <paramref name="margin"/>) seconds, or null (to the end) when
    /// no duration is asked or the end lies beyond a year (no decoder needs a time that large, and ffmpeg's <c>-t</c>
    /// refuses some).</summary>
    private static double? StopAfter(AudioLoadOptions options, double margin) =>
        options.DurationSeconds is { } d && options.OffsetSeconds + d + margin is var t && t < 365 * 86400.0 ? t : null;

    /// <summary>The frame at <paramref name="seconds"/> (≥ 0) at <paramref name="rate"/>: <c>int(seconds·rate)</c> as
    /// librosa/soundfile truncate, saturating at <see cref="long.MaxValue"/> instead of overflowing for huge values.</summary>
    private static long FrameAt(double seconds, int rate)
    {
        double f = Math.Floor(seconds * rate);
        return f >= long.MaxValue ? long.MaxValue : (long)f;
    }

    private static ArgumentOutOfRangeException BeyondEnd(string path, double offset, long frames, int rate) =>
        new("options", offset,
            $"OffsetSeconds={offset} is at or beyond the end of {path} ({frames} frames = {(double)frames / rate:0.###} s at {rate} Hz) (librosa offset)");

    private static ArgumentOutOfRangeException ZeroFrames(AudioLoadOptions o, int rate) =>
        new("options", o.DurationSeconds,
            $"DurationSeconds={o.DurationSeconds} selects 0 frames at {rate} Hz; give at least {1.0 / rate:G3} s (librosa duration)");
}
