namespace SpecLora.Imaging;

/// <summary>
/// An 8-bit RGBA picture, row-major from the top-left: pixel (row r, column c) at bytes
/// <c>[4·(r·Width + c), +4)</c> = R, G, B, A (straight, not premultiplied alpha).
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Pixels">4·Width·Height bytes. Treat as read-only.</param>
public sealed record RgbaImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>The R, G, B, A bytes of pixel (row, column).</summary>
    public (byte R, byte G, byte B, byte A) this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(row), row, $"row={row} must be in 0…{Height - 1}");
            if ((uint)column >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(column), column, $"column={column} must be in 0…{Width - 1}");
            int i = 4 * (row * Width + column);
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]);
        }
    }
}
