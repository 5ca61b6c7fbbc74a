using System.Collections.Concurrent;

namespace Seedance.Emulator;

public sealed record ApiRequestEntry(string Method, string Path, string? Query, bool HasAuthorization,
    string? ContentType, int Status, bool Aborted, DateTimeOffset Time);

/// <summary>A files-origin request. Only the length of an Authorization value is kept: its presence is the bug.</summary>
public sealed record FileRequestEntry(string Method, string Path, bool HasAuthorization, int AuthorizationLength,
    string? Range, int Status, bool Aborted, DateTimeOffset Time);

/// <summary>One PUT to a signed upload URL: what arrived (length and SHA-256 of a complete body) and the answer.</summary>
public sealed record UploadPutEntry(string Id, string FileName, string? ContentType, long Bytes, string? Sha256,
    bool HasAuthorization, int Status, DateTimeOffset Time);

/// <summary>An input key the emulator's request shape does not define: the real service would ignore it (and charge).</summary>
public sealed record UnknownInputKey(string Key, string? Model, DateTimeOffset At);

public sealed record CallbackAttempt(string TaskId, string Url, int Attempt, int? StatusCode, string? Error,
    DateTimeOffset Time);

/// <summary>A list that keeps only the newest <c>capacity</c> entries, so a long benchmark cannot eat memory.</summary>
public sealed class BoundedLog<T>(int capacity = 10_000)
{
    private readonly Queue<T> _items = new();

    public void Add(T item)
    {
        lock (_items)
        {
            if (_items.Count >= capacity) _items.Dequeue();
            _items.Enqueue(item);
        }
    }

    public T[] ToArray()
    {
        lock (_items) return _items.ToArray();
    }

    public void Clear()
    {
        lock (_items) _items.Clear();
    }
}

/// <summary>What tests assert on: counters and request logs of both origins, cleared by /_emulator/reset.</summary>
public sealed class EmulatorStats
{
    private long _createRequests;
    private long _tasksCreated;
    private long _recordInfoRequests;
    private long _uploadRequests;

    public ConcurrentDictionary<string, long> RecordInfoByTask { get; } = new(StringComparer.Ordinal);
    public BoundedLog<ApiRequestEntry> ApiRequests { get; } = new();
    public BoundedLog<FileRequestEntry> FileRequests { get; } = new();
    public BoundedLog<CallbackAttempt> Callbacks { get; } = new();
    public BoundedLog<UploadPutEntry> UploadPuts { get; } = new();
    public BoundedLog<UnknownInputKey> UnknownInputKeys { get; } = new();

    public void CountCreateRequest() => Interlocked.Increment(ref _createRequests);
    public void CountTaskCreated() => Interlocked.Increment(ref _tasksCreated);
    public void CountUploadRequest() => Interlocked.Increment(ref _uploadRequests);

    public void CountRecordInfo(string? taskId)
    {
        Interlocked.Increment(ref _recordInfoRequests);
        RecordInfoByTask.AddOrUpdate(taskId ?? "", 1, (_, n) => n + 1);
    }

    public object Snapshot() => new
    {
        createRequests = Interlocked.Read(ref _createRequests),
        tasksCreated = Interlocked.Read(ref _tasksCreated),
        recordInfoRequests = Interlocked.Read(ref _recordInfoRequests),
        recordInfoByTask = new SortedDictionary<string, long>(RecordInfoByTask, StringComparer.Ordinal),
        fileRequests = FileRequests.ToArray(),
        callbacks = Callbacks.ToArray(),
        apiRequests = ApiRequests.ToArray(),
        uploadRequests = Interlocked.Read(ref _uploadRequests),
        uploadPuts = UploadPuts.ToArray(),
        unknownInputKeys = UnknownInputKeys.ToArray(),
    };

    public void Reset()
    {
        Interlocked.Exchange(ref _createRequests, 0);
        Interlocked.Exchange(ref _tasksCreated, 0);
        Interlocked.Exchange(ref _recordInfoRequests, 0);
        Interlocked.Exchange(ref _uploadRequests, 0);
        RecordInfoByTask.Clear();
        ApiRequests.Clear();
        FileRequests.Clear();
        Callbacks.Clear();
        UploadPuts.Clear();
        UnknownInputKeys.Clear();
    }
}
