using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Journal;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>The ErrorRecords of the task journal and of the budget: stable ids, the path or the row as target.</summary>
    internal static class JournalErrors
    {
        /// <summary>How the journal's settings are named in advice.</summary>
        public const string WhereToConfigure =
            "Choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath), fix the folder's permissions, " +
            "or turn the journal off with 'off' (then nothing protects a crashed or re-run batch from losing or paying for tasks twice).";

        /// <summary>The journal cannot be used: InvalidJournalPath, DailyLimitNeedsJournal, or JournalUnavailable (by cause).</summary>
        public static ErrorRecord Journal(JournalException e)
        {
            string id;
            ErrorCategory category;
            switch (e.Reason)
            {
                case JournalFailureReason.InvalidPath:
                    id = "InvalidJournalPath";
                    category = ErrorCategory.InvalidArgument;
                    break;
                case JournalFailureReason.Disabled:
                    id = "DailyLimitNeedsJournal";
                    category = ErrorCategory.InvalidOperation;
                    break;
                case JournalFailureReason.CannotRead:
                    id = "JournalUnavailable";
                    category = ErrorCategory.ReadError;
                    break;
                case JournalFailureReason.LockTimeout:
                    id = "JournalUnavailable";
                    category = ErrorCategory.ResourceBusy;
                    break;
                case JournalFailureReason.Insecure:
                    id = "JournalInsecure";
                    category = ErrorCategory.SecurityError;
                    break;
                case JournalFailureReason.LockingUnsupported:
                    id = "JournalUnavailable";
                    category = ErrorCategory.NotImplemented;
                    break;
                default:
                    id = "JournalUnavailable";
                    category = ErrorCategory.WriteError;
                    break;
            }

            string message = e.Message;
            if (e.Reason != JournalFailureReason.Disabled && e.Reason != JournalFailureReason.InvalidPath && !message.Contains("SEEDANCE_JOURNAL_PATH"))
            {
                message += " " + WhereToConfigure;
            }

            return new ErrorRecord(e, id, category, e.Path)
            {
                // A path that is no path needs another one; the folder's permissions are advice only for a real folder.
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = e.Reason == JournalFailureReason.InvalidPath
                        ? "Give a full path (or ~/...) in SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath, or 'off' to turn the journal off."
                        : e.InnerException is Seedance.Client.Files.OwnedFileException unsafeFile
                        ? unsafeFile.Fix + " Or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath)."
                        : WhereToConfigure,
                },
            };
        }

        /// <summary>A journal or budget setting that cannot be used (a relative SEEDANCE_JOURNAL_PATH, a limit that is no number).</summary>
        public static ErrorRecord BadSetting(string errorId, string problem, object? target) =>
            new ErrorRecord(new PSArgumentException(problem), errorId, ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(problem + " Nothing was created."),
            };

        public static ErrorRecord BudgetExceeded(BudgetExceededException e, object? target) =>
            new ErrorRecord(e, "BudgetExceeded", ErrorCategory.QuotaExceeded, target)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = e.Kind == BudgetKind.DailyCreditLimit
                        ? "Wait until earlier creates leave the 24-hour window (Get-SeedanceUsage shows them), or raise the limit (Set-SeedanceConfiguration -DailyCreditLimit, SEEDANCE_DAILY_CREDIT_LIMIT)."
                        : "Raise -MaxCredits, or run the remaining rows in another command.",
                },
            };

        public static ErrorRecord PossibleDuplicate(PossibleDuplicateException e, object? target) =>
            new ErrorRecord(e, "PossibleDuplicate", ErrorCategory.ResourceExists, target)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Advice },
            };

        /// <summary>Register-SeedanceTask could not tie the task to an uncertain create; nothing was written.</summary>
        public static ErrorRecord SettleRefused(SettleRefusedException e, object? target) =>
            new ErrorRecord(e, e.Reason switch
            {
                SettleRefusal.NoUncertainCreate => "NoUncertainCreate",
                SettleRefusal.Ambiguous => "AmbiguousUncertainCreate",
                SettleRefusal.InFlight => "CreateInFlight",
                _ => "TaskAlreadyRegistered",
            }, e.Reason switch
            {
                SettleRefusal.NoUncertainCreate => ErrorCategory.ObjectNotFound,
                SettleRefusal.Ambiguous => ErrorCategory.InvalidArgument,
                SettleRefusal.InFlight => ErrorCategory.ResourceBusy,
                _ => ErrorCategory.ResourceExists,
            }, target)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            };

        public static ErrorRecord FailedBefore(FailedBeforeException e, object? target) =>
            new ErrorRecord(e, "FailedBefore", ErrorCategory.InvalidData, target)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Advice },
            };

        /// <summary>Listing or usage needs the journal, and it is off.</summary>
        public static ErrorRecord JournalOff(string what) =>
            new ErrorRecord(new PSInvalidOperationException(what), "JournalOff", ErrorCategory.InvalidOperation, JournalLocation.OffValue)
            {
                ErrorDetails = new ErrorDetails(what + " The task journal is off (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath is 'off'), and the API has no list call. " +
                    "Turn the journal on to record tasks from now on.")
                {
                    RecommendedAction = "Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place.",
                },
            };
    }
}
