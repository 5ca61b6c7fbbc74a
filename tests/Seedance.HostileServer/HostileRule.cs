using System.Text.Json.Serialization;

namespace Seedance.HostileServer;

/// <summary>
/// One scripted answer. The first rule that matches a request (path, method, taskId) and has uses left answers it.
/// Every property has a harmless default, so a rule says only what is odd about its answer.
/// </summary>
public sealed class HostileRule
{
    /// <summary>The request path: exact, or a prefix when it ends in '*'. "*" matches everything.</summary>
    public string Path { get; set; } = "*";

    public string? Method { get; set; }

    /// <summary>When set, the request's taskId query parameter (decoded) must be exactly this.</summary>
    public string? TaskId { get; set; }

    /// <summary>How many requests this rule answers; null: all of them.</summary>
    public int? Times { get; set; }

    public int Status { get; set; } = 200;

    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Body text. Placeholders: {taskId} (the request's taskId, JSON-escaped), {base} (this server's origin),
    /// {key} (the request's bearer token), {key:json} (every character as \u00XX), {key:url} (every character as
    /// %XX), {key:upper}.
    /// </summary>
    public string? Body { get; set; }

    /// <summary>Bytes appended after <see cref="Body"/>: byte i is i % 251, or <see cref="FillByte"/>.</summary>
    public long BodyBytes { get; set; }

    public int? FillByte { get; set; }

    /// <summary>The body never ends (pattern or fill bytes after <see cref="Body"/>).</summary>
    public bool Endless { get; set; }

    /// <summary>Gzip the body and say so (Content-Encoding: gzip), whatever the request accepted.</summary>
    public bool Gzip { get; set; }

    /// <summary>Content-Length: "auto" (the real length when known), "none" (no length, the close ends the body), or a number (a claim).</summary>
    public string Length { get; set; } = "auto";

    public bool Chunked { get; set; }

    /// <summary>Drop the connection after this many body bytes (mid-chunk when chunked).</summary>
    public long? CutAfter { get; set; }

    /// <summary>Send the body this many bytes at a time, with <see cref="TrickleIntervalMs"/> between writes.</summary>
    public int TrickleBytes { get; set; }

    public int TrickleIntervalMs { get; set; }

    /// <summary>Wait this long before sending anything.</summary>
    public int DelayMs { get; set; }

    /// <summary>Serve a file with Range support (and the lies <see cref="HostileFile.Range"/> names) instead of Body.</summary>
    public HostileFile? File { get; set; }

    [JsonIgnore]
    internal int Used;

    [JsonIgnore]
    internal byte[]? GzipCache;
}

/// <summary>A downloadable object: its bytes are a function of the offset, so any slice can be served and checked.</summary>
public sealed class HostileFile
{
    public long Length { get; set; }

    /// <summary>Byte i is (i + Seed) % 251, so two versions with different seeds differ at every byte.</summary>
    public int Seed { get; set; }

    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    /// <summary>
    /// How a "Range: bytes=N-" request is answered: honour (206, or 200 when If-Range does not match), ignore (200,
    /// whole file), ignore-if-range (206 even when If-Range does not match), no-content-range (206 without
    /// Content-Range), star-total (Content-Range: bytes N-M/*), wrong-start (206 from byte 0), overlong (206 that
    /// declares the rest of the file, then sends <see cref="OverlongBy"/> bytes more, chunked).
    /// </summary>
    public string Range { get; set; } = "honour";

    public long OverlongBy { get; set; } = 100_000;

    public static byte ByteAt(long offset, int seed) => (byte)((offset + seed) % 251);
}

/// <summary>What one request looked like, for the tests to inspect.</summary>
public sealed class HostileRequestRecord
{
    public int Number { get; init; }
    public string Method { get; init; } = "";
    public string Target { get; init; } = "";
    public string Path { get; init; } = "";
    public string Query { get; init; } = "";
    public string? TaskId { get; init; }

    /// <summary>The request line named an absolute URI (or was CONNECT): the client used this server as its proxy.</summary>
    public bool Proxied { get; init; }

    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string Body { get; init; } = "";

    /// <summary>Index of the rule that answered, or -1 (the default 404).</summary>
    public int Rule { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
