using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;
using Seedance.Client.Settings;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

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
        [ValidateRange(Setting.MinRequestTimeoutSeconds, Setting.MaxRequestTimeoutSeconds)]
        public int RequestTimeout { get; set; }

        /// <summary>A JSON price table of your own, checked now; models it does not list keep the built-in rates.</summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateNotNullOrEmpty]
        public string? PriceTable { get; set; }

        /// <summary>
        /// The input names createTask is written with, for a host the module cannot tell by name (Host: by the base URI's
        /// host). The service ignores names it does not know, so the wrong shape is a paid video without its inputs.
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateSet("Seed", "Kinovi", "Host")]
        public string? RequestShape { get; set; }

        /// <summary>Process (every runspace), Runspace (only this one), or CurrentUser (<see cref="StoredSettings"/>).</summary>
        [Parameter]
        public SettingScope Scope { get; set; } = SettingScope.Process;

        /// <summary>Uploads local materials instead of the service; kept in this runspace only, whatever -Scope says (see SessionSettings.Uploader).</summary>
        [Parameter(ParameterSetName = SetSet)]
        [AllowNull]
        public ScriptBlock? Uploader { get; set; }

        /// <summary>The task journal: a file, a folder to hold journal.jsonl, or 'off'; opened before it is set, so one that cannot be written fails here.</summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>Credits the creates of the last 24 hours may take, every process together; $null removes this scope's limit.</summary>
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
                    SessionSettings.Change(Scope, settings => new SeedanceSettings().With(Setting.ApiKey, settings[Setting.ApiKey]));
                    SessionSettings.Uploader = null;
                }

                return;
            }

            if (stored)
            {
                RefuseWhatCannotBeStored(file);
            }

            // Every value given is checked before anything is asked, so that a call that fails changes nothing; then each
            // is asked for (ShouldProcess), and the ones confirmed are made in one step: other runspaces see all or none.
            // The key is no parameter here, so it is never given.
            List<(Setting Setting, object? Value)> given = Setting.All.Where(setting => Given(setting.Name)).Select(setting => (setting, Checked(setting))).ToList();
            string where = stored ? $"the settings stored for the current user ('{path}', read by every new process)" : SessionSettings.Describe(Scope);
            List<(Setting Setting, object? Value)> confirmed = given.Where(change => ShouldProcess(change.Setting.Show(change.Value), $"Use as {change.Setting.What} in {where}")).ToList();
            if (confirmed.Find(change => change.Setting == Setting.JournalPath).Value is JournalLocation journal)
            {
                OpenJournal(journal); // the one setting that can still fail (it may not open): then nothing is set
            }

            Func<SeedanceSettings, SeedanceSettings> change = settings => confirmed.Aggregate(settings, (changed, one) => changed.With(one.Setting, one.Value));
            if (confirmed.Count > 0 && stored)
            {
                Store(() => file.Change(change), path);
                WarnIfOverriddenHere(confirmed.Select(one => one.Setting));
            }
            else if (confirmed.Count > 0)
            {
                SessionSettings.Change(Scope, change);
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
        private void WarnIfOverriddenHere(IEnumerable<Setting> stored)
        {
            SeedanceConfiguration now = SeedanceConfiguration.Resolve();
            foreach (Setting setting in stored)
            {
                string source = now.SourceOf(setting);
                if (MyInvocation.BoundParameters[setting.Name] is not null && (source == "Runspace" || source == "Process" || source == "Environment"))
                {
                    WriteWarning($"-{setting.Name} is stored for every new process, but this one keeps the value it has from {source}, which wins over the stored one " +
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
        /// The value a parameter gives its setting, checked (the parameters' attributes check the rest); one that cannot be
        /// used is a terminating error with the setting's ErrorId. $null removes the scope's base URI or limit (the layer
        /// below applies again); a RequestShape of Host has no shape of its own. The price table and the journal are
        /// resolved against the current location now: the journal must be one place whatever folder a batch resumes from.
        /// </summary>
        private object? Checked(Setting setting)
        {
            try
            {
                return setting.Name switch
                {
                    nameof(BaseUri) => BaseUriPolicy.Check(BaseUri) is string problem && BaseUri is not null ? throw new ArgumentException(problem) : BaseUri,
                    nameof(RequestTimeout) => TimeSpan.FromSeconds(RequestTimeout),
                    nameof(PriceTable) => PriceTableFile.Load(FileSystemPaths.ResolveFile(SessionState, PriceTable!, "a price table")),
                    nameof(RequestShape) => Client.Http.RequestShape.Named(RequestShape),
                    nameof(JournalPath) => JournalLocation.Resolve(FullJournalPath(JournalPath!)),
                    _ => DailyCreditLimit is decimal limit && !Setting.IsValidLimit(limit)
                        ? throw new ArgumentException($"-DailyCreditLimit must be 0 or more credits (it was {limit}); give $null to remove the limit. Nothing was changed.")
                        : DailyCreditLimit,
                };
            }
            catch (Exception e) when (e is Client.SeedanceException || e is ArgumentException || e is NotSupportedException || e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                object given = MyInvocation.BoundParameters[setting.Name];
                string message = e.Message.EndsWith("Nothing was changed.", StringComparison.Ordinal) ? e.Message : e.Message + " Nothing was changed.";
                ThrowTerminatingError(SeedanceErrors.Record(e, setting.ErrorId, given, message)); // a Uri with user info is masked there
                throw;
            }
        }

        /// <summary>'off', or the path resolved against the current location, a trailing separator kept (it means a folder).</summary>
        private string FullJournalPath(string path) =>
            string.Equals(path.Trim(), JournalLocation.OffValue, StringComparison.OrdinalIgnoreCase) ? path
            : FileSystemPaths.ResolveFile(SessionState, path, "the task journal") +
                (path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal) ? System.IO.Path.DirectorySeparatorChar.ToString() : string.Empty);

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
    }
}
