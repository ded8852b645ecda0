using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>The reconstruction-quality figures of specs/metrics.md for one pair of signals.</summary>
/// <param name="Sc">Spectral convergence ‖X_ref − X_est‖_F / ‖X_ref‖_F on |STFT| (0 = identical, 1 = silence).</param>
/// <param name="ScDb">20·log10(SC).</param>
/// <param name="ScGain">Level-invariant SC: min over a gain g of ‖X_ref − g·X_est‖ / ‖X_ref‖.</param>
/// <param name="LsdDb">Log-spectral distance in dB on |STFT|² (floor 80 dB below the reference peak).</param>
/// <param name="MelSc">SC on the mel power spectrograms.</param>
/// <param name="MelLsdDb">LSD on the mel power spectrograms (floor max(M_ref)·1e-8).</param>
/// <param name="Gain">The g of <paramref name="ScGain"/>: g = ⟨X_ref, X_est⟩ / ‖X_est‖² on |STFT|.</param>
/// <param name="LsdGainDb">Level-invariant LSD: the LSD of g·X_est (the g of SC_gain).</param>
/// <param name="MelScGain">Level-invariant mel-SC: after the best constant gain on the mel power.</param>
/// <remarks>A picture carries no level and our WAVs are peak-normalised: compare a picture's reconstruction with the
/// original by the gain-free measures (<see cref="ScGain"/>, <see cref="MelScGain"/>, <see cref="LsdGainDb"/>).</remarks>
public sealed record InversionMetrics(double Sc, double ScDb, double ScGain, double LsdDb, double MelSc, double MelLsdDb,
    double Gain, double LsdGainDb, double MelScGain);

/// <summary>
/// Reconstruction metrics exactly as specs/metrics.md defines them (librosa STFT n_fft 2048, hop 512, periodic Hann,
/// centred with zeros; 128 Slaney mels). Spectrogram overloads take frame-aligned spectrograms and compare the first
/// min(T_ref, T_est) frames. Waveform SNR is deliberately absent: it is meaningless for phase-free reconstruction.
/// </summary>
public static class QualityMetrics
{
    /// <summary>All figures for two signals at the same sample rate, trimmed to the shorter length.</summary>
    /// <exception cref="ArgumentException">Different sample rates or an empty signal.</exception>
    /// <example>
    /// <code>
    /// var ours = new MelInverter(new InversionOptions { FramesPerColumn = 1, PeakDbfs = null }).FromMelPower(MelSpectrogram.Compute(clip));
    /// var m = QualityMetrics.Compare(clip, ours);
    /// Console.WriteLine($"SC {m.Sc:F3}, mel-SC {m.MelSc:F3}, LSD {m.LsdDb:F2} dB");
    /// </code>
    /// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
    /// </example>
    public static InversionMetrics Compare(AudioClip reference, AudioClip estimate, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(reference); ArgumentNullException.ThrowIfNull(estimate);
        if (reference.SampleRate != estimate.SampleRate)
            throw new ArgumentException($"sample rates differ: reference {reference.SampleRate} Hz, estimate {estimate.SampleRate} Hz; resample first", nameof(estimate));
        int n = Math.Min(reference.Length, estimate.Length);
        if (n == 0) throw new ArgumentException("a signal has 0 samples", nameof(estimate));
        var mo = (mel ?? new MelOptions { SampleRate = reference.SampleRate }).Validate();
        var plan = PhaseIteration.CreatePlan(mo.Stft);
        var cr = plan.Forward(reference.Samples.AsSpan(0, n), mo.SampleRate);
        var ce = plan.Forward(estimate.Samples.AsSpan(0, n), mo.SampleRate);
        var xr = cr.ToMagnitude(1.0); var xe = ce.ToMagnitude(1.0);
        var mr = MelSpectrogram.FromStft(cr, mo); var me = MelSpectrogram.FromStft(ce, mo);
        double sc = SpectralConvergence(xr, xe);
        double scGain = SpectralConvergenceGain(xr, xe, out double g);
        return new InversionMetrics(sc, ToDb(sc), scGain, LogSpectralDistance(xr, xe),
            SpectralConvergence(mr, me), LogSpectralDistance(mr, me),
            g, LogSpectralDistance(xr, xe, g), SpectralConvergenceGain(mr, me, out _));
    }

