using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Seedance.Emulator;

/// <summary>Result of a create: exactly one of the three is set.</summary>
public sealed record CreateOutcome(EmulatorTask? Task, (int Limit, int Current)? LimitReached,
    (decimal Required, decimal Available)? Insufficient);

/// <summary>
/// The in-memory account and tasks, shared by both origins. One lock guards the account so that
/// "check the running limit, check the balance, charge, create" is atomic, as on the real service.
/// </summary>
public sealed class TaskStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, EmulatorTask> _byId = new(StringComparer.Ordinal);
    private readonly List<EmulatorTask> _ordered = [];

    // Tasks that may still be waiting/generating; pruned on each create so the limit check stays cheap.
    private readonly List<EmulatorTask> _maybeRunning = [];

    // Tasks with a callBackUrl whose callback has not been sent yet (scanned by the callback loop).
    private readonly List<EmulatorTask> _pendingCallbacks = [];

    // How many creates each prompt has had, for "#failfirst:N" (only the first N fail, as a transient failure does).
    private readonly Dictionary<string, int> _createsByPrompt = new(StringComparer.Ordinal);

    // Tasks that will fail and whose credits have not been given back yet: a failed task is refunded in full when it
    // fails, though its creditsUsed keeps showing the reserved amount (seedance-api.md, failure codes).
    private readonly List<EmulatorTask> _refundDue = [];

    private readonly EmulatorOptions _options;
    private decimal _credits;
    private int _maxRunning;

    public TaskStore(EmulatorOptions options, TimeProvider clock)
    {
        _options = options;
        Clock = clock;
        _credits = options.Credits;
        _maxRunning = options.MaxRunning;
        foreach (var demo in DemoTasks.Create(clock.GetUtcNow())) Add(demo);
    }

    public TimeProvider Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Set once the files origin has started; output URLs point there.</summary>
    public string FilesBaseUri { get; set; } = "";

    /// <summary>Credits per second of video at the model's default resolution (the catalog's rates).</summary>
    public static decimal PricePerSecond(string model) => EmulatorCatalog.Models[model].RateFor(null, false);

    public CreateOutcome TryCreate(TaskSpec spec, JsonNode request)
    {
        var model = EmulatorCatalog.Models[spec.Model];
        var price = model.AtSubmit(spec.DurationSeconds, spec.OutputResolution, spec.Videos);
        var directives = TaskDirectives.Parse(spec.Prompt);
        // Charges that settle after success (reference video on 2.5, extend, edit): the source's seconds come from
        // "#source:S" (default 10), and creditsUsed changes "#settle:S" seconds after success (default 1).
        var final = model.Final(spec.DurationSeconds, spec.OutputResolution, spec.Videos, directives.SourceSeconds ?? 10);
        var (width, height) = EmulatorTask.Dimensions(spec.Ratio, spec.OutputResolution);
        lock (_gate)
        {
            var now = Now;
            RefundFailures(now);
            _maybeRunning.RemoveAll(t => t.IsFinalAt(now));
            if (_maybeRunning.Count >= _maxRunning)
                return new CreateOutcome(null, (_maxRunning, _maybeRunning.Count), null);
            if (_credits < price)
                return new CreateOutcome(null, null, (price, _credits));

            _credits -= price;
            if (directives.FailFirst is { } failFirst)
            {
                int attempt = _createsByPrompt[spec.Prompt] = _createsByPrompt.GetValueOrDefault(spec.Prompt) + 1;
                if (attempt > failFirst) directives = directives with { Fail = false };
            }

            var task = new EmulatorTask
            {
                TaskId = "task_" + RandomNumberGenerator.GetHexString(32, lowercase: true),
                Model = spec.Model,
                CreditsUsed = price,
                FinalCredits = final,
                CreatedAt = now,
                Waiting = TimeSpan.FromSeconds(directives.WaitingSeconds ?? _options.WaitingSeconds),
                Generating = TimeSpan.FromSeconds(directives.GeneratingSeconds ?? _options.GeneratingSeconds),
                Width = width,
                Height = height,
                Directives = directives,
                CallBackUrl = spec.CallBackUrl,
                Request = request,
            };
            Add(task);
            _maybeRunning.Add(task);
            if (!task.Succeeds) _refundDue.Add(task);
            return new CreateOutcome(task, null, null);
        }
    }

    /// <summary>Gives back the credits of the tasks that have failed by <paramref name="now"/> (under the lock).</summary>
    private void RefundFailures(DateTimeOffset now)
    {
        foreach (var failed in _refundDue.Where(t => t.IsFinalAt(now))) _credits += failed.CreditsUsed;
        _refundDue.RemoveAll(t => t.IsFinalAt(now));
    }

    private void Add(EmulatorTask task)
    {
        _byId[task.TaskId] = task;
        _ordered.Add(task);
        if (task.CallBackUrl is not null) _pendingCallbacks.Add(task);
    }

    public EmulatorTask? Find(string taskId)
    {
        lock (_gate) return _byId.GetValueOrDefault(taskId);
    }

    public IReadOnlyList<EmulatorTask> Snapshot()
    {
        lock (_gate) return _ordered.ToArray();
    }

    /// <summary>Removes and returns the tasks that have become final and still owe a callback.</summary>
    public IReadOnlyList<EmulatorTask> TakeDueCallbacks()
    {
        lock (_gate)
        {
            if (_pendingCallbacks.Count == 0) return [];
            var now = Now;
            var due = _pendingCallbacks.Where(t => t.IsFinalAt(now)).ToList();
            if (due.Count > 0) _pendingCallbacks.RemoveAll(t => t.IsFinalAt(now)); // same 'now': same set
            return due;
        }
    }

    public (decimal Credits, int MaxRunning, int Running) Account()
    {
        lock (_gate)
        {
            var now = Now;
            RefundFailures(now);
            return (_credits, _maxRunning, _maybeRunning.Count(t => !t.IsFinalAt(now)));
        }
    }

    /// <summary>Lets tests change the balance or the limit while the emulator runs.</summary>
    public void SetAccount(decimal? credits, int? maxRunning)
    {
        lock (_gate)
        {
            if (credits is not null) _credits = credits.Value;
            if (maxRunning is not null) _maxRunning = maxRunning.Value;
        }
    }
}
