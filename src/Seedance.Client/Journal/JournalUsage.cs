using System;
using System.Collections.Generic;
using Seedance.Client.Pricing;

namespace Seedance.Client.Journal
{
    /// <summary>One day and model of Get-SeedanceUsage.</summary>
    public sealed class JournalUsageRow
    {
        internal JournalUsageRow(DateTime day, string model)
        {
            Day = day;
            Model = model;
        }

        /// <summary>The calendar day (in the time zone asked for) the creates were made.</summary>
        public DateTime Day { get; }
        public string Model { get; }

        /// <summary>Creates that made a task (the service answered with its id); uncertain and refused creates are not counted.</summary>
        public int Tasks { get; internal set; }
        public int Succeeded { get; internal set; }
        public int Failed { get; internal set; }

        /// <summary>Still waiting or generating at their last known state.</summary>
        public int Running { get; internal set; }
        /// <summary>Creates sent without an answer whose process is gone: they may have made (and billed) a task. Apart from Tasks and Credits.</summary>
        public int OutcomeUnknown { get; internal set; }

        /// <summary>What the OutcomeUnknown creates reserved: billed only if the service made them. Apart from Credits.</summary>
        public decimal UncertainCredits { get; internal set; }

        /// <summary>
        /// Creates a live process is still waiting for a slot for or sending (<see cref="JournalTaskSummary.IsInFlight"/>,
        /// as Get-SeedanceTask -Pending shows them): that process will record the answer. Apart from Tasks and Credits.
        /// </summary>
        public int InFlight { get; internal set; }

        /// <summary>What the InFlight creates reserved. Apart from Credits.</summary>
        public decimal InFlightCredits { get; internal set; }

        /// <summary>Succeeded and never saved.</summary>
        public int Unsaved { get; internal set; }

        /// <summary>Of the created tasks, by the rule of the daily limit (<see cref="JournalTaskSummary.ChargedCredits"/>: the final charge once known).</summary>
        public decimal Credits { get; internal set; }
        public decimal Usd { get; internal set; }
    }

    internal static class JournalUsage
    {
        public static List<JournalUsageRow> Aggregate(
            IEnumerable<JournalTaskSummary> tasks, DateTimeOffset? since, DateTimeOffset? until, TimeZoneInfo zone, decimal usdPerCredit)
        {
            Dictionary<(DateTime, string), JournalUsageRow> rows = new Dictionary<(DateTime, string), JournalUsageRow>();
            foreach (JournalTaskSummary task in tasks)
            {
                if (!task.IsJournaledCreate || (since is DateTimeOffset from && task.CreatedAt < from) || (until is DateTimeOffset to && task.CreatedAt >= to))
                {
                    continue;
                }

                DateTime day = TimeZoneInfo.ConvertTime(task.CreatedAt, zone).Date;
                string model = task.Model ?? "(unknown)";
                if (!rows.TryGetValue((day, model), out JournalUsageRow? row))
                {
                    row = new JournalUsageRow(day, model);
                    rows[(day, model)] = row;
                }

                if (task.State == JournalTaskState.OutcomeUnknown)
                {
                    // Shown apart: the daily limit counts them (the safe side), but usage is what was made. A create a
                    // live process is still sending or waiting to send is not uncertain: the decision is the one
                    // Get-SeedanceTask -Pending shows (JournalTaskSummary.CurrentState), made once.
                    if (task.IsInFlight)
                    {
                        row.InFlight++;
                        row.InFlightCredits += task.ChargedCredits;
                    }
                    else
                    {
                        row.OutcomeUnknown++;
                        row.UncertainCredits += task.ChargedCredits;
                    }

                    continue;
                }

                row.Tasks++;
                switch (task.State)
                {
                    case JournalTaskState.Success:
                        row.Succeeded++;
                        row.Unsaved += task.IsSaved ? 0 : 1;
                        break;
                    case JournalTaskState.Fail:
                        row.Failed++;
                        break;
                    default:
                        row.Running++;
                        break;
                }

                row.Credits += task.ChargedCredits;
                row.Usd = row.Credits * usdPerCredit;
            }

            List<JournalUsageRow> result = new List<JournalUsageRow>(rows.Values);
            result.Sort((a, b) =>
            {
                int byDay = a.Day.CompareTo(b.Day);
                return byDay != 0 ? byDay : string.CompareOrdinal(a.Model, b.Model);
            });
            return result;
        }

        public static decimal DefaultUsdPerCredit => PriceTable.DefaultUsdPerCredit;
    }
}
