namespace SpecLora.Inversion;

/// <summary>How the phase of a magnitude spectrogram is reconstructed.</summary>
public enum PhaseMethod
{
    /// <summary>PGHI initial phase, then fast Griffin-Lim (α 0.99). The default and the best non-neural method.</summary>
    PghiFgla,
    /// <summary>Fast Griffin-Lim (Perraudin et al. 2013, α 0.99) from a seeded random phase.</summary>
    Fgla,
    /// <summary>librosa <c>griffinlim</c> (momentum 0.99, random init from the seed): the baseline.</summary>
    GriffinLim,
    /// <summary>PGHI alone (non-iterative; Průša et al. 2017).</summary>
    Pghi,
}

/// <summary>Initial phase for Griffin-Lim (librosa <c>init</c>).</summary>
public enum PhaseInit
{
    /// <summary>Uniform random phase from the seed (librosa <c>init="random"</c>, but seeded).</summary>
    Random,
    /// <summary>Zero phase (librosa <c>init=None</c>): deterministic without a seed.</summary>
    Zero,
}
