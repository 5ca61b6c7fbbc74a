using System;
using System.Management.Automation;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Writes the one warning that names paid tasks a pipeline did not save. It is the user's only record of them
    /// (the API has no list call), so it is written where it cannot be lost: the warning stream while the pipeline
    /// still takes records, the host when it does not or when warnings are silenced, and standard error when the host
    /// refuses it too.
    /// </summary>
    internal static class PaidTaskWarning
    {
        /// <summary>While the pipeline takes records (an error ended it): the warning stream, so -WarningVariable and transcripts get it.</summary>
        public static void Write(PSCmdlet cmdlet, PaidTasks account)
        {
            string? report = account.TakeReport();
            if (report is null)
            {
                return;
            }

            if (WarningsSilenced(cmdlet))
            {
                // $WarningPreference = 'SilentlyContinue' is common in runbooks; a paid id must still reach someone.
                WriteToHost(cmdlet, account, report);
                return;
            }

            try
            {
                cmdlet.WriteWarning(report);
            }
            catch (Exception)
            {
                // The warning stream is closed to us (-WarningAction Stop, or the pipeline is going down).
                WriteToHost(cmdlet, account, report);
            }
        }

        /// <summary>After Ctrl+C, or when the pipeline is over: no stream takes records, so the host.</summary>
        public static void WriteWhenStopped(PSCmdlet cmdlet, PaidTasks? account)
        {
            string? report = account?.TakeReport();
            if (account is not null && report is not null)
            {
                WriteToHost(cmdlet, account, report);
            }
        }

        /// <summary>
        /// The moment Ctrl+C reaches the command (StopProcessing, on the thread that stops the pipeline), in a
        /// runspace without a console of its own (ForEach-Object -Parallel, a thread job, a hosted runspace): such a
        /// host may drop what it gets once it is stopping, and the process may exit before the pipeline thread gets
        /// to its own report, so the text also goes to standard error at once, the one channel left.
        /// </summary>
        public static void WriteOnStop(PSCmdlet cmdlet, PaidTasks? account)
        {
            if (account is null || IsConsoleHost(cmdlet) || ProcessTermination.IsRequested)
            {
                // A termination writes the whole report to standard error once its creates have answered (WriteToHost).
                return;
            }

            string? report = account.TakeReport(onStop: true);
            if (report is not null)
            {
                Console.Error.WriteLine("WARNING: " + report);
            }
        }

        /// <summary>
        /// The host, or standard error when the host refuses the line: a ForEach-Object -Parallel runspace's host passes
        /// it to the runspace's warning stream, which throws once Ctrl+C has closed the output (the runspace may fail on
        /// that closed output before its stop reaches <see cref="WriteOnStop"/>). Not twice to standard error.
        /// </summary>
        /// <remarks>
        /// When the process is asked to end (<see cref="ProcessTermination"/>) the report goes to standard error: a closed
        /// terminal or SSH session (SIGHUP) has no host left to show it, and docker, systemd and job runners keep
        /// standard error; ConsoleHost's own warnings would go to standard output, the data the script pipes elsewhere.
        /// Another host (a runbook's) gets it as well, since it may keep only what it is given.
        /// </remarks>
        private static void WriteToHost(PSCmdlet cmdlet, PaidTasks account, string report)
        {
            if (TryHost(cmdlet, report) && !ProcessTermination.IsRequested)
            {
                return;
            }

            if (account.ClaimStandardErrorCopy())
            {
                Console.Error.WriteLine("WARNING: " + report);
            }
        }

        /// <summary>
        /// A line about the stop itself (that it waits for creates' answers): the host if it takes it, else standard
        /// error; on a process termination, standard error as the paid-tasks report (see <see cref="WriteToHost"/>).
        /// </summary>
        public static void WriteNotice(PSCmdlet cmdlet, string text)
        {
            if (TryHost(cmdlet, text) && !ProcessTermination.IsRequested)
            {
                return;
            }

            Console.Error.WriteLine("WARNING: " + text);
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
}
