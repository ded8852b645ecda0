using System.CommandLine;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora roundtrip &lt;audio…&gt;</c>: audio → picture → audio, with the metrics against the original.</summary>
internal static class RoundtripCommand
{
    internal static Command Create()
    {
        var inputs = new Argument<string[]>("audio") { Description = "Audio files (WAV natively; MP3 etc. through ffmpeg)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for the pictures and reconstructions (default: a temporary folder, deleted)" };
        var format = new Option<string>("--format") { Description = "png (exact, with metadata) or jpg (like makeMels.py; length from the audio)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpg");
        var baseline = new Option<bool>("--baseline") { Description = "Also run the librosa-equivalent baseline (pinv + Griffin-Lim 32 from random phase)" };
        var duration = new Option<double?>("--duration") { Description = "Read at most this many seconds of each file" };
        var command = new Command("roundtrip", "Audio → mel picture → audio, reporting SC, LSD, mel-SC and image consistency against the original");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, format, baseline, duration }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var outDir = r.GetValue(output);
            var dir = outDir ?? Directory.CreateTempSubdirectory("speclora-roundtrip-").FullName;
            var table = new Table().AddColumns("input", "method", "seconds", "SC", "SC (dB)", "LSD (dB)", "mel-SC", "consistency (dB)");
            try
            {
                foreach (var file in r.GetValue(inputs)!)
                {
                    ct.ThrowIfCancellationRequested();
                    var clip = AudioLoader.Load(file, new AudioLoadOptions { DurationSeconds = r.GetValue(duration) });
                    var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels, out float refPower);
                    var picture = Path.Combine(dir, Path.GetFileNameWithoutExtension(file) + "." + r.GetValue(format));
                    MelImage.Save(picture, db, null, MelImageMetadata.From(db, null, null, refPower, clip.DurationSeconds));
                    var decoded = SpectrogramImageDecoder.Decode(picture);
                    var runs = new List<(string Name, InversionOptions Options)>
                    {
                        ("ours (NNLS + PGHI + FGLA32)", new InversionOptions { DurationSeconds = decoded.Metadata is null ? clip.DurationSeconds : null, ReferencePower = refPower, PeakDbfs = null }),
                    };
                    if (r.GetValue(baseline))
                        runs.Add(("librosa-style (pinv + GL32)", runs[0].Options with
                        {
                            PinvBaseline = true, Method = PhaseMethod.GriffinLim, MelConsistent = false,
                        }));
                    foreach (var (name, options) in runs)
                    {
                        var audio = ImageInversion.FromImage(decoded, options, true, null, ct);
                        var m = QualityMetrics.Compare(clip, audio);
                        double consistency = QualityMetrics.ImageConsistency(decoded.Db, audio);
                        if (outDir != null) WavFile.Write(Path.Combine(dir, Path.GetFileNameWithoutExtension(file) + (name.StartsWith("ours") ? "" : "-baseline") + ".wav"), Normalised(audio));
                        table.AddRow(Markup.Escape(Path.GetFileName(file)), Markup.Escape(name), $"{audio.DurationSeconds:F1}", $"{m.Sc:F3}", $"{m.ScDb:F1}",
                            $"{m.LsdDb:F2}", $"{m.MelSc:F3}", $"{consistency:F2}");
                    }
                }
            }
            finally
            {
                if (outDir is null) try { Directory.Delete(dir, true); } catch (IOException) { }
            }
            AnsiConsole.Write(table);
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static AudioClip Normalised(AudioClip audio)
    {
        float peak = 0;
        foreach (var v in audio.Samples) peak = Math.Max(peak, Math.Abs(v));
        if (peak == 0) return audio;
        float g = (float)(Math.Pow(10, -1 / 20.0) / peak);
        return audio with { Samples = audio.Samples.Select(v => v * g).ToArray() };
    }
}
