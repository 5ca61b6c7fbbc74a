using System.Net;
using System.Text;

namespace Seedance.HostileServer;

/// <summary>A request as read off the socket: request line, headers, and a Content-Length body.</summary>
internal sealed class HttpRequestHead
{
    private const int MaxHeadBytes = 64 * 1024;

    public string Method { get; private init; } = "";
    public string Target { get; private init; } = "";
    public string Path { get; private init; } = "/";
    public string Query { get; private init; } = "";
    public bool Proxied { get; private init; }
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string Body { get; private set; } = "";

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public string? QueryParameter(string name)
    {
        foreach (string pair in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            string key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            if (key == name)
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    /// <summary>The bearer token of the Authorization header, or "".</summary>
    public string BearerToken
    {
        get
        {
            string value = Header("Authorization") ?? "";
            return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : "";
        }
    }

    /// <summary>Reads one request; null when the client closed the connection before sending one.</summary>
    public static async Task<HttpRequestHead?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxHeadBytes];
        int filled = 0;
        int headEnd = -1;
        while (headEnd < 0)
        {
            if (filled == buffer.Length)
            {
                throw new InvalidDataException("Request head too large.");
            }

            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            headEnd = IndexOfHeadEnd(buffer, filled);
        }

        string head = Encoding.Latin1.GetString(buffer, 0, headEnd);
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        string method = requestLine[0];
        string target = requestLine.Length > 1 ? requestLine[1] : "/";
        bool proxied = method == "CONNECT" || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        string pathAndQuery = target;
        if (proxied && Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute))
        {
            pathAndQuery = absolute.PathAndQuery;
        }

        int question = pathAndQuery.IndexOf('?');
        HttpRequestHead request = new()
        {
            Method = method,
            Target = target,
            Path = question < 0 ? pathAndQuery : pathAndQuery[..question],
            Query = question < 0 ? "" : pathAndQuery[question..],
            Proxied = proxied,
        };

        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                request.Headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        // The body: whatever followed the head in the buffer, then the rest of Content-Length.
        int bodyStart = headEnd + 4;
        long length = long.TryParse(request.Header("Content-Length"), out long declared) ? declared : 0;
        using MemoryStream body = new();
        body.Write(buffer, bodyStart, filled - bodyStart);
        while (body.Length < length)
        {
            int read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            body.Write(buffer, 0, read);
        }

        request.Body = Encoding.UTF8.GetString(body.ToArray());
        return request;
    }

    private static int IndexOfHeadEnd(byte[] buffer, int count)
    {
        for (int i = 3; i < count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }
}
