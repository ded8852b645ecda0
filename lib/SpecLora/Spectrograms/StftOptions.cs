namespace SpecLora.Spectrograms;

/// <summary>How the signal is padded when <see cref="StftOptions.Center"/> is true (librosa <c>pad_mode</c>).</summary>
public enum PadMode
{
    /// <summary>Zeros (librosa ≥ 0.9 default, <c>"constant"</c>).</summary>
    Constant,
    /// <summary>Mirror without repeating the edge (<c>"reflect"</c>, librosa ≤ 0.8).</summary>
    Reflect,
}

/// <summary>STFT settings; defaults match librosa 0.10 <c>stft</c>: n_fft 2048, hop win_length/4, periodic Hann,
/// centred with zero padding.</summary>
/// <example>
/// <code>
/// var options = new StftOptions();   // n_fft 2048, hop 512, centred, zero padding
/// Console.WriteLine($"hop {options.EffectiveHopLength}, {options.FrameCount(2 * 22050)} frames for 2 s");   // 512, 87
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public sealed record StftOptions
{
    /// <summary>FFT length in samples (librosa <c>n_fft</c>). Default 2048. Must be a power of two ≥ 16.</summary>
    public int NFft { get; init; } = LibrosaDefaults.NFft;
    /// <summary>Hop in samples (librosa <c>hop_length</c>); <c>null</c> = <see cref="EffectiveWinLength"/>/4.</summary>
    public int? HopLength { get; init; }
    /// <summary>Window length in samples (librosa <c>win_length</c>); <c>null</c> = <see cref="NFft"/>.</summary>
    public int? WinLength { get; init; }
    /// <summary>Pad so that frame t is centred at t·hop (librosa <c>center</c>). Default true.</summary>
    public bool Center { get; init; } = true;
    /// <summary>Padding when centred (librosa <c>pad_mode</c>). Default <see cref="PadMode.Constant"/>.</summary>
    public PadMode PadMode { get; init; } = PadMode.Constant;

    /// <summary>The window length actually used.</summary>
    public int EffectiveWinLength => WinLength ?? NFft;
    /// <summary>The hop actually used.</summary>
    public int EffectiveHopLength => HopLength ?? EffectiveWinLength / 4;

    /// <summary>Number of frames for a signal of <paramref name="length"/> samples: 1 + len/hop when centred.</summary>
    public int FrameCount(int length) => Center ? 1 + length / EffectiveHopLength : (length < NFft ? 0 : 1 + (length - NFft) / EffectiveHopLength);

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public StftOptions Validate()
    {
        var errors = new List<string>();
        if (NFft < 16 || (NFft & (NFft - 1)) != 0) errors.Add($"NFft={NFft} must be a power of two ≥ 16 (librosa n_fft)");
        if (HopLength is <= 0) errors.Add($"HopLength={HopLength} must be > 0 (librosa hop_length)");
        if (WinLength is <= 0 || WinLength > NFft) errors.Add($"WinLength={WinLength} must be in 1..NFft={NFft} (librosa win_length)");
        if (errors.Count > 0) throw new ArgumentException("Invalid STFT options: " + string.Join("; ", errors));
        return this;
    }
}
