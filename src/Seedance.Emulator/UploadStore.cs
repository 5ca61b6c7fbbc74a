using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Seedance.Emulator;

/// <summary>One upload: the slot handed out by POST /uploads, and the bytes once they were PUT.</summary>
public sealed class UploadSlot
{
    public required string Id { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The signed uploadUrl stops working at this time.</summary>
    public required DateTimeOffset SignatureExpiresAt { get; init; }
    public required string Signature { get; init; }

    /// <summary>Set once a PUT completed: where the bytes are, how many, their SHA-256, and until when they are served.</summary>
    public StoredUpload? Stored { get; set; }
}

public sealed record StoredUpload(string Path, long Length, string Sha256, DateTimeOffset StoredAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The upload side of the emulator, as one secondary source documents the service: a slot per POST /uploads, a
/// signed URL on the files origin that takes one PUT without the key, and the file served back (with Range) for
/// 24 hours. Bytes go to a folder of this process under the temp directory (a 50 MB video should not sit in memory),
/// removed on exit; folders left by emulators that were killed are swept at the next start.
/// </summary>
public sealed class UploadStore : IDisposable
{
    /// <summary>How long a signed uploadUrl stays valid (S3 pre-signed URLs default to one hour as well).</summary>
    public static readonly TimeSpan SignatureLifetime = TimeSpan.FromHours(1);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".webp"] = "image/webp",
        [".gif"] = "image/gif",
        [".mp4"] = "video/mp4",
        [".mov"] = "video/quicktime",
        [".webm"] = "video/webm",
        [".mp3"] = "audio/mpeg",
        [".wav"] = "audio/wav",
        [".m4a"] = "audio/mp4",
        [".aac"] = "audio/aac",
        [".ogg"] = "audio/ogg",
        [".flac"] = "audio/flac",
    };

    private readonly ConcurrentDictionary<string, UploadSlot> _slots = new(StringComparer.Ordinal);
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _clock;
    private readonly string _folder;

    public UploadStore(EmulatorOptions options, TimeProvider clock)
    {
        _clock = clock;
        Retention = TimeSpan.FromSeconds(options.UploadRetentionSeconds);
        string root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedance-emulator-uploads");
        SweepAbandonedFolders(root);
        _folder = System.IO.Path.Combine(root, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(_folder);
    }

    /// <summary>How long uploaded bytes are served (24 h on the service).</summary>
    public TimeSpan Retention { get; }

    /// <summary>Set once the files origin has started; uploadUrl and url point there.</summary>
    public string FilesBaseUri { get; set; } = "";

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The Content-Type the service would sign for this name: by extension, octet-stream when unknown.</summary>
    public static string ContentTypeOf(string fileName) =>
        ContentTypes.GetValueOrDefault(System.IO.Path.GetExtension(fileName), "application/octet-stream");

    public UploadSlot CreateSlot(string fileName)
    {
        RemoveExpired();
        var now = Now;
        var id = "upl_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
        var contentType = ContentTypeOf(fileName);
        var expires = now + SignatureLifetime;
        var slot = new UploadSlot
        {
            Id = id,
            FileName = fileName,
            ContentType = contentType,
            CreatedAt = now,
            SignatureExpiresAt = expires,
            Signature = Sign(id, contentType, expires),
        };
        _slots[id] = slot;
        return slot;
    }

    public string UploadUrl(UploadSlot slot) =>
        $"{PublicUrl(slot)}?expires={slot.SignatureExpiresAt.ToUnixTimeSeconds()}&signature={slot.Signature}";

    public string PublicUrl(UploadSlot slot) => $"{FilesBaseUri}/uploads/{slot.Id}/{Uri.EscapeDataString(slot.FileName)}";

    public UploadSlot? Find(string id, string fileName) =>
        _slots.TryGetValue(id, out var slot) && string.Equals(slot.FileName, fileName, StringComparison.Ordinal) ? slot : null;

    /// <summary>True when <paramref name="signature"/> is the one this slot was issued with (compared in constant time).</summary>
    public static bool SignatureMatches(UploadSlot slot, string? signature) =>
        signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(slot.Signature), Encoding.ASCII.GetBytes(signature));

    /// <summary>A new file for the body of a PUT; <see cref="Commit"/> makes it the slot's content.</summary>
    public (string Path, FileStream Stream) BeginWrite(UploadSlot slot)
    {
        var path = System.IO.Path.Combine(_folder, slot.Id + "." + Guid.NewGuid().ToString("N")[..8] + ".partial");
        return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true));
    }

    /// <summary>Replaces the slot's content with a completely received PUT body (a repeated PUT overwrites, as on S3).</summary>
    public StoredUpload Commit(UploadSlot slot, string partialPath, long length, string sha256)
    {
        var final = System.IO.Path.Combine(_folder, slot.Id);
        File.Move(partialPath, final, overwrite: true);
        var now = Now;
        var stored = new StoredUpload(final, length, sha256, now, now + Retention);
        slot.Stored = stored;
        return stored;
    }

    /// <summary>The stored upload if it is still served (not yet past its 24 h).</summary>
    public StoredUpload? Served(UploadSlot slot) => slot.Stored is { } stored && Now < stored.ExpiresAt ? stored : null;

    public IReadOnlyList<UploadSlot> Snapshot() => _slots.Values.OrderBy(s => s.CreatedAt).ToArray();

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Sign(string id, string contentType, DateTimeOffset expires)
    {
        var text = $"{id}\n{contentType}\n{expires.ToUnixTimeSeconds()}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Deletes what is past its time: bytes after the retention, slots never filled after their signature expired.</summary>
    private void RemoveExpired()
    {
        var now = Now;
        foreach (var slot in _slots.Values)
        {
            if (slot.Stored is { } stored ? now >= stored.ExpiresAt : now >= slot.SignatureExpiresAt)
            {
                if (_slots.TryRemove(slot.Id, out _) && slot.Stored is { } gone) TryDelete(gone.Path);
            }
        }
    }

    /// <summary>Folders named after a process that no longer runs were left by an emulator that was killed.</summary>
    private static void SweepAbandonedFolders(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(folder), out var pid) || IsRunning(pid)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
