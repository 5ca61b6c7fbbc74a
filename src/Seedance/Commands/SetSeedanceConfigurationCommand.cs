using System;
using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;
using Seedance.Client.Settings;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

// One setting confirmed: its parameter, the change it makes, and where the configuration in force takes it from.
using SettingChange = (string Parameter, System.Action<Seedance.Client.Settings.SeedanceSettings> Set,
    System.Func<Seedance.Commands.Configuration.SeedanceConfiguration, string> Source);

namespace Seedance.Commands
{
    /// <summary>
    /// Set-SeedanceConfiguration: base URI, request timeout, price table, request shape, task journal and daily credit limit for the process, one runspace, or every
    /// process of the user (-Scope CurrentUser: stored in a file); the uploader for the runspace.
    /// User help (synopsis, parameters, examples): docs/en-US/Set-SeedanceConfiguration.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SeedanceConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = SetSet, HelpUri = HelpLinks.Docs + "Set-SeedanceConfiguration.md")]
    [OutputType(typeof(void))]
    public sealed class SetSeedanceConfigurationCommand : SeedanceCmdlet
    {
        private const string SetSet = "Set";
        private const string ResetSet = "Reset";

        [Parameter(ParameterSetName = SetSet)]
        public Uri? BaseUri { get; set; }

        /// <summary>Seconds one HTTP request may take (default 100). Not the same as Wait-SeedanceTask -Timeout.</summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(SeedanceSettings.MinRequestTimeoutSeconds, SeedanceSettings.MaxRequestTimeoutSeconds)]
        public int RequestTimeout { get; set; }

        /// <summary>
        /// A JSON price table of your own (see the README): checked now, then used by -WhatIf and
        /// Get-SeedanceCreditCost; models it does not list keep the built-in rates. Every cost's Source names the table.
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateNotNullOrEmpty]
        public string? PriceTable { get; set; }

