using System.Text;

namespace SpecLora.IO;

/// <summary>
/// Makes text that came from outside (file names, server fields, notebook output) safe to print on a terminal: every
/// control character is shown as an escape instead of being sent to the terminal, so a name holding
/// <c>ESC ]0;…BEL</c> cannot retitle the window, recolour the screen or hide text.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with each C0 control (U+0000–U+001F), DEL, C1 control (U+0080–U+009F) and Unicode
    /// direction override or isolate (U+200E/F, U+202A–U+202E, U+2066–U+2069) replaced by a visible escape:
    /// <c>\e</c> for ESC, <c>\a</c> BEL, <c>\b</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\xNN</c> for the other C0/DEL,
    /// <c>\uNNNN</c> for the rest. A backslash is left as it is. Null gives "".
    /// </summary>
    /// <param name="text">Text from a file name, a server or a notebook.</param>
    /// <returns>The same text when it holds nothing to escape (no allocation), else the escaped copy.</returns>
    public static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        int first = -1;
        for (int i = 0; i < text.Length; i++) if (NeedsEscape(text[i])) { first = i; break; }
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(c)) { sb.Append(c); continue; }
            sb.Append(c switch
            {
                '\u001b' => "\\e",
                '\a' => "\\a",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                < '\u0020' or '\u007f' => $"\\x{(int)c:X2}",
                _ => $"\\u{(int)c:X4}",
            });
        }
        return sb.ToString();
    }

    /// <summary>True for the characters <see cref="Visible"/> escapes.</summary>
    internal static bool NeedsEscape(char c) =>
        c < '\u0020' || c is >= '\u007f' and <= '\u009f' || c is '\u200e' or '\u200f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
}
