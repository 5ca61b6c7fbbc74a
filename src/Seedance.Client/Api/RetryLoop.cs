using System;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Timing;

namespace Seedance.Client.Http
{
    /// <summary>What the caller decided about a failed attempt. Which failures may be retried is the caller's rule
    /// (a create is not a read); how long to wait and when to give up is the loop's. A Retry-After the service sent with
    /// the failure (<see cref="SeedanceApiException.RetryAfter"/>) is honoured either way.</summary>
    internal enum RetryVerdict
    {
        Stop,

        /// <summary>A transient failure: retry within the policy's attempts and total time.</summary>
        Retry,

        /// <summary>The account has no free slot (429 on a create): wait for one, bounded only by the slot timeout.</summary>
        WaitForSlot,
    }

    /// <summary>
    /// The one retry loop of the client: API calls and downloads alike. Transient failures are retried with the
    /// policy's backoff (bounded by attempts and total time); a full account is waited out as long as
    /// <see cref="SlotWait.Timeout"/> allows, which neither counts as an attempt nor spends the policy's time. Every
    /// wait goes through the clock, so tests can run through it without sleeping.
    /// </summary>
    internal sealed class RetryLoop
    {
        private readonly RetryPolicy _policy;
        private readonly SeedanceClock _clock;
        private readonly Action<string>? _log;
        private readonly SlotWait? _slotWait;

        public RetryLoop(RetryPolicy policy, SeedanceClock clock, Action<string>? log, SlotWait? slotWait = null)
        {
            _policy = policy;
            _clock = clock;
            _log = log;
            _slotWait = slotWait;
        }

        /// <summary>
        /// Runs <paramref name="attempt"/> until it succeeds or <paramref name="classify"/> and the budgets say stop;
        /// then the last failure is thrown as it was. <paramref name="retryNote"/> adds what the next attempt will do
        /// ("resuming at byte 1,024") to the log line.
        /// </summary>
        public async Task<T> RunAsync<T>(
            string operation,
            Func<CancellationToken, Task<T>> attempt,
            Func<Exception, RetryVerdict> classify,
            Func<string>? retryNote,
            CancellationToken cancellationToken)
        {
            TimeSpan started = _clock.Now;
            TimeSpan slotWaitStarted = TimeSpan.Zero;
            TimeSpan slotWaitDelays = TimeSpan.Zero;
            int failedAttempts = 0;
            int slotWaits = 0;
            while (true)
            {
                RetryVerdict verdict;
                Exception failure;
                try
                {
                    return await attempt(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    failure = e;
                    verdict = classify(e);
                    if (verdict == RetryVerdict.Stop)
                    {
                        throw;
                    }
                }

                TimeSpan? retryAfter = (failure as SeedanceApiException)?.RetryAfter;
                TimeSpan now = _clock.Now;
                TimeSpan delay;
                if (verdict == RetryVerdict.WaitForSlot && _slotWait is not null)
                {
                    if (slotWaits++ == 0)
                    {
                        slotWaitStarted = now;
                    }

                    TimeSpan waited = now - slotWaitStarted;
                    TimeSpan? slotDelay = _slotWait.DelayBefore(waited, retryAfter);
                    if (slotDelay is null)
                    {
                        throw failure;
                    }

                    delay = slotDelay.Value;
                    _slotWait.Report(new SlotWaitNotice(slotWaits, waited, delay, retryAfter is not null, failure as SeedanceApiException));
                    Log($"{operation}: {Reason(failure)}; waiting for a free slot, try {slotWaits + 1} in {Seconds(delay)} s{(retryAfter is null ? string.Empty : " (Retry-After)")}.");
                    slotWaitDelays += delay;
                }
                else
                {
                    failedAttempts++;

                    // Time spent waiting for a slot is not time spent failing: the policy's budget excludes it.
                    TimeSpan? retryDelay = _policy.DelayBefore(failedAttempts + 1, now - started - slotWaitDelays, retryAfter);
                    if (retryDelay is null)
                    {
                        throw failure;
                    }

                    delay = retryDelay.Value;
                    string fromHeader = retryAfter is null ? string.Empty : " (Retry-After)";
                    Log(retryNote is null
                        ? $"{operation}: {Reason(failure)}; retry {failedAttempts} of {_policy.MaxAttempts - 1} in {Seconds(delay)} s{fromHeader}."
                        : $"{operation}: {Reason(failure)}; {retryNote()} in {Seconds(delay)} s{fromHeader} (retry {failedAttempts} of {_policy.MaxAttempts - 1}).");
                }

                await _clock.Delay(delay, cancellationToken).ConfigureAwait(false);
                if (verdict == RetryVerdict.WaitForSlot)
                {
                    _slotWait?.ReportResend();
                }
            }
        }

        private static string Reason(Exception failure) =>
            failure is SeedanceApiException api ? $"{(int)api.StatusCode} {api.ApiMessage}" : failure.Message;

        private static string Seconds(TimeSpan delay) => delay.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

        private void Log(string message) => _log?.Invoke(message);
    }
}
