using System;
using System.Globalization;
using Seedance.Client.Journal;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where the task journal is and what daily credit limit holds, resolved like every setting: this runspace's,
    /// the process's (Set-SeedanceConfiguration -JournalPath / -DailyCreditLimit), the environment
    /// (SEEDANCE_JOURNAL_PATH / SEEDANCE_DAILY_CREDIT_LIMIT), the user's stored settings (-Scope CurrentUser), the
    /// default (the platform's place; no limit). A value
    /// that cannot be used is kept with the reason, so that the cmdlets that need it stop before any create and
    /// Get-SeedanceConfiguration can show it.
    /// </summary>
    internal sealed class JournalSettings
    {
        private JournalSettings(string given, string source, JournalLocation? location, string? pathProblem,
            decimal? limit, string limitSource, string? limitProblem)
        {
            Given = given;
            Source = source;
            Location = location;
            PathProblem = pathProblem;
            DailyCreditLimit = limit;
            DailyCreditLimitSource = limitSource;
            DailyCreditLimitProblem = limitProblem;
        }

        /// <summary>The value as configured (shown when it cannot be used).</summary>
        public string Given { get; }

        public string Source { get; }

        /// <summary>The journal, or <see cref="JournalLocation.Disabled"/> for 'off'; null when the value is unusable (<see cref="PathProblem"/>).</summary>
        public JournalLocation? Location { get; }

        public string? PathProblem { get; }

        public decimal? DailyCreditLimit { get; }

        public string DailyCreditLimitSource { get; }

        /// <summary>Why SEEDANCE_DAILY_CREDIT_LIMIT cannot be used; creates stop while it is wrong (a limit the user meant must not silently vanish).</summary>
        public string? DailyCreditLimitProblem { get; }

        /// <summary>Call on the pipeline thread (the runspace's settings are read there). <paramref name="stored"/>: the user's stored settings.</summary>
        public static JournalSettings Resolve(SettingsLayer stored)
        {
            string? value = null;
            string source = "Default";
            if (SessionSettings.TryGet(Settings.JournalPath, out string set, out string scope))
            {
                value = set;
                source = scope;
            }
            else if (Environment.GetEnvironmentVariable(SeedanceConfiguration.JournalPathVariable) is string fromEnvironment && fromEnvironment.Trim().Length > 0)
            {
                value = fromEnvironment;
                source = "Environment";
            }
            else if (stored.TryGet(Settings.JournalPath, out string storedPath))
            {
                value = storedPath;
                source = stored.Scope;
            }

            JournalLocation? location = null;
            string? problem = null;
            try
            {
                location = JournalLocation.Resolve(value);
            }
            catch (JournalException e)
            {
                problem = source == "Environment" ? $"{SeedanceConfiguration.JournalPathVariable} is '{value}': {e.Message}" : e.Message;
            }

            decimal? limit = null;
            string limitSource = "Default";
            string? limitProblem = null;
            if (SessionSettings.TryGet(Settings.DailyCreditLimit, out decimal setLimit, out string limitScope))
            {
                limit = setLimit;
                limitSource = limitScope;
            }
            else if (Environment.GetEnvironmentVariable(SeedanceConfiguration.DailyCreditLimitVariable) is string text && text.Trim().Length > 0)
            {
                limitSource = "Environment";
                if (TryParseLimit(text, out decimal parsed))
                {
                    limit = parsed;
                }
                else
                {
                    limitProblem = $"{SeedanceConfiguration.DailyCreditLimitVariable} is '{text.Trim()}', which is not a number of credits (0 or more, e.g. 2000). " +
                        "Correct it, or remove it for no limit.";
                }
            }
            else if (stored.TryGet(Settings.DailyCreditLimit, out decimal storedLimit))
            {
                limit = storedLimit;
                limitSource = stored.Scope;
            }

            return new JournalSettings(value ?? string.Empty, source, location, problem, limit, limitSource, limitProblem);
        }

        /// <summary>A number of credits, 0 or more, in invariant notation (2000, 1500.5).</summary>
        public static bool TryParseLimit(string text, out decimal limit) =>
            decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out limit) && IsValidLimit(limit);

        /// <summary>The one rule for a daily credit limit, wherever it is given (parameter, environment, stored file): 0 or more credits.</summary>
        public static bool IsValidLimit(decimal limit) => limit >= 0;
    }
}
