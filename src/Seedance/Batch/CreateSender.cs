using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// New-SeedanceTask's send: one create, waiting for a free slot on 429 (with progress), and its outcome turned
    /// into the journal's record of it and the row's error. Knows, for Ctrl+C, whether a create is on its way.
    /// </summary>
    internal sealed class CreateSender
    {
        private const int SlotProgressId = 39;
        private const string SlotActivity = "Creating Seedance task";

        private readonly CreateGuard _guard;
        private readonly int _slotTimeout;
        private readonly Func<Exception, object?, ErrorRecord> _errorFrom;
        private readonly Func<BatchLedger> _ledger;

        /// <param name="slotTimeout">-SlotTimeout: seconds to wait for a free slot, -1 as long as it takes.</param>
        /// <param name="errorFrom">The command's error mapping (it masks the key).</param>
        /// <param name="ledger">The pipeline's ledger, for a create whose outcome is unknown.</param>
        public CreateSender(CreateGuard guard, int slotTimeout, Func<Exception, object?, ErrorRecord> errorFrom, Func<BatchLedger> ledger)
        {
            _guard = guard;
            _slotTimeout = slotTimeout;
            _errorFrom = errorFrom;
            _ledger = ledger;
        }

        /// <summary>
        /// Sends the create, waiting for a free slot as long as -SlotTimeout allows (every 429 retry under the one
        /// intent). Null when this row failed (reported). Each outcome closes the intent in the journal: a 4xx (and a
        /// slot wait that gave up or was stopped) is refused, nothing billed; anything else may have made the task.
        /// </summary>
        public async Task<string?> SendAsync(AsyncPipeline pipeline, SeedanceClient client, CreateTaskRequest request, object? row, JournalIntent intent, decimal credits, CancellationToken cancellationToken)
        {
            bool slotBarShown = false;

            // Whether the create is on its way (its outcome unknown if stopped now) or only waiting for a free slot
            // (then the service certainly has not taken it): set by the slot wait's own events, for Ctrl+C below.
            bool onItsWay = true;
            SlotWait slotWait = new SlotWait
            {
                Timeout = _slotTimeout >= 0 ? TimeSpan.FromSeconds(_slotTimeout) : (TimeSpan?)null,
                Waiting = notice =>
                {
                    onItsWay = false;
                    slotBarShown = true;
                    pipeline.WriteProgress(new ProgressRecord(SlotProgressId, SlotActivity, SlotStatus(notice, request)));
                    _guard.WaitingForSlot(intent, pipeline);
                },
                Resending = () =>
                {
                    try
                    {
                        _guard.SendingAgain(intent);
                    }
                    catch (JournalException e)
                    {
                        // Not sent without its record: the intent's last word stays "waiting", so it was never taken.
                        throw new TerminatingErrorException(JournalErrors.Journal(e));
                    }

                    onItsWay = true;
                },
            };

            try
            {
                return await client.CreateTaskAsync(request, slotWait, cancellationToken).ConfigureAwait(false);
            }
            catch (CreateOutcomeUnknownException e)
            {
                // The service may have created (and billed) it: never sent again, and the batch stops so the user
                // can check before anything else is spent.
                _guard.OutcomeUnknown(intent, $"no answer to the create sent at {e.SentAt.ToUniversalTime():u}: {e.InnerException?.Message ?? e.Message}", pipeline.WriteWarning);
                _ledger().AddUncertainCreate(request);
                throw new TerminatingErrorException(SeedanceErrors.ForRow(_errorFrom(e, request), request));
            }
            catch (SeedanceException e)
            {
                ErrorRecord error = RowError(e, row, request);
                if (CertainlyNotCreated(e))
                {
                    _guard.Refused(intent, credits, error.FullyQualifiedErrorId, e.Message, pipeline.WriteWarning);
                }
                else
                {
                    // A 5xx (the service may have acted on it before failing), or anything else after sending.
                    _guard.OutcomeUnknown(intent, $"{error.FullyQualifiedErrorId}: {e.Message}", pipeline.WriteWarning);
                }

                if (e is SeedanceApiException api && IsFatalForTheBatch(api))
                {
                    // No key, no access or no credits: every further create would fail the same way.
                    throw new TerminatingErrorException(error);
                }

                pipeline.WriteError(error);
                return null;
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: while only waiting for a slot, the service certainly has nothing; while sending, it may.
                if (!onItsWay)
                {
                    _guard.Refused(intent, credits, "Stopped", "stopped while waiting for a free slot; never sent", _ => { });
                }
                else
                {
                    // Named in the ledger now: the warning of the stop must name it.
                    _guard.OutcomeUnknown(intent, "stopped (Ctrl+C) while the create was being sent", _ => { });
                    _ledger().AddUncertainCreate(request);
                }

                throw;
            }
            finally
            {
                if (slotBarShown)
                {
                    pipeline.WriteProgress(ProgressRecords.Completed(SlotProgressId, SlotActivity));
                }
            }
        }

        /// <summary>A 4xx (400/401/402/403/404, or a 429 past -SlotTimeout) or a connection never made: the service did not take it.</summary>
        private static bool CertainlyNotCreated(SeedanceException e) =>
            (e is SeedanceApiException api && api.Kind != SeedanceErrorKind.ServerError && (int)api.StatusCode >= 400 && (int)api.StatusCode < 500) ||
            (e is SeedanceConnectionException connection && !connection.RequestWasSent);

        private static string SlotStatus(SlotWaitNotice notice, CreateTaskRequest request)
        {
            string running = notice.Limit is null ? "the account is full" : $"{notice.Running ?? notice.Limit} of {notice.Limit} running";
            return $"Waiting for a free slot: {running}; next try in {notice.Delay.TotalSeconds:0} s, waited {notice.WaitedSoFar:hh\\:mm\\:ss} ({request.Describe(40)})";
        }

        /// <summary>A refused create: the row (or, for typed parameters, the request, which can be piped back as it is) is the target.</summary>
        private ErrorRecord RowError(SeedanceException e, object? row, CreateTaskRequest request) =>
            SeedanceErrors.ForRow(_errorFrom(e, row ?? request), request);

        // A 404 to a create means no createTask endpoint at this base URI: every further create would get it too.
        private static bool IsFatalForTheBatch(SeedanceApiException e) =>
            e.Kind == SeedanceErrorKind.Unauthorized || e.Kind == SeedanceErrorKind.Forbidden || e.Kind == SeedanceErrorKind.InsufficientCredits ||
            e.Kind == SeedanceErrorKind.NotFound;
    }
}
