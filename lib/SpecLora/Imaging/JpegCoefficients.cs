namespace SpecLora.Imaging;

/// <summary>
/// The quantised DCT coefficients of a baseline JPEG's first (luma) component and its quantisation table, read from the
/// file's bytes (DQT, SOF0/SOF1, DHT, DRI, SOS, Huffman-coded blocks): what the encoder actually stored, before any
/// decoder's rounding, chroma upsampling or YCbCr → RGB conversion. Progressive, arithmetic-coded, 12-bit, or
/// multi-scan files, and RGB-coded (non-Y′CbCr) files are not read (<see cref="TryRead"/> returns null).
/// </summary>
internal sealed class JpegCoefficients
{
    /// <summary>Natural (row-major) position of the k-th zig-zag coefficient.</summary>
    internal static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private JpegCoefficients(int width, int height, int blocksX, int blocksY, ushort[] quant, short[] coefficients)
    {
        Width = width; Height = height; BlocksX = blocksX; BlocksY = blocksY; Quant = quant; Coefficients = coefficients;
    }

    /// <summary>Picture width in pixels.</summary>
    internal int Width { get; }
    /// <summary>Picture height in pixels.</summary>
    internal int Height { get; }
    /// <summary>Luma blocks per block row (including MCU padding).</summary>
    internal int BlocksX { get; }
    /// <summary>Luma block rows (including MCU padding).</summary>
    internal int BlocksY { get; }
    /// <summary>The luma quantisation table, natural order (64 entries ≥ 1).</summary>
    internal ushort[] Quant { get; }
    /// <summary>Quantised luma coefficients n, natural order, 64 per block, blocks row-major (BlocksX × BlocksY).</summary>
    internal short[] Coefficients { get; }

