using SpecLora.Spectrograms;

namespace SpecLora.Notebook;

/// <summary>
/// The triangular mel filters of <see cref="MelFilterBank.Get"/> drawn over frequency in Hz (inline SVG): each
/// filter's weights on the STFT bins, so one sees the filters widen and (with Slaney norm) flatten as frequency rises.
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class FilterbankChart : IHtmlView
{
    /// <summary>The filterbank settings drawn.</summary>
    public MelOptions Options { get; }
    /// <summary>Every how many filters one is drawn (1 = all).</summary>
    public int Every { get; }
    /// <summary>Upper frequency of the plot in Hz; null = the filterbank's fmax.</summary>
    public double? MaxHz { get; }

    /// <summary>Creates the chart.</summary>
    /// <param name="options">Mel settings (librosa defaults when null).</param>
    /// <param name="every">Draw every n-th filter (≥ 1), to keep 128 filters legible.</param>
    /// <param name="maxHz">Zoom the frequency axis up to this many Hz.</param>
    public FilterbankChart(MelOptions? options = null, int every = 1, double? maxHz = null)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, $"every={every} must be ≥ 1");
        if (maxHz is <= 0) throw new ArgumentOutOfRangeException(nameof(maxHz), maxHz, $"maxHz={maxHz} must be > 0");
        Options = options ?? new MelOptions();
        Every = every;
        MaxHz = maxHz;
    }

    internal LineChart ToChart()
    {
        var bank = MelFilterBank.Get(Options);
        var nfft = Options.Stft.NFft;
        var limit = MaxHz ?? Options.EffectiveFMaxHz;
        var chart = new LineChart
        {
            Title = $"Mel filterbank: {bank.NMels} filters, n_fft={nfft}, sr={Options.SampleRate} Hz" + (Every > 1 ? $" (every {Every}th shown)" : ""),
            XLabel = "Frequency (Hz)",
            YLabel = "Weight",
        };
        for (var m = 0; m < bank.NMels; m += Every)
        {
            var start = Math.Max(0, bank.Start[m] - 1);
            var end = Math.Min(bank.NBins, bank.Start[m] + bank.Count[m] + 1);
            var xs = new List<double>();
            var ys = new List<double>();
            for (var k = start; k < end; k++)
            {
                var hz = (double)k * Options.SampleRate / nfft;
                if (hz > limit) break;
                xs.Add(hz);
                ys.Add(bank[m, k]);
            }
            if (xs.Count > 0) chart.Add("", xs.ToArray(), ys.ToArray());
        }
        if (chart.Series.Count == 0) chart.Add("", [0, limit], [0, 0]);
        return chart;
    }

    /// <inheritdoc/>
    public string ToHtml() => ToChart().ToHtml();

    /// <summary>A one-line description (used as text/plain).</summary>
    public override string ToString()
    {
        var bank = MelFilterBank.Get(Options);
        return $"Mel filterbank: {bank.NMels} filters × {bank.NBins} bins, {Options.FMinHz}–{Options.EffectiveFMaxHz} Hz, {bank.EmptyFilterCount} empty";
    }
}
