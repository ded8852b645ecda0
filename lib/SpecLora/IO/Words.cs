namespace SpecLora.IO;

/// <summary>Counts in words, with the plural right: "1 picture", "3 pictures", "1 audio element".</summary>
public static class Words
{
    /// <summary>"<paramref name="n"/> <paramref name="singular"/>" for 1, "<paramref name="n"/> <paramref name="plural"/>"
    /// (default: the singular + "s") otherwise.</summary>
    /// <param name="n">The count.</param>
    /// <param name="singular">The noun for one ("picture", "file").</param>
    /// <param name="plural">The noun for other counts; null = <paramref name="singular"/> + "s".</param>
    public static string Count(long n, string singular, string? plural = null) => $"{n} {(n == 1 ? singular : plural ?? singular + "s")}";
}