        /// <summary>
        /// The input names createTask is written with: Seed (urls, ratio, "8s": seedance2-pro.com) or Kinovi (imageUrls,
        /// aspectRatio, 8, audioUrls: kinovi.ai), for a host the module cannot tell by name; Host goes back to choosing
        /// by the base URI's host. The service ignores names it does not know, so the wrong shape is a paid video without its inputs.
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateSet("Seed", "Kinovi", "Host")]
        public string? RequestShape { get; set; }

        /// <summary>
        /// Process (every runspace; the default), Runspace (only this one, above the process's settings), or CurrentUser
        /// (stored in a file every new process reads, below the process's settings and the environment; see StoredSettings).
        /// </summary>
        [Parameter]
        public SettingScope Scope { get; set; } = SettingScope.Process;

        /// <summary>
        /// Uploads local files given to -Image/-Video instead of the service's upload endpoint: called with the file
        /// (a FileInfo) on the pipeline thread, it must return the file's public absolute http(s) URL. $null goes back
        /// to the service's endpoint. Kept in this runspace only, whatever -Scope says (see SessionSettings.Uploader).
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [AllowNull]
        public ScriptBlock? Uploader { get; set; }

        /// <summary>
        /// The task journal: a file, a folder to hold journal.jsonl, or 'off'. A relative path is resolved against the
        /// current location now (the journal must be one place whatever the folder a batch is resumed from); the
        /// journal is opened (created owner-only) before the setting is made, so one that cannot be written fails here.
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>
        /// Credits that the creates of the last 24 hours may take, every process of the user together (from the
        /// journal); $null removes this scope's limit (SEEDANCE_DAILY_CREDIT_LIMIT then applies, if set).
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [AllowNull]
        public decimal? DailyCreditLimit { get; set; }

        /// <summary>Forget the scope's settings: the environment and defaults apply again (below a -Scope Runspace reset: the process's).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
        public SwitchParameter Reset { get; set; }

        protected override void ProcessRecord()
        {
            StoredSettings file = StoredSettings.ForCurrentUser;
            string path = file.FilePath;
            bool stored = Scope == SettingScope.CurrentUser;
            if (Reset.IsPresent)
            {
                if (stored && ShouldProcess(path, "Remove the Seedance settings stored for the current user"))
                {
                    Store(() => file.Remove(), path);
                }
                else if (!stored && ShouldProcess(SessionSettings.Describe(Scope), "Reset the Seedance configuration"))
                {
                    // Every setting of the scope but the key, which is Set/Remove-SeedanceApiKey's.
                    SessionSettings.Change(Scope, settings => new SeedanceSettings { ApiKey = settings.ApiKey });
                    SessionSettings.Uploader = null;
                }

                return;
            }

            if (stored)
            {
                RefuseWhatCannotBeStored(file);
            }

            List<SettingChange> confirmed = Confirmed(stored ? $"the settings stored for the current user ('{path}', read by every new process)" : SessionSettings.Describe(Scope));
            Action<SeedanceSettings> change = settings => confirmed.ForEach(setting => setting.Set(settings));
            if (confirmed.Count > 0 && stored)
            {
                Store(() => file.Change(change), path);
                WarnIfOverriddenHere(confirmed);
            }
            else if (confirmed.Count > 0)
            {
                SessionSettings.Change(Scope, settings => settings.With(change)); // one step: other runspaces see all of it or none
            }

            if (!stored && Given(nameof(Uploader)) && ShouldProcess(Uploader is null ? "the service's upload endpoint" : "the script block given",
                "Use as the Seedance uploader for local files in this runspace"))
            {
                SessionSettings.Uploader = Uploader;
            }
        }

        /// <summary>
        /// A value just stored that this process does not use, because this runspace, the process or the environment
        /// sets it and wins, is said: otherwise "I set the limit and nothing changed" has no visible reason.
        /// </summary>
        private void WarnIfOverriddenHere(IEnumerable<SettingChange> stored)
        {
            SeedanceConfiguration now = SeedanceConfiguration.Resolve();
            foreach ((string parameter, _, Func<SeedanceConfiguration, string> sourceIn) in stored)
            {
                string source = sourceIn(now);
                if (MyInvocation.BoundParameters[parameter] is not null && (source == "Runspace" || source == "Process" || source == "Environment"))
                {
                    WriteWarning($"-{parameter} is stored for every new process, but this one keeps the value it has from {source}, which wins over the stored one " +
                        "(Get-SeedanceConfiguration shows it).");
                }
            }
        }

        /// <summary>
        /// -Scope CurrentUser: an -Uploader, and a stored file with a problem, are refused before anything is asked (only
        /// -Reset replaces what cannot be read). The change itself is made to the file as it is then, under the settings
        /// lock, and written back whole by an atomic rename (<see cref="StoredSettings.Change"/>).
        /// </summary>
        private void RefuseWhatCannotBeStored(StoredSettings file)
        {
            if (Given(nameof(Uploader)))
            {
                ThrowTerminatingError(SeedanceErrors.Record(new PSArgumentException("A script block cannot be stored."), "UploaderNotStored", Uploader,
                    "-Uploader cannot be stored for the current user: a script block belongs to the runspace that made it. Nothing was changed."));
            }

            _ = file.Read(out string? problem);
            if (problem is not null)
            {
                ThrowTerminatingError(SeedanceErrors.StoredSettings(problem + " Nothing was changed.", file.FilePath));
            }
        }

        private void Store(Action write, string path)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is OwnedFileException || e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                string why = e is OwnedFileException owned ? $"{owned.Reason}. {owned.Fix}" : e.Message;
                ThrowTerminatingError(SeedanceErrors.Record(e, "CannotStoreConfiguration", path,
                    $"The Seedance settings stored for the current user '{path}' could not be written: {why} Nothing was changed."));
            }
        }

        private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>
        /// Checks every value given, so that a call that fails changes nothing; then asks for each (ShouldProcess) and
        /// gives the changes confirmed, to be made in one step.
        /// </summary>
        private List<SettingChange> Confirmed(string where)
        {
            if (BaseUri is not null && BaseUriPolicy.Check(BaseUri) is string problem)
            {
                ThrowTerminatingError(SeedanceErrors.InvalidBaseUri(problem, BaseUri));
            }

            PriceTable? prices = PriceTable is null ? null : LoadPriceTable(PriceTable);
            JournalLocation? journal = JournalPath is null ? null : ResolveJournalPath(JournalPath);
            if (Given(nameof(DailyCreditLimit)) && DailyCreditLimit is decimal negative && !SeedanceSettings.IsValidLimit(negative))
            {
                string message = $"-DailyCreditLimit must be 0 or more credits (it was {negative}); give $null to remove the limit. Nothing was changed.";
                ThrowTerminatingError(SeedanceErrors.Record(new ArgumentException(message), "InvalidDailyCreditLimit", negative, message));
            }

            // Each setting given: what ShouldProcess shows, what it is, the change. The journal first, because it is the
            // one setting that can still fail (it may not open): then nothing is set. $null removes this scope's base URI
            // or limit (the layer below applies again); a RequestShape of Host has no shape of its own (the host chooses).
            (string Parameter, bool Given, string Shown, string What, Action<SeedanceSettings> Set, Func<SeedanceConfiguration, string> Source)[] settings =
            {
                (nameof(JournalPath), journal is not null, journal?.ToString() ?? string.Empty, "the Seedance task journal",
                    changed => changed.JournalPath = journal!.ToString(), now => now.JournalPathSource),
                (nameof(BaseUri), Given(nameof(BaseUri)), BaseUri?.ToString() ?? "no base URI of its own (the next layer's applies)", "the Seedance API base URI",
                    changed => changed.BaseUri = BaseUri, now => now.BaseUriSource),
                (nameof(RequestTimeout), Given(nameof(RequestTimeout)), $"{RequestTimeout} s", "the Seedance per-request timeout",
                    changed => changed.RequestTimeout = TimeSpan.FromSeconds(RequestTimeout), now => now.RequestTimeoutSource),
                (nameof(RequestShape), RequestShape is not null, RequestShape ?? string.Empty, "the Seedance request shape",
                    changed => changed.RequestShape = Client.Http.RequestShape.Named(RequestShape!), now => now.RequestShapeSource),
                (nameof(PriceTable), prices is not null, prices?.Name ?? string.Empty, "the Seedance price table",
                    changed => changed.PriceTable = prices, now => now.PriceTableSource),
                (nameof(DailyCreditLimit), Given(nameof(DailyCreditLimit)), DailyCreditLimit is null ? "no limit" : $"{DailyCreditLimit} credits", "the Seedance daily credit limit",
                    changed => changed.DailyCreditLimit = DailyCreditLimit, now => now.DailyCreditLimitSource),
            };

            List<SettingChange> confirmed = new List<SettingChange>();
            foreach ((string parameter, bool given, string shown, string what, Action<SeedanceSettings> set, Func<SeedanceConfiguration, string> source) in settings)
            {
                if (given && ShouldProcess(shown, $"Use as {what} in {where}"))
                {
                    if (parameter == nameof(JournalPath))
                    {
                        OpenJournal(journal!);
                    }

                    confirmed.Add((parameter, set, source));
                }
            }

            return confirmed;
        }

        /// <summary>'off', or the path resolved against the current location (a file, or a folder to hold journal.jsonl).</summary>
        private JournalLocation ResolveJournalPath(string path)
        {
            try
            {
                if (string.Equals(path.Trim(), JournalLocation.OffValue, StringComparison.OrdinalIgnoreCase))
                {
                    return JournalLocation.Disabled;
                }

                string full = FileSystemPaths.ResolveFile(SessionState, path, "the task journal");

                // A trailing separator means a folder: keep it, GetUnresolvedProviderPathFromPSPath drops it.
                bool folder = path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal);
                return JournalLocation.Resolve(folder ? full + System.IO.Path.DirectorySeparatorChar : full);
            }
            catch (Exception e) when (e is JournalException || e is ArgumentException || e is NotSupportedException || e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                ThrowTerminatingError(SeedanceErrors.Record(e, "InvalidJournalPath", path, $"{e.Message} Nothing was changed."));
                throw;
            }
        }

        /// <summary>Opens the journal now, so a path that cannot be written is found here rather than at the first create.</summary>
        private void OpenJournal(JournalLocation journal)
        {
            try
            {
                TaskJournal.Shared(journal);
            }
            catch (JournalException e)
            {
                ErrorRecord error = SeedanceErrors.FromException(e, null);
                error.ErrorDetails = new ErrorDetails(error.ErrorDetails!.Message + " Nothing was changed.");
                ThrowTerminatingError(error);
            }
        }

        private PriceTable LoadPriceTable(string path)
        {
            try
            {
                string fullPath = FileSystemPaths.ResolveFile(SessionState, path, "a price table");
                return PriceTableFile.Load(fullPath);
            }
            catch (Exception e) when (e is PriceTableException || e is NotSupportedException || e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                ThrowTerminatingError(SeedanceErrors.Record(e, "InvalidPriceTable", path, e.Message));
                throw;
            }
        }
    }
}
