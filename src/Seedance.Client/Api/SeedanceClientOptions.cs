using System;
using Seedance.Client.Timing;

namespace Seedance.Client.Http
{
    /// <summary>Where the API is, the key, and how patient to be. One instance per configured session.</summary>
    public sealed class SeedanceClientOptions
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://seedance2-pro.com/api/v1");

        public SeedanceClientOptions(Uri baseUri, ApiKey apiKey)
        {
            BaseUri = BaseUriPolicy.EnsureValid(baseUri);
            ApiKey = apiKey;
            Shape = RequestShape.ForHost(BaseUri);
        }

        /// <summary>The input names createTask is written with: by default the base URI host's (<see cref="RequestShape.ForHost"/>).</summary>
        public RequestShape Shape { get; set; }

        public Uri BaseUri { get; }
        public ApiKey ApiKey { get; }

        /// <summary>Sent as User-Agent, e.g. "Seedance/0.1.0 PowerShell/7.6.9".</summary>
        public string UserAgent { get; set; } = "Seedance";

        /// <summary>How long one HTTP request may take (not a wait for a task to finish).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The longest <see cref="RequestTimeout"/> the module lets anyone set (-RequestTimeout, the stored settings).</summary>
        public const int MaxRequestTimeoutSeconds = 3600;

        /// <summary>
        /// How long a create that was already sent may still answer after the command is stopped (Ctrl+C): its answer is
        /// the only place the paid task's id comes from. After it, the create is given up and its outcome is unknown.
        /// </summary>
        public TimeSpan CreateStopGrace { get; set; } = DefaultCreateStopGrace;

        public static readonly TimeSpan DefaultCreateStopGrace = TimeSpan.FromSeconds(10);

        /// <summary>Counts this client's creates on their way (sent, not yet answered): the command's stop says how many it waits for.</summary>
        public CreatesInFlight CreatesInFlight { get; set; } = new CreatesInFlight();

        /// <summary>The longest <see cref="CreateStopGrace"/> (SEEDANCE_CREATE_STOP_GRACE is 0 to 14 s; a stop's cleanup is waited for 15 s at most).</summary>
        public static readonly TimeSpan MaxCreateStopGrace = TimeSpan.FromSeconds(15);

        /// <summary>How long a create goes on trying to connect when no connection was made (<see cref="CreateRetry"/>'s total time).</summary>
        public static readonly TimeSpan CreateRetryTime = TimeSpan.FromMinutes(5);

        /// <summary>
        /// The longest one try of a create can stay in flight, from the journal record written just before it is sent
        /// (its intent, or the slot wait's "sending again") to its answer or its end: connection tries that never reach
        /// the service (<see cref="CreateRetryTime"/>), then one request of at most <see cref="MaxRequestTimeoutSeconds"/>,
        /// then the stop grace. A process of another machine is known to be gone once its create is silent longer
        /// (JournalProcesses).
        /// </summary>
        public static TimeSpan LongestCreateTry => CreateRetryTime + TimeSpan.FromSeconds(MaxRequestTimeoutSeconds) + MaxCreateStopGrace;

        /// <summary>Retries for reads (recordInfo, downloads): any transient failure.</summary>
        public RetryPolicy ReadRetry { get; set; } = new RetryPolicy();

        /// <summary>Retries for creates: only applied where the service certainly did not take the request.</summary>
        public RetryPolicy CreateRetry { get; set; } = new RetryPolicy { MaxAttempts = 4, MaxTotalTime = CreateRetryTime };

        /// <summary>What every wait (backoff, slot waiting, polling) is measured and slept with; tests pass their own.</summary>
        public SeedanceClock Clock { get; set; } = SeedanceClock.System;

        /// <summary>
        /// The largest API answer read (before and after decompression): a task is a few KiB, so 4 MiB is generous, and a
        /// flood beyond it is refused (InvalidResponse, not retried) instead of filling memory.
        /// </summary>
        public long MaxResponseBytes { get; set; } = 4L * 1024 * 1024;

        /// <summary>
        /// The largest video accepted (declared or as received): a 15 s video is tens of MB, so 4 GiB leaves room for
        /// upscaled output while an endless body cannot fill the disk.
        /// </summary>
        public long MaxDownloadBytes { get; set; } = 4L * 1024 * 1024 * 1024;

        /// <summary>
        /// A transfer must bring at least this many bytes per <see cref="RequestTimeout"/>, or it counts as stalled: a
        /// server trickling a byte now and then would otherwise hold a download open for ever.
        /// </summary>
        public long MinimumBytesPerTimeout { get; set; } = 64 * 1024;

        /// <summary>Receives one line per notable HTTP event (retries, timeouts). Never given the key.</summary>
        public Action<string>? Log { get; set; }
    }
}