    /// <summary>SC = ‖R − E‖_F / ‖R‖_F (R, E magnitudes or mel powers, as given).</summary>
    public static double SpectralConvergence(Spectrogram reference, Spectrogram estimate)
    {
        var (t, bins) = Align(reference, estimate);
        double num = 0, den = 0;
        for (int k = 0; k < bins; k++)
            for (int f = 0; f < t; f++)
            {
                double r = reference[k, f], d = r - estimate[k, f];
                num += d * d; den += r * r;
            }
        return den > 0 ? Math.Sqrt(num / den) : (num > 0 ? double.PositiveInfinity : 0);
    }

    /// <summary>SC in dB: 20·log10(SC).</summary>
    public static double SpectralConvergenceDb(Spectrogram reference, Spectrogram estimate) => ToDb(SpectralConvergence(reference, estimate));

    /// <summary>SC_gain = min_g ‖R − g·E‖ / ‖R‖ with g = ⟨R, E⟩ / ‖E‖².</summary>
    public static double SpectralConvergenceGain(Spectrogram reference, Spectrogram estimate) => SpectralConvergenceGain(reference, estimate, out _);

    /// <summary>SC_gain and its gain <paramref name="gain"/> = ⟨R, E⟩ / ‖E‖² (0 for a silent estimate).</summary>
    public static double SpectralConvergenceGain(Spectrogram reference, Spectrogram estimate, out double gain)
    {
        var (t, bins) = Align(reference, estimate);
        double rr = 0, re = 0, ee = 0;
        for (int k = 0; k < bins; k++)
            for (int f = 0; f < t; f++) { double r = reference[k, f], e = estimate[k, f]; rr += r * r; re += r * e; ee += e * e; }
        double g = gain = ee > 0 ? re / ee : 0;
        if (rr == 0) return 0;
        double res = rr - 2 * g * re + g * g * ee;
        return Math.Sqrt(Math.Max(0, res) / rr);
    }

    /// <summary>LSD (dB) = mean over frames of √(mean over bins of (L_ref − L_est)²), L = 10·log10(max(P, floor)),
    /// floor = max(P_ref)·1e-8. Magnitude spectrograms are squared to power first; power (mel) ones are used as is.
    /// <paramref name="estimateGain"/> scales the estimate's values first (LSD_gain: the g of SC_gain).</summary>
    public static double LogSpectralDistance(Spectrogram reference, Spectrogram estimate, double estimateGain = 1)
    {
        var (t, bins) = Align(reference, estimate);
        bool sq = reference.Scale == SpectrogramScale.Magnitude;
        double max = 0;
        for (int k = 0; k < bins; k++) for (int f = 0; f < t; f++) { double p = P(reference[k, f]); if (p > max) max = p; }
        double floor = max * 1e-8;
        if (floor <= 0) floor = 1e-30;
        double sum = 0;
        for (int f = 0; f < t; f++)
        {
            double acc = 0;
            for (int k = 0; k < bins; k++)
            {
                double d = 10 * Math.Log10(Math.Max(P(reference[k, f]), floor)) - 10 * Math.Log10(Math.Max(P(estimateGain * estimate[k, f]), floor));
                acc += d * d;
            }
            sum += Math.Sqrt(acc / bins);
        }
        return sum / t;
        double P(double v) => sq ? v * v : v;
    }

    /// <summary>mel-SC of two signals: SC on their mel power spectrograms.</summary>
    public static double MelSpectralConvergence(AudioClip reference, AudioClip estimate, MelOptions? mel = null) => Compare(reference, estimate, mel).MelSc;

