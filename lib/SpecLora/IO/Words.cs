namespace SpecLora.IO;

/// <summary>Counts in words, with the plural right: "1 picture", "3 pictures", "1 audio element".</summary>
public static class Words
{
    /// <summary>"<paramref name="n"/> <paramref name="singular"/>" for 1, "<paramref name="n"/> <paramref name="plural"/>"
    /// (default: the singular + "s") otherwise.</summary>
    /// <param name="n">The count.</param>
    /// <param name="singular">The noun for one ("picture", "file").</param>
    /// <param name="plural">The noun for other counts; null = <paramref name="singular"/> + "s".</param>
    /// <example>
    /// <code>
    /// Console.WriteLine(Words.Count(1, "training image"));   // 1 training image
    /// Console.WriteLine(Words.Count(8, "training image"));   // 8 training images
    /// </code>
    /// Notebook: <c>notebooks/03-prepare-training.ipynb</c>.
    /// </example>
    public static string Count(long n, string singular, string? plural = null) =>
        n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (n == 1 ? singular : plural ?? singular + "s");

    /// <summary>"a", "a and b", "a, b and c".</summary>
    /// <param name="items">The items, in order.</param>
    public static string List(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count switch
        {
            0 => "",
            1 => items[0],
            _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
        };
    }
}