    /// <summary>The luma quantisation table (natural order) of a JPEG, from its first DQT that the luma component
    /// uses, or null when the bytes are not a JPEG with such a table.</summary>
    internal static ushort[]? ReadLumaQuantTable(ReadOnlySpan<byte> jpeg)
    {
        try { return Parse(jpeg, decode: false)?.Quant; }
        catch (FormatException) { return null; }
        catch (IndexOutOfRangeException) { return null; }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    /// <summary>Reads the luma coefficients of a baseline JPEG, or null when the file is not one this reader handles
    /// (or is damaged).</summary>
    internal static JpegCoefficients? TryRead(ReadOnlySpan<byte> jpeg)
    {
        try { return Parse(jpeg, decode: true); }
        catch (FormatException) { return null; }
        catch (IndexOutOfRangeException) { return null; }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    private sealed class Huffman
    {
        internal readonly int[] MaxCode = new int[18];
        internal readonly int[] ValPtr = new int[17];
        internal readonly int[] MinCode = new int[17];
        internal byte[] Values = [];
        // 8-bit lookahead: (length << 8 | symbol), 0 = longer code.
        internal readonly int[] Fast = new int[256];

        internal void Build(ReadOnlySpan<byte> counts, byte[] values)
        {
            Values = values;
            int code = 0, k = 0;
            Array.Clear(Fast);
            for (int len = 1; len <= 16; len++)
            {
                ValPtr[len] = k;
                MinCode[len] = code;
                int n = counts[len - 1];
                for (int i = 0; i < n; i++, k++, code++)
                    if (len <= 8)
                    {
                        int shift = 8 - len;
                        for (int j = 0; j < 1 << shift; j++) Fast[code << shift | j] = len << 8 | values[k];
                    }
                MaxCode[len] = n > 0 ? code - 1 : -1;
                code <<= 1;
            }
            MaxCode[17] = int.MaxValue;
        }
    }

    private ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _pos;
        private uint _buf;
        private int _bits;
        private bool _marker;

        internal BitReader(ReadOnlySpan<byte> data, int pos) { _data = data; _pos = pos; _buf = 0; _bits = 0; _marker = false; }

        internal readonly int Position => _pos;

        private void Fill()
        {
            while (_bits <= 24)
            {
                uint b = 0;
                if (!_marker && _pos < _data.Length)
                {
                    b = _data[_pos];
                    if (b == 0xFF)
                    {
                        byte next = _pos + 1 < _data.Length ? _data[_pos + 1] : (byte)0xD9;
                        if (next == 0) _pos += 2;
                        else { _marker = true; b = 0; }
                    }
                    else _pos++;
                }
                _buf |= b << (24 - _bits);
                _bits += 8;
            }
        }

        internal int Peek8() { if (_bits < 8) Fill(); return (int)(_buf >> 24); }

        internal void Skip(int n) { _buf <<= n; _bits -= n; }

        internal int Bit() { if (_bits < 1) Fill(); int v = (int)(_buf >> 31); _buf <<= 1; _bits--; return v; }

        internal int Bits(int n)
        {
            if (n == 0) return 0;
            if (_bits < n) Fill();
            int v = (int)(_buf >> (32 - n));
            _buf <<= n; _bits -= n;
            return v;
        }

        /// <summary>Skips to the restart marker and past it; false when none is there.</summary>
        internal bool Restart()
        {
            _buf = 0; _bits = 0; _marker = false;
            while (_pos + 1 < _data.Length && !(_data[_pos] == 0xFF && _data[_pos + 1] is >= 0xD0 and <= 0xD7)) _pos++;
            if (_pos + 1 >= _data.Length) return false;
            _pos += 2;
            return true;
        }

        internal int Decode(Huffman h)
        {
            int look = Peek8();
            int f = h.Fast[look];
            if (f != 0) { Skip(f >> 8); return f & 255; }
            int code = Bits(8);
            for (int len = 9; len <= 16; len++)
            {
                code = code << 1 | Bit();
                if (code <= h.MaxCode[len]) return h.Values[h.ValPtr[len] + code - h.MinCode[len]];
            }
            throw new FormatException("bad Huffman code");
        }

        internal int Receive(int s)
        {
            int v = Bits(s);
            return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
        }
    }

    private static JpegCoefficients? Parse(ReadOnlySpan<byte> d, bool decode)
    {
        if (d.Length < 4 || d[0] != 0xFF || d[1] != 0xD8) return null;
        var quant = new ushort[4][];
        var dc = new Huffman?[4];
        var ac = new Huffman?[4];
        int restart = 0, width = 0, height = 0, nf = 0, adobeTransform = -1;
        int[] compId = [], compH = [], compV = [], compTq = [];
        int pos = 2;
        while (pos + 4 <= d.Length)
        {
            if (d[pos] != 0xFF) throw new FormatException("marker expected");
            byte m = d[pos + 1];
            if (m == 0xFF) { pos++; continue; }
            if (m == 0xD8 || m is >= 0xD0 and <= 0xD7) { pos += 2; continue; }
            if (m == 0xD9) return null;
            int len = d[pos + 2] << 8 | d[pos + 3];
            if (len < 2 || pos + 2 + len > d.Length) throw new FormatException("segment overruns the file");
            var seg = d.Slice(pos + 4, len - 2);
            switch (m)
            {
                case 0xDB:
                    for (int i = 0; i < seg.Length;)
                    {
                        int pq = seg[i] >> 4, tq = seg[i] & 15;
                        if (tq > 3) throw new FormatException("DQT table id");
                        var t = new ushort[64];
                        for (int k = 0; k < 64; k++)
                            t[ZigZag[k]] = pq == 0 ? seg[i + 1 + k] : (ushort)(seg[i + 1 + 2 * k] << 8 | seg[i + 2 + 2 * k]);
                        if (t.Any(q => q == 0)) throw new FormatException("zero quantiser");
                        quant[tq] = t;
                        i += 1 + (pq == 0 ? 64 : 128);
                    }
                    break;
                case 0xC0 or 0xC1:
                    if (seg[0] != 8) return null;
                    height = seg[1] << 8 | seg[2]; width = seg[3] << 8 | seg[4]; nf = seg[5];
                    if (nf is not (1 or 3) || width == 0 || height == 0) return null;
                    compId = new int[nf]; compH = new int[nf]; compV = new int[nf]; compTq = new int[nf];
                    for (int c = 0; c < nf; c++)
                    {
                        compId[c] = seg[6 + 3 * c]; compH[c] = seg[7 + 3 * c] >> 4; compV[c] = seg[7 + 3 * c] & 15; compTq[c] = seg[8 + 3 * c] & 3;
                        if (compH[c] is < 1 or > 4 || compV[c] is < 1 or > 4) throw new FormatException("sampling factors");
                    }
                    if (!decode) return quant[compTq[0]] is { } q0 ? new JpegCoefficients(width, height, 0, 0, q0, []) : null;
                    break;
                case >= 0xC2 and <= 0xCF when m is not (0xC4 or 0xC8 or 0xCC):
                    return null; // progressive, lossless, arithmetic, hierarchical
                case 0xC4:
                    for (int i = 0; i < seg.Length;)
                    {
                        int tc = seg[i] >> 4, th = seg[i] & 15;
                        if (tc > 1 || th > 3) throw new FormatException("DHT table id");
                        var counts = seg.Slice(i + 1, 16);
                        int total = 0;
                        foreach (var c in counts) total += c;
                        var values = seg.Slice(i + 17, total).ToArray();
                        var h = new Huffman();
                        h.Build(counts, values);
                        (tc == 0 ? dc : ac)[th] = h;
                        i += 17 + total;
                    }
                    break;
                case 0xEE when seg.Length >= 12 && seg[..5].SequenceEqual("Adobe"u8):
                    adobeTransform = seg[11];
                    break;
                case 0xDD:
                    restart = seg[0] << 8 | seg[1];
                    break;
                case 0xDA:
                    // libjpeg's rule: three components are RGB, not Y′CbCr, under an Adobe marker with transform 0 or with
                    // component ids 'R', 'G', 'B'; then the first plane is not luma.
                    if (nf == 3 && (adobeTransform == 0 || compId is [82, 71, 66])) return null;
                    return nf == 0 ? null : DecodeScan(d, pos + 2 + len, seg, width, height, nf, compId, compH, compV, quant[compTq[0]], dc, ac, restart);
            }
            pos += 2 + len;
        }
        return null;
    }

    private static JpegCoefficients? DecodeScan(ReadOnlySpan<byte> d, int start, ReadOnlySpan<byte> sos, int width, int height, int nf,
        int[] compId, int[] compH, int[] compV, ushort[]? lumaQuant, Huffman?[] dcTables, Huffman?[] acTables, int restart)
    {
        if (lumaQuant is null) return null;
        int ns = sos[0];
        if (ns != nf || sos[1 + 2 * ns] != 0 || sos[2 + 2 * ns] != 63 || sos[3 + 2 * ns] != 0) return null; // one full sequential scan
        var dcs = new Huffman[ns];
        var acs = new Huffman[ns];
        var order = new int[ns];
        for (int i = 0; i < ns; i++)
        {
            int id = sos[1 + 2 * i], c = Array.IndexOf(compId, id);
            if (c < 0) throw new FormatException("scan component");
            order[i] = c;
            dcs[i] = dcTables[sos[2 + 2 * i] >> 4] ?? throw new FormatException("missing DC table");
            acs[i] = acTables[sos[2 + 2 * i] & 15] ?? throw new FormatException("missing AC table");
        }
        int hmax = compH.Max(), vmax = compV.Max();
        int mcusX = (width + 8 * hmax - 1) / (8 * hmax), mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        int luma = 0;
        if (nf == 1) { mcusX = (width + 7) / 8; mcusY = (height + 7) / 8; compH[0] = compV[0] = 1; }
        int bx = mcusX * compH[luma], by = mcusY * compV[luma];
        var coef = new short[bx * by * 64];
        var block = new int[64];
        var pred = new int[ns];
        var reader = new BitReader(d, start);
        int mcus = mcusX * mcusY, todo = restart;
        for (int mcu = 0; mcu < mcus; mcu++)
        {
            if (restart > 0)
            {
                if (todo == 0)
                {
                    if (!reader.Restart()) throw new FormatException("missing restart marker");
                    Array.Clear(pred);
                    todo = restart;
                }
                todo--;
            }
            int mx = mcu % mcusX, my = mcu / mcusX;
            for (int i = 0; i < ns; i++)
            {
                int c = order[i];
                for (int v = 0; v < compV[c]; v++)
                    for (int h = 0; h < compH[c]; h++)
                    {
                        Array.Clear(block);
                        int s = reader.Decode(dcs[i]);
                        if (s > 11) throw new FormatException("DC magnitude");
                        pred[i] += reader.Receive(s);
                        block[0] = pred[i];
                        for (int k = 1; k < 64;)
                        {
                            int rs = reader.Decode(acs[i]);
                            int r = rs >> 4;
                            s = rs & 15;
                            if (s == 0)
                            {
                                if (r != 15) break;
                                k += 16;
                                continue;
                            }
                            k += r;
                            if (k > 63) throw new FormatException("AC index");
                            block[ZigZag[k]] = reader.Receive(s);
                            k++;
                        }
                        if (c != luma) continue;
                        int bi = (my * compV[c] + v) * bx + mx * compH[c] + h;
                        for (int k = 0; k < 64; k++) coef[64 * bi + k] = (short)Math.Clamp(block[k], short.MinValue, short.MaxValue);
                    }
            }
        }
        return new JpegCoefficients(width, height, bx, by, lumaQuant, coef);
    }
}
