using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// One command's part in the account of paid tasks its pipeline shares (<see cref="PaidTasks"/>: opened by the first
    /// command that pays or waits, joined through the task objects by the commands they reach), and the one warning that
    /// names the paid tasks the pipeline did not save. The warning is the user's only record of them (the API has no list
    /// call), so it is written where it cannot be lost: the warning stream while the pipeline still takes records, the host
    /// when it does not or when warnings are silenced, and standard error when the host refuses it too.
    /// </summary>
    internal sealed class PaidTaskWarning
    {
        /// <summary>
        /// The pipeline being started on this thread: the commands of one pipeline begin one after another, left to
        /// right, before any of them gets input, so a Save-SeedanceVideo further down can name its folder to the
        /// account that a command further up opens later (the warning then gives the user's -Path even when Save
        /// got nothing).
        /// </summary>
        [ThreadStatic]
        private static PipelineStart? t_starting;

        /// <summary>The commands in each account (opened or joined, not yet ended) and the row errors kept for the last of them.</summary>
        private static readonly ConditionalWeakTable<PaidTasks, Members> MembersOf = new ConditionalWeakTable<PaidTasks, Members>();

        private readonly PSCmdlet _cmdlet;
        private readonly string? _startFolder;
        private readonly PipelineStart _pipeline;
        private PaidTasks? _account;
        private bool _ownsAccount;
        private bool _entered;

        /// <summary>In BeginProcessing, on the pipeline thread: where the pipeline runs, and which pipeline this command starts in.</summary>
        public PaidTaskWarning(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;

            // The warning's command saves here when no Save-SeedanceVideo -Path is known.
            _startFolder = cmdlet.SessionState.Path.CurrentFileSystemLocation?.ProviderPath;
            int position = cmdlet.MyInvocation.PipelinePosition;
            PipelineStart? start = t_starting;
            if (start is null || start.Length != cmdlet.MyInvocation.PipelineLength || position <= start.LastPosition)
            {
                start = t_starting = new PipelineStart(cmdlet.MyInvocation.PipelineLength);
            }

            start.LastPosition = position;
            _pipeline = start;
        }

        /// <summary>Save-SeedanceVideo -Path of this pipeline, from its start: the folder the warning's command saves into.</summary>
        public void AnnounceSaveFolder(string folder) => _pipeline.SaveFolder ??= folder;

        /// <summary>The pipeline's account: the one joined from input, or a new one this command opens.</summary>
        public PaidTasks Account(TaskJournal journal)
        {
            if (_account is null)
            {
                _account = new PaidTasks(_startFolder) { SaveFolder = _pipeline.SaveFolder };
                _ownsAccount = true;
                _pipeline.Account ??= _account;
            }

            return Enter(journal);
        }

        /// <summary>Joins the account <paramref name="task"/> carries from upstream in this pipeline, if it carries one.</summary>
        public PaidTasks? JoinAccountOf(SeedanceTask task, TaskJournal journal)
        {
            _account ??= PaidTasks.OpenAccountOf(task);
            return _account is null ? null : Enter(journal);
        }

        private PaidTasks Enter(TaskJournal journal)
        {
            _account!.UseJournal(journal);
            if (!_entered)
            {
                _entered = true;
                Members members = MembersOf.GetOrCreateValue(_account);
                lock (members)
                {
                    members.Count++;
                }
            }

            return _account;
        }

        /// <summary>
        /// A row's error that must not end the run (a row the journal refused, under ErrorAction Stop): written by the last
        /// command of the account to end (<see cref="Leave"/>), after every other row was created, waited for and saved.
        /// </summary>
        public void Defer(ErrorRecord error, TaskJournal journal)
        {
            Members members = MembersOf.GetOrCreateValue(Account(journal));
            lock (members)
            {
                members.Deferred.Add(error);
            }
        }

        /// <summary>The command's end: the deferred row errors (<see cref="Defer"/>) when it is the account's last command to end.</summary>
        public IReadOnlyList<ErrorRecord> Leave()
        {
            if (!_entered)
            {
                return Array.Empty<ErrorRecord>();
            }

            _entered = false;
            Members members = MembersOf.GetOrCreateValue(_account!);
            lock (members)
            {
                if (--members.Count > 0)
                {
                    return Array.Empty<ErrorRecord>();
                }

                ErrorRecord[] deferred = members.Deferred.ToArray();
                members.Deferred.Clear();
                return deferred;
            }
        }

        private sealed class Members
        {
            public readonly List<ErrorRecord> Deferred = new List<ErrorRecord>();
            public int Count;
        }

        /// <summary>
        /// A block of the command ended early. Stopped (Ctrl+C stops the whole pipeline): whichever command notices first
        /// names the unsaved tasks, to the host. Ended by an error: the error names them, and the owner of the account warns.
        /// </summary>
        public void EndedEarly(bool stopped, ErrorRecord? cause)
        {
            if (_account is null)
            {
                return;
            }

            if (stopped)
            {
                Say(_cmdlet, ReportOf(_account), _account, streamOpen: false); // no stream takes records after Ctrl+C
                return;
            }

            SeedanceErrors.WithUnsavedIds(cause, _account.UnsavedIds());
            if (!_ownsAccount && _pipeline.Account != _account)
            {
                // A command that joined the account of another pipeline does not speak for that pipeline: it may run in a
                // nested pipeline (ForEach-Object { $_ | Save-SeedanceVideo }) that the script catches and goes on after.
                // It hands the ids to its error and leaves the warning to the owner, which sees the same end (the error
                // passes through it) or, at the latest, reports it when it is disposed. A command of the owner's own
                // pipeline speaks for it: after a downstream Select-Object -First the owner may have no block left to see
                // the end in, and its disposal could only write to the host, past -WarningVariable and 3>&1.
                _account.MarkEndedEarly();
                return;
            }

            // The pipeline still takes records (an error ended it): the warning stream, so -WarningVariable and transcripts get it.
            Say(_cmdlet, ReportOf(_account), _account, streamOpen: true);
        }

        /// <summary>
        /// The command is disposed: the pipeline is over. When nothing in this command saw an early end (an error upstream,
        /// a command after it failing once this one had finished), the owner says it here, once for the whole pipeline.
        /// </summary>
        public void PipelineOver(bool completed)
        {
            if (_account is null || !_ownsAccount)
            {
                return;
            }

            if (!completed || _account.EndedEarly)
            {
                Say(_cmdlet, ReportOf(_account), _account, streamOpen: false); // the pipeline is over
            }

            _account.Close();
        }

        /// <summary>
        /// The moment Ctrl+C reaches the command (StopProcessing, on the thread that stops the pipeline), in a
        /// runspace without a console of its own (ForEach-Object -Parallel, a thread job, a hosted runspace): such a
        /// host may drop what it gets once it is stopping, and the process may exit before the pipeline thread gets
        /// to its own report, so the text also goes to standard error at once, the one channel left.
        /// </summary>
        public void Stopping()
        {
            PaidTasks? account = _account;
            if (account is null || IsConsoleHost(_cmdlet) || ProcessTermination.IsRequested)
            {
                // A termination writes the whole report to standard error once its creates have answered (Say).
                return;
            }

            string? report = ReportOf(account, onStop: true);
            if (report is not null)
            {
                Console.Error.WriteLine("WARNING: " + report);
            }
        }

        /// <summary>A line about the stop itself (that it waits for creates' answers), where the report would go.</summary>
        public static void WriteNotice(PSCmdlet cmdlet, string text) => Say(cmdlet, text, null, streamOpen: false);

        /// <summary>
        /// The one choice of where a report goes, each channel tried in turn: the warning stream while the pipeline takes
        /// records (<paramref name="streamOpen"/>) and warnings are not silenced ($WarningPreference = 'SilentlyContinue' is
        /// common in runbooks; a paid id must still reach someone), else when it throws (-WarningAction Stop, the pipeline
        /// going down); then the host; then standard error, once per account (not again after <see cref="Stopping"/>'s copy).
        /// </summary>
        /// <remarks>
        /// A ForEach-Object -Parallel runspace's host passes the line to the runspace's warning stream, which throws once
        /// Ctrl+C has closed the output (the runspace may fail on that closed output before its stop reaches
        /// <see cref="Stopping"/>). When the process is asked to end (<see cref="ProcessTermination"/>) the report goes to
        /// standard error: a closed terminal or SSH session (SIGHUP) has no host left to show it, and docker, systemd and
        /// job runners keep standard error; ConsoleHost's own warnings would go to standard output, the data the script
        /// pipes elsewhere. Another host (a runbook's) gets it as well, since it may keep only what it is given.
        /// </remarks>
        private static void Say(PSCmdlet cmdlet, string? report, PaidTasks? account, bool streamOpen)
        {
            if (report is null)
            {
                return;
            }

            if (streamOpen && !WarningsSilenced(cmdlet))
            {
                try
                {
                    cmdlet.WriteWarning(report);
                    return;
                }
                catch (Exception)
                {
                    // The warning stream is closed to us: the host, below.
                }
            }

            if ((!TryHost(cmdlet, report) || ProcessTermination.IsRequested) && (account?.ClaimStandardErrorCopy() ?? true))
            {
                Console.Error.WriteLine("WARNING: " + report);
            }
        }

        /// <summary>The host's warning line; false when it refused it, or, on a process termination, was ConsoleHost (not tried).</summary>
        private static bool TryHost(PSCmdlet cmdlet, string text)
        {
            if (ProcessTermination.IsRequested && IsConsoleHost(cmdlet))
            {
                return false;
            }

            try
            {
                cmdlet.Host.UI.WriteWarningLine(text);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>The report, through the gate of every text the module writes: its Names and ids are the user's input.</summary>
        private static string? ReportOf(PaidTasks account, bool onStop = false) =>
            account.TakeReport(onStop) is string report ? SeedanceErrors.Redact(report) : null;

        private static bool IsConsoleHost(PSCmdlet cmdlet) => string.Equals(cmdlet.Host.Name, "ConsoleHost", StringComparison.Ordinal);

        private static bool WarningsSilenced(PSCmdlet cmdlet)
        {
            object? preference = cmdlet.MyInvocation.BoundParameters.TryGetValue("WarningAction", out object? bound)
                ? bound
                : cmdlet.GetVariableValue("WarningPreference");
            if (preference is PSObject wrapped)
            {
                preference = wrapped.BaseObject;
            }

            ActionPreference? value = preference switch
            {
                ActionPreference p => p,
                string text when Enum.TryParse(text, true, out ActionPreference parsed) => parsed,
                _ => null,
            };
            return value == ActionPreference.SilentlyContinue || value == ActionPreference.Ignore;
        }
    }

    /// <summary>The commands of one pipeline while it starts (see <c>t_starting</c>).</summary>
    internal sealed class PipelineStart
    {
        public PipelineStart(int length)
        {
            Length = length;
        }

        public int Length { get; }

        public int LastPosition { get; set; }

        public string? SaveFolder { get; set; }

        /// <summary>The account the first of its commands to pay opened.</summary>
        public PaidTasks? Account { get; set; }
    }
}
