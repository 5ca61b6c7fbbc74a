using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
using Seedance.Commands.Configuration;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that talk to the API: resolves the configuration once per invocation (on the pipeline
    /// thread, where the runspace's settings are visible) and builds the client only when a request is really
    /// needed, so -WhatIf and bad input never require a key.
    /// </summary>
    public abstract class SeedanceApiCmdlet : AsyncPSCmdlet
    {
        private SeedanceConfiguration? _configuration;
        private SeedanceClient? _client;
        private string _userAgent = "Seedance";
        private PaidTaskWarning? _paidTaskWarning;

        /// <summary>True once the end block has run to completion: the command was not cut short.</summary>
        private bool _completed;

        /// <summary>This command's creates on their way: a stop says at once that it waits for their answers.</summary>
        private readonly CreatesInFlight _createsInFlight = new CreatesInFlight();
        private readonly TaskNotFoundMessages _notFound = new TaskNotFoundMessages();

        protected SeedanceConfiguration Configuration => _configuration ??= SeedanceConfiguration.Resolve();

        protected ApiKey? Key => Configuration.ApiKeyForRequests;

        /// <summary>The task journal (off until BeginProcessing opened it, when <see cref="JournalUse"/> asks for it).</summary>
        private protected TaskJournal Journal { get; private set; } = TaskJournal.Disabled;

        private int _journalFailureSaid;

        /// <summary>Whether this command journals, and whether it may run without the journal.</summary>
        private protected virtual JournalUse JournalUse => JournalUse.None;

        protected override void BeginProcessing()
        {
            _paidTaskWarning = new PaidTaskWarning(this);
            _configuration = SeedanceConfiguration.Resolve();
            if (_configuration.SettingsProblem is string stored)
            {
                ThrowTerminatingError(SeedanceErrors.StoredSettings(stored, _configuration.SettingsPath));
            }

            _userAgent = BuildUserAgent();
            if (JournalUse != JournalUse.None)
            {
                OpenJournal(JournalUse == JournalUse.Required);
            }

            base.BeginProcessing();
        }

        /// <summary>
        /// Opens the configured journal, on the pipeline thread and before any upstream command has processed a row.
        /// Required (creates, listing): one that cannot be used is a terminating error here, so nothing is paid without a
        /// record. Otherwise (Get -TaskId, Wait, Save): a warning, and the command does its work without recording it.
        /// </summary>
        private void OpenJournal(bool required)
        {
            try
            {
                Journal = Configuration.OpenJournal(WriteWarning);
            }
            catch (JournalException e)
            {
                ErrorRecord error = SeedanceErrors.FromException(e, null);
                if (required)
                {
                    ThrowTerminatingError(error);
                }

                WriteWarning($"{error.ErrorDetails?.Message ?? e.Message} This command goes on without recording in the task journal.");
            }
        }

        /// <summary>
        /// The journal now (one read for every id of an input), or null when it is off, or cannot be read and is not
        /// <paramref name="required"/> (said once). Its unreadable lines are said when not said yet in this process
        /// (<see cref="JournalSnapshot.WarningNotYetSaid"/>).
        /// </summary>
        /// <exception cref="JournalException">A <paramref name="required"/> journal cannot be read.</exception>
        private protected JournalSnapshot? ReadJournal(Action<string> warn, bool required = false)
        {
            if (!Journal.IsEnabled)
            {
                return null;
            }

            try
            {
                JournalSnapshot snapshot = Journal.Read();
                if (snapshot.WarningNotYetSaid() is string warning)
                {
                    warn(warning);
                }

                return snapshot;
            }
            catch (JournalException e) when (!required)
            {
                JournalFailed(e, warn);
                return null;
            }
        }

        /// <summary>A task the service reported, completed from what the journal knows of it (also when it cannot be recorded) and recorded.</summary>
        private protected void Observed(SeedanceTask task, JournalTaskSummary? known, PipelineOutput output, bool chargeFinal = false)
        {
            known?.CarryOverTo(task);
            try
            {
                Journal.RecordStatus(task, chargeFinal);
            }
            catch (JournalException e)
            {
                JournalFailed(e, output.WriteWarning);
            }

            SayJournalNotices(output.WriteWarning);
        }

        /// <summary>What the journal has to tell that is no error (it was deleted or replaced under this process), each said once.</summary>
        private protected void SayJournalNotices(Action<string> warn)
        {
            while (Journal.TakeNotice() is string notice)
            {
                warn(notice);
            }
        }

        /// <summary>
        /// Rule: recording what Get, Wait and Save learn never stops them (their work costs nothing more, and stopping
        /// would lose it): a journal that cannot be read or written is one warning per command. Only a create refuses to
        /// go on without its intent on disk (CreateWorkflow).
        /// </summary>
        private protected void JournalFailed(JournalException? failure, Action<string> warn)
        {
            if (failure is not null && Interlocked.Exchange(ref _journalFailureSaid, 1) == 0)
            {
                warn($"{failure.Message} This command goes on without recording in the task journal; what it learns now will be missing there.");
            }
        }

        /// <summary>-WhatIf, given to the command or in $WhatIfPreference (read on the pipeline thread).</summary>
        /// <summary>
        /// Rule: a SEEDANCE_DAILY_CREDIT_LIMIT that is no number stops every command that may pay for a create
        /// (New-SeedanceTask, Wait-SeedanceTask -RetryFailed) before anything is sent: a limit the user meant must not
        /// silently vanish, and without it the creates would run with no daily limit at all.
        /// </summary>
        private protected void StopIfTheDailyLimitIsUnusable()
        {
            if (Configuration.ProblemOf(Client.Settings.Setting.DailyCreditLimit) is string problem)
            {
                ThrowTerminatingError(SeedanceErrors.BadSetting("InvalidDailyCreditLimit", problem, Client.Settings.Setting.DailyCreditLimit.Variable));
            }
        }

        private protected bool WhatIf => MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? given)
            ? LanguagePrimitives.IsTrue(given)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>
        /// The ids given (-TaskId), trimmed, each with what the journal knows of it (one read for all of them: its Name
        /// names Save's file) and whether it is a journal Name rather than an id. A blank id is an EmptyTaskId error
        /// rather than silently skipped.
        /// </summary>
        private protected List<(string Id, JournalTaskSummary? Known, bool IsJournalName)> TaskIds(PipelineOutput output, IEnumerable<string> ids)
        {
            JournalSnapshot? journaled = ReadJournal(output.WriteWarning);
            List<(string, JournalTaskSummary?, bool)> given = new List<(string, JournalTaskSummary?, bool)>();
            foreach (string id in ids)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    output.WriteError(SeedanceErrors.EmptyTaskId(id));
                    continue;
                }

                given.Add((id.Trim(), journaled?.FindTask(id.Trim()), TaskNotFoundMessages.IsJournalName(journaled, id.Trim())));
            }

            return given;
        }

        /// <summary>
        /// One task read from the service by id and recorded in the journal (completed from what it <paramref name="known"/>).
        /// Whatever goes wrong with this id is its error (<see cref="TaskReadError"/>), written once <paramref name="writeAfter"/>
        /// (the lookup before it, for output in input order) has written; the other lookups go on. Null then.
        /// </summary>
        private protected async Task<SeedanceTask?> ReadTaskAsync(
            SeedanceClient client, string id, JournalTaskSummary? known, bool isJournalName, PipelineOutput output, CancellationToken cancellationToken,
            SemaphoreSlim? throttle = null, Task? writeAfter = null)
        {
            Exception failure;
            await (throttle?.WaitAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            try
            {
                SeedanceTask task = await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
                Observed(task, known, output);
                return task;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }
            finally
            {
                throttle?.Release();
            }

            await (writeAfter ?? Task.CompletedTask).ConfigureAwait(false);
            output.WriteError(TaskReadError(failure, id, isJournalName));
            return null;
        }

        /// <summary>
        /// A task that could not be read, named by its id: a 404 is one line ("No task with id task_x (404)."), the advice
        /// about a wrong base URI comes once, and an id that is a journal Name says "did you mean -Name fox?".
        /// </summary>
        private protected ErrorRecord TaskReadError(Exception failure, string id, bool isJournalName, object? target = null) =>
            _notFound.Shorten(SeedanceErrors.ForTask(ErrorFrom(failure, target ?? id), id), id, isJournalName);

        /// <summary>The client, or a terminating error when there is no key or the base URI is unusable.</summary>
        protected SeedanceClient RequireClient(PipelineOutput pipeline)
        {
            if (_client is not null)
            {
                return _client;
            }

            SeedanceConfiguration configuration = Configuration;
            if (configuration.BaseUriProblem is not null || configuration.ApiBaseUri is null)
            {
                throw new TerminatingErrorException(SeedanceErrors.InvalidBaseUri(
                    configuration.BaseUriProblem ?? "The API base URI is not set.", configuration.BaseUri));
            }

            if (configuration.ApiKeyForRequests is null)
            {
                throw new TerminatingErrorException(SeedanceErrors.NoApiKey(configuration.BaseUri));
            }

            SeedanceClientOptions options = new SeedanceClientOptions(configuration.ApiBaseUri, configuration.ApiKeyForRequests)
            {
                UserAgent = _userAgent,
                RequestTimeout = configuration.RequestTimeout,
                Shape = configuration.RequestShape,
                CreateStopGrace = configuration.CreateStopGrace,
                CreatesInFlight = _createsInFlight,
                // Client log lines may come from work that outlives the block that started it.
                Log = Background.WriteVerbose,
            };
            pipeline.WriteDebug($"Seedance API {configuration.BaseUri} ({configuration.BaseUriSource}); key from {configuration.ApiKeySource}; request shape {configuration.RequestShape} ({configuration.RequestShapeSource}).");
            _client = new SeedanceClient(options, HttpClients.Source);
            return _client;
        }

        /// <summary>Save-SeedanceVideo -Path of this pipeline, from its start: the folder the early-end warning's command saves into.</summary>
        private protected void AnnounceSaveFolder(string folder) => _paidTaskWarning!.AnnounceSaveFolder(folder);

        /// <summary>This pipeline's account of paid tasks: the one joined from input, or a new one this command opens.</summary>
        private protected PaidTasks PaidTasks => _paidTaskWarning!.Account(Journal);

        /// <summary>Joins the account <paramref name="task"/> carries from upstream in this pipeline, if it carries one.</summary>
        private protected PaidTasks? JoinPaidTasksOf(SeedanceTask task) => _paidTaskWarning!.JoinAccountOf(task, Journal);

        /// <summary>
        /// The command's end, then, when it is the last command of its pipeline's account to end, the rows' errors that
        /// were kept so as not to end the run (<see cref="Client.Workflows.PaidTasks.Defer"/>): under ErrorAction Stop the
        /// first of them ends the script here, once every row was created, waited for and saved.
        /// </summary>
        protected sealed override void EndProcessing()
        {
            base.EndProcessing();
            _completed = true;
            foreach (object deferred in _paidTaskWarning!.Leave())
            {
                WriteError((ErrorRecord)deferred);
            }
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();

            // Creates on their way get CreateStopGrace to answer: the user is told at once why the stop takes a moment.
            if (_createsInFlight.StopNotice(_configuration?.CreateStopGrace ?? TimeSpan.Zero) is string notice)
            {
                PaidTaskWarning.WriteNotice(this, notice);
            }

            _paidTaskWarning?.Stopping();
        }

        protected override void OnEndedEarly(bool stopped, ErrorRecord? cause) => _paidTaskWarning?.EndedEarly(stopped, cause);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _paidTaskWarning?.PipelineOver(_completed);
            }

            base.Dispose(disposing);
        }

        protected ErrorRecord ErrorFrom(Exception exception, object? target) => SeedanceErrors.FromException(exception, target);

        private string BuildUserAgent()
        {
            string moduleVersion = typeof(SeedanceApiCmdlet).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            object? psVersion = null;
            if (SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
            {
                psVersion = table["PSVersion"];
            }

            return $"Seedance/{moduleVersion} PowerShell/{psVersion ?? "unknown"}";
        }
    }

    /// <summary>How a command uses the task journal.</summary>
    internal enum JournalUse
    {
        None,

        /// <summary>Records what it learns; runs without the journal (with a warning) when it cannot be opened.</summary>
        Optional,

        /// <summary>Cannot run without it (a create, a listing): a journal that cannot be used is a terminating error.</summary>
        Required,
    }
}
