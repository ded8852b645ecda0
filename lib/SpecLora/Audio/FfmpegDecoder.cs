using FFMpegCore;
using FFMpegCore.Arguments;
using FFMpegCore.Exceptions;
using FFMpegCore.Pipes;

namespace SpecLora.Audio;

/// <summary>
/// Decodes any format ffmpeg knows to float32 PCM at the file's own rate and channel count, through FFMpegCore:
/// <c>ffmpeg -i file -map 0:a:0 -c:a pcm_f32le -f wav pipe:</c>. ffmpeg applies the encoder delay and padding
/// recorded in an MP3's LAME/Xing tag (and in M4A/Opus edit lists), so decoding is gapless: the corpus MP3s give
/// exactly the WAVs' 661,500 frames. The WAV stream on the pipe has unknown length (size 0xFFFFFFFF), which
/// <see cref="WavFile"/> reads to the end.
/// </summary>
internal static class FfmpegDecoder
{
    /// <summary>The folder holding the ffmpeg executable, or throws <see cref="FfmpegNotFoundException"/>.</summary>
    internal static string LocateBinaryFolder(string file, string? explicitPath)
    {
        string exe = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        string? given = explicitPath;
        string source = "AudioLoadOptions.FfmpegPath";
        if (string.IsNullOrEmpty(given))
        {
            given = Environment.GetEnvironmentVariable("FFMPEG_PATH");
            source = "FFMPEG_PATH";
        }
        if (!string.IsNullOrEmpty(given))
        {
            if (File.Exists(given))
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(given))!;
                if (File.Exists(Path.Combine(dir, exe))) return dir;
                throw new FfmpegNotFoundException(file, $"{source}={given} is a file but not named {exe}");
            }
            if (Directory.Exists(given) && File.Exists(Path.Combine(given, exe))) return Path.GetFullPath(given);
            throw new FfmpegNotFoundException(file, $"{source}={given} is neither the ffmpeg executable nor a folder holding {exe}");
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            try { if (File.Exists(Path.Combine(dir, exe))) return Path.GetFullPath(dir); }
            catch (ArgumentException) { /* malformed PATH entry */ }
        }
        return Environment.GetEnvironmentVariable("PATH") is null
            ? throw new FfmpegNotFoundException(file, "FFMPEG_PATH is unset and PATH is empty")
            : throw new FfmpegNotFoundException(file, "FFMPEG_PATH is unset and no ffmpeg on PATH");
    }

    /// <summary>True when <see cref="LocateBinaryFolder"/> finds ffmpeg (through <paramref name="explicitPath"/>,
    /// <c>FFMPEG_PATH</c> or <c>PATH</c>).</summary>
    internal static bool IsAvailable(string? explicitPath)
    {
        try { LocateBinaryFolder("probe", explicitPath); return true; }
        catch (FfmpegNotFoundException) { return false; }
    }

    /// <summary>Decodes <paramref name="path"/>; <paramref name="maxSeconds"/> (if set) lets ffmpeg stop early.</summary>
    internal static async Task<RawAudio> DecodeAsync(string path, string? ffmpegPath, double? maxSeconds, bool synchronous, CancellationToken ct)
    {
        var folder = LocateBinaryFolder(path, ffmpegPath);
        var buffer = new MemoryStream();
        // A short file can decode to hours of audio (a FLAC or Opus of silence): the pipe is read up to the bytes of
        // AudioLimits.MaxSamples float32 samples, then ffmpeg is stopped and the file refused with a sentence.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bool tooLong = false;
        var sink = new StreamPipeSink(async (s, token) =>
        {
            if (!await CopyBoundedAsync(s, buffer, MaxPipeBytes, token).ConfigureAwait(false))
            {
                tooLong = true;
                await stop.CancelAsync().ConfigureAwait(false);
            }
        });
        var processor = FFMpegArguments
            .FromFileInput(path, true)
            .WithGlobalOptions(g => g.WithVerbosityLevel(VerbosityLevel.Error))
            .OutputToPipe(sink, o =>
            {
                o.WithCustomArgument("-map 0:a:0 -vn -sn -dn -fflags +bitexact -flags:a +bitexact");
                if (maxSeconds is { } t) o.WithCustomArgument(FormattableString.Invariant($"-t {t:R}"));
                o.WithAudioCodec("pcm_f32le").ForceFormat("wav");
            });
        processor = processor.CancellableThrough(stop.Token);
        var options = new FFOptions { BinaryFolder = folder };
        try
        {
            if (synchronous) processor.ProcessSynchronously(true, options);
            else await processor.ProcessAsynchronously(true, options).ConfigureAwait(false);
        }
        catch (Exception) when (tooLong && !ct.IsCancellationRequested)
        {
            throw AudioLimits.TooManySamples(AudioLimits.MaxSamples, path, "it decodes to more than");
        }
        catch (OperationCanceledException) { throw; }
        catch (FFMpegException ex)
        {
            ct.ThrowIfCancellationRequested();
            throw Explain(path, ex.FFMpegErrorOutput ?? ex.Message, ex);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FfmpegNotFoundException(path, $"starting {Path.Combine(folder, "ffmpeg")} failed: {ex.Message}");
        }
        ct.ThrowIfCancellationRequested();
        if (tooLong) throw AudioLimits.TooManySamples(AudioLimits.MaxSamples, path, "it decodes to more than");
        buffer.Position = 0;
        if (buffer.Length == 0)
            throw new AudioFormatException(path, "ffmpeg decoded no audio from it", "Check that the file is a complete audio file");
        var name = $"{path} (decoded by ffmpeg)";
        try { return WavFile.ReadCore(buffer, name, 0, long.MaxValue).Audio; }
        catch (AudioFormatException ex) { throw new AudioFormatException(path, ex.Problem, ex.Advice, ex); }
    }

    /// <summary>Most bytes read from ffmpeg's pipe: <see cref="AudioLimits.MaxSamples"/> float32 samples and 64 kB of header.</summary>
    internal const long MaxPipeBytes = AudioLimits.MaxSamples * 4 + (1 << 16);

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> until the end (true) or until
    /// <paramref name="maxBytes"/> would be exceeded (false; the destination then holds exactly <paramref name="maxBytes"/>).</summary>
    internal static async Task<bool> CopyBoundedAsync(Stream source, Stream destination, long maxBytes, CancellationToken ct)
    {
        var block = new byte[1 << 16];
        long total = 0;
        while (true)
        {
            int n = await source.ReadAsync(block, ct).ConfigureAwait(false);
            if (n == 0) return true;
            // A MemoryStream doubles its capacity; never beyond the bound (1 GiB + 64 kB would otherwise become 2 GiB).
            if (destination is MemoryStream ms && total + n > ms.Capacity)
                ms.Capacity = (int)Math.Min(Math.Min(maxBytes, Array.MaxLength), Math.Max(total + n, 2L * ms.Capacity));
            if (total + n > maxBytes)
            {
                await destination.WriteAsync(block.AsMemory(0, (int)(maxBytes - total)), ct).ConfigureAwait(false);
                return false;
            }
            await destination.WriteAsync(block.AsMemory(0, n), ct).ConfigureAwait(false);
            total += n;
        }
    }

    private static AudioFormatException Explain(string path, string ffmpegOutput, Exception inner)
    {
        var lines = ffmpegOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.Length > 0 ? lines[^1] : ffmpegOutput.Trim();
        string all = string.Join(" | ", lines.TakeLast(3));
        if (ffmpegOutput.Contains("matches no streams", StringComparison.Ordinal))
            return new AudioFormatException(path, "the file has no audio stream", "Give a file that contains audio", inner);
        if (ffmpegOutput.Contains("Invalid data found", StringComparison.Ordinal) || ffmpegOutput.Contains("could not find codec parameters", StringComparison.OrdinalIgnoreCase))
            return new AudioFormatException(path, $"ffmpeg does not recognise it as audio ({last})",
                "Check that it really is an audio file (MP3, OGG, FLAC, M4A, WAV, …) and not text or a partial download", inner);
        if (ffmpegOutput.Contains("codec", StringComparison.OrdinalIgnoreCase) || ffmpegOutput.Contains("Decoder", StringComparison.Ordinal))
            return new AudioFormatException(path, $"unsupported codec ({all})",
                "Convert it to WAV, MP3 or FLAC (e.g. with ffmpeg or Audacity)", inner);
        return new AudioFormatException(path, $"ffmpeg could not decode it ({all})", "Check that the file is a complete audio file", inner);
    }
}
