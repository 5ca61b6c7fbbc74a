using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedance.Client.Journal;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceUsage: what the journaled creates of every process cost, per day (local time) and model; no request.
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceUsage.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceUsage", HelpUri = HelpLinks.Docs + "Get-SeedanceUsage.md")]
    [OutputType(typeof(JournalUsageRow))]
    public sealed class GetSeedanceUsageCommand : SeedanceCmdlet
    {
        /// <summary>Only creates made at or after this time (a date alone means its midnight, local time).</summary>
        [Parameter(Position = 0)]
        public DateTime? Since { get; set; }

        /// <summary>Only creates made before this time (exclusive).</summary>
        [Parameter(Position = 1)]
        public DateTime? Until { get; set; }

        protected override void EndProcessing()
        {
            SeedanceConfiguration configuration = SeedanceConfiguration.Resolve();
            if (configuration.SettingsProblem is string stored)
            {
                ThrowTerminatingError(SeedanceErrors.StoredSettings(stored, configuration.SettingsPath));
            }

            TaskJournal journal;
            JournalSnapshot snapshot;
            try
            {
                journal = configuration.OpenJournal(WriteWarning);
                if (!journal.IsEnabled)
                {
                    ThrowTerminatingError(SeedanceErrors.JournalOff("Get-SeedanceUsage counts the creates of the task journal."));
                    return;
                }

                snapshot = journal.Read();
                if (snapshot.WarningNotYetSaid() is string warning)
                {
                    WriteWarning(warning);
                }
            }
            catch (JournalException e)
            {
                ThrowTerminatingError(SeedanceErrors.FromException(e, null));
                return;
            }

            DateTimeOffset? since = Since is DateTime from ? new DateTimeOffset(from) : (DateTimeOffset?)null;
            DateTimeOffset? until = Until is DateTime to ? new DateTimeOffset(to) : (DateTimeOffset?)null;
            IReadOnlyList<JournalUsageRow> rows = snapshot.Usage(since, until, TimeZoneInfo.Local, configuration.PriceTable.UsdPerCredit);
            int uncertain = rows.Sum(row => row.OutcomeUnknown);
            if (uncertain > 0)
            {
                // Said, not only kept on the objects: the table shows made tasks, and these may be billed too.
                WriteWarning($"{uncertain} create(s) with an unknown outcome ({rows.Sum(row => row.UncertainCredits):0.##} credits reserved) are not counted in Tasks or Credits: " +
                    "the service may or may not have made them (OutcomeUnknown and UncertainCredits on each row). " +
                    JournalHints.ListUncertainCreates(new[] { "*" }) + " lists them; Register-SeedanceTask ties one to the task you find in the account's history.");
            }

            foreach (JournalUsageRow row in rows)
            {
                WriteObject(row);
            }
        }
    }
}
