namespace SpecLora.Inversion;

/// <summary>The stage an inversion is in, for progress reports.</summary>
public enum InversionStage
{
    /// <summary>Mel → linear magnitude (NNLS).</summary>
    MelToLinear,
    /// <summary>Resampling image columns to frames.</summary>
    TimeAxis,
    /// <summary>Phase initialisation (PGHI).</summary>
    PhaseInit,
    /// <summary>Iterative phase retrieval (Griffin-Lim / FGLA); <see cref="InversionProgress.Completed"/> counts iterations.</summary>
    PhaseIterations,
    /// <summary>Inverse STFT and normalisation.</summary>
    Synthesis,
}

/// <summary>A progress report: <paramref name="Completed"/> of <paramref name="Total"/> steps of <paramref name="Stage"/>.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="Completed">Steps done in this stage.</param>
/// <param name="Total">Steps in this stage.</param>
public sealed record InversionProgress(InversionStage Stage, int Completed, int Total);
