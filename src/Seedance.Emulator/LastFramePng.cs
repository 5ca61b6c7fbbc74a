using System.IO.Compression;
using System.Text;

namespace Seedance.Emulator;

/// <summary>
/// The PNG served at a task's lastFrameImage URL: 320x180 (the sample video's size), a soft gradient whose hue is fixed
/// per task, so pages that show last frames (Export-SeedanceGallery) tell rows apart. Encoded here, no image library.
/// </summary>
public static class LastFramePng
{
    private const int Width = 320;
    private const int Height = 180;
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] For(string taskId)
    {
        uint hash = 2166136261;
        foreach (var c in taskId) hash = (hash ^ c) * 16777619;
        double hue = hash % 360;

        var raw = new byte[Height * (1 + Width * 3)];
        var i = 0;
        for (var y = 0; y < Height; y++)
        {
            raw[i++] = 0; // filter: none
            for (var x = 0; x < Width; x++)
            {
                var (r, g, b) = Hsl((hue + x * 40.0 / Width) % 360, 0.55, 0.30 + 0.35 * y / Height);
                raw[i++] = r;
                raw[i++] = g;
                raw[i++] = b;
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        WriteBigEndian(header, 0, Width);
        WriteBigEndian(header, 4, Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        WriteBigEndian(length, 0, (uint)data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = new byte[4];
        WriteBigEndian(crc, 0, Crc(typeBytes, data));
        png.Write(crc);
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    private static uint Crc(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }

    private static (byte, byte, byte) Hsl(double h, double s, double l)
    {
        var c = (1 - Math.Abs(2 * l - 1)) * s;
        var x = c * (1 - Math.Abs(h / 60 % 2 - 1));
        var m = l - c / 2;
        var (r, g, b) = h switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return ((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }
}
