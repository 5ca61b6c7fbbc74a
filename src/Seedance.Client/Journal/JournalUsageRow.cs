using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Journal
{
    /// <summary>One day and model of Get-SeedanceUsage.</summary>
    public sealed class JournalUsageRow
    {
        /// <param name="creates">The journaled creates of that day and model.</param>
        internal JournalUsageRow(DateTime day, string model, IReadOnlyCollection<JournalTaskSummary> creates, decimal usdPerCredit)
        {
            Day = day;
            Model = model;

            // Creates without an answer are shown apart: the daily limit counts them (the safe side), but usage is what
            // was made. One a live process is still sending or waiting to send is not uncertain: the decision is the one
            // Get-SeedanceTask -Pending shows (JournalTaskSummary.CurrentState), made once per create.
            List<JournalTaskSummary> made = creates.Where(task => task.State != JournalTaskState.OutcomeUnknown).ToList();
            ILookup<bool, JournalTaskSummary> unanswered = creates.Where(task => task.State == JournalTaskState.OutcomeUnknown).ToLookup(task => task.IsInFlight);
            Tasks = made.Count;
            Succeeded = made.Count(task => task.State == JournalTaskState.Success);
            Failed = made.Count(task => task.State == JournalTaskState.Fail);
            Running = Tasks - Succeeded - Failed;
            Unsaved = made.Count(task => task.State == JournalTaskState.Success && !task.IsSaved);
            Credits = made.Sum(task => task.ChargedCredits);
            Usd = Credits * usdPerCredit;
            OutcomeUnknown = unanswered[false].Count();
            UncertainCredits = unanswered[false].Sum(task => task.ChargedCredits);
            InFlight = unanswered[true].Count();
            InFlightCredits = unanswered[true].Sum(task => task.ChargedCredits);
        }

        /// <summary>The calendar day (in the time zone asked for) the creates were made.</summary>
        public DateTime Day { get; }
        public string Model { get; }

        /// <summary>Creates that made a task (the service answered with its id); uncertain and refused creates are not counted.</summary>
        public int Tasks { get; }
        public int Succeeded { get; }
        public int Failed { get; }

        /// <summary>Still waiting or generating at their last known state.</summary>
        public int Running { get; }

        /// <summary>Creates sent without an answer whose process is gone: they may have made (and billed) a task. Apart from Tasks and Credits.</summary>
        public int OutcomeUnknown { get; }

        /// <summary>What the OutcomeUnknown creates reserved: billed only if the service made them. Apart from Credits.</summary>
        public decimal UncertainCredits { get; }

        /// <summary>
        /// Creates a live process is still waiting for a slot for or sending (<see cref="JournalTaskSummary.IsInFlight"/>,
        /// as Get-SeedanceTask -Pending shows them): that process will record the answer. Apart from Tasks and Credits.
        /// </summary>
        public int InFlight { get; }

        /// <summary>What the InFlight creates reserved. Apart from Credits.</summary>
        public decimal InFlightCredits { get; }

        /// <summary>Succeeded and never saved.</summary>
        public int Unsaved { get; }

        /// <summary>Of the created tasks, by the rule of the daily limit (<see cref="JournalTaskSummary.ChargedCredits"/>: the final charge once known).</summary>
        public decimal Credits { get; }
        public decimal Usd { get; }
    }
}