    /// <summary>
    /// Image consistency (dB): mel-LSD between the decoded image mel <paramref name="decodedMelDb"/> [NMels × C] (dB)
    /// and the mel power of the reconstruction <paramref name="reconstructedMelPower"/> [NMels × T], after the best
    /// constant dB offset. The reconstruction is read at the frame each column shows, ⌊(c + 0.5)·T/C⌋ (the picture rule,
    /// <see cref="FrameAxis.FrameOf"/>); its levels are floored 80 dB below its peak, like the image. The offset minimises the LSD
    /// exactly (the LSD is convex in it; golden-section search).
    /// </summary>
    public static double ImageConsistency(Spectrogram decodedMelDb, Spectrogram reconstructedMelPower, out double offsetDb)
    {
        ArgumentNullException.ThrowIfNull(decodedMelDb); ArgumentNullException.ThrowIfNull(reconstructedMelPower);
        if (decodedMelDb.Scale != SpectrogramScale.Db) throw new ArgumentException($"expected dB, got {decodedMelDb.Scale}", nameof(decodedMelDb));
        if (reconstructedMelPower.Scale != SpectrogramScale.Power) throw new ArgumentException($"expected power, got {reconstructedMelPower.Scale}", nameof(reconstructedMelPower));
        if (decodedMelDb.Bins != reconstructedMelPower.Bins)
            throw new ArgumentException($"band counts differ: image {decodedMelDb.Bins}, reconstruction {reconstructedMelPower.Bins}", nameof(reconstructedMelPower));
        int c = decodedMelDb.Frames, t = reconstructedMelPower.Frames, bins = decodedMelDb.Bins;
        double max = 0; foreach (var v in reconstructedMelPower.Data) if (v > max) max = v;
        double floor = max > 0 ? max * 1e-8 : 1e-30;
        var est = new double[bins * c];
        var shown = FrameAxis.ForFrames(c, t).ColumnFrames();
        for (int k = 0; k < bins; k++)
            for (int j = 0; j < c; j++)
                est[k * c + j] = 10 * Math.Log10(Math.Max(reconstructedMelPower[k, shown[j]], floor));
        double Lsd(double o)
        {
            double sum = 0;
            for (int j = 0; j < c; j++)
            {
                double acc = 0;
                for (int k = 0; k < bins; k++) { double d = decodedMelDb[k, j] - (est[k * c + j] + o); acc += d * d; }
                sum += Math.Sqrt(acc / bins);
            }
            return sum / c;
        }
        double mean = 0; for (int k = 0; k < bins; k++) for (int j = 0; j < c; j++) mean += decodedMelDb[k, j] - est[k * c + j];
        mean /= bins * c;
        double lo = mean - 100, hi = mean + 100, phi = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo), f1 = Lsd(x1), f2 = Lsd(x2);
        for (int it = 0; it < 80 && hi - lo > 1e-6; it++)
        {
            if (f1 < f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = Lsd(x1); }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = Lsd(x2); }
        }
        offsetDb = (lo + hi) / 2;
        return Lsd(offsetDb);
    }

    /// <summary>Image consistency of an audio reconstruction against the decoded image mel (dB).</summary>
    /// <example>
    /// <code>
    /// var decoded = SpectrogramImageDecoder.Decode("res5.png");
    /// double consistencyDb = QualityMetrics.ImageConsistency(decoded.Db, ImageInversion.FromImage(decoded));
    /// </code>
    /// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
    /// </example>
    public static double ImageConsistency(Spectrogram decodedMelDb, AudioClip reconstruction, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(reconstruction);
        var mo = mel ?? new MelOptions { SampleRate = reconstruction.SampleRate };
        return ImageConsistency(decodedMelDb, MelSpectrogram.Compute(reconstruction, mo), out _);
    }

    private static double ToDb(double sc) => 20 * Math.Log10(Math.Max(sc, 1e-300));

    private static (int Frames, int Bins) Align(Spectrogram reference, Spectrogram estimate)
    {
        ArgumentNullException.ThrowIfNull(reference); ArgumentNullException.ThrowIfNull(estimate);
        if (reference.Bins != estimate.Bins) throw new ArgumentException($"bin counts differ: reference {reference.Bins}, estimate {estimate.Bins}", nameof(estimate));
        if (reference.Scale != estimate.Scale) throw new ArgumentException($"scales differ: reference {reference.Scale}, estimate {estimate.Scale}", nameof(estimate));
        return (Math.Min(reference.Frames, estimate.Frames), reference.Bins);
    }
}
