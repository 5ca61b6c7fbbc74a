using System;
using System.Collections;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Client.Models;
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
        private BatchLedger? _ledger;
        private bool _ownsLedger;

        protected SeedanceConfiguration Configuration => _configuration ??= SeedanceConfiguration.Resolve();

        protected ApiKey? Key => Configuration.ApiKeyForRequests;

        /// <summary>This command's use of the task journal (off until BeginProcessing opened it, when <see cref="JournalUse"/> asks for it).</summary>
        private protected CommandJournal Journal { get; private set; } = CommandJournal.Off;

        /// <summary>Whether this command journals, and whether it may run without the journal.</summary>
        private protected virtual JournalUse JournalUse => JournalUse.None;

        protected override void BeginProcessing()
        {
            _configuration = SeedanceConfiguration.Resolve();
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
                Journal = CommandJournal.Open(Configuration.Journal, WriteWarning);
            }
            catch (Client.Journal.JournalException e)
            {
                ErrorRecord error = JournalErrors.Journal(e);
                if (required)
                {
                    ThrowTerminatingError(error);
                }

                WriteWarning($"{error.ErrorDetails?.Message ?? e.Message} This command goes on without recording in the task journal.");
            }
        }

        /// <summary>The client, or a terminating error when there is no key or the base URI is unusable.</summary>
        protected SeedanceClient RequireClient(AsyncPipeline pipeline)
        {
            if (_client is not null)
            {
                return _client;
            }

            SeedanceConfiguration configuration = Configuration;
            if (configuration.BaseUriProblem is not null || configuration.BaseUri is null)
            {
                throw new TerminatingErrorException(SeedanceErrors.InvalidBaseUri(
                    configuration.BaseUriProblem ?? "The API base URI is not set.", configuration.BaseUri));
            }

            if (configuration.ApiKeyForRequests is null)
            {
                throw new TerminatingErrorException(SeedanceErrors.NoApiKey(configuration.BaseUri));
            }

            SeedanceClientOptions options = new SeedanceClientOptions(configuration.BaseUri, configuration.ApiKeyForRequests)
            {
                UserAgent = _userAgent,
                RequestTimeout = configuration.RequestTimeout,
                // Client log lines may come from work that outlives the block that started it.
                Log = Background.WriteVerbose,
            };
            pipeline.WriteDebug($"Seedance API {configuration.BaseUri} ({configuration.BaseUriSource}); key from {configuration.ApiKeySource}.");
            _client = new SeedanceClient(options, HttpClients.Source);
            return _client;
        }

        /// <summary>This pipeline's ledger of paid tasks: the one joined from input, or a new one this command opens.</summary>
        private protected BatchLedger Ledger
        {
            get
            {
                if (_ledger is null)
                {
                    _ledger = new BatchLedger();
                    _ownsLedger = true;
                }

                return _ledger;
            }
        }

        /// <summary>Joins the ledger <paramref name="task"/> carries from upstream in this pipeline, if it carries one.</summary>
        private protected BatchLedger? JoinLedgerOf(SeedanceTask task)
        {
            _ledger ??= BatchLedger.OpenLedgerOf(task);
            return _ledger;
        }

        protected override void OnStopped()
        {
            string? report = _ledger?.TakeReport(null, Journal.Path);
            if (report is not null)
            {
                // The pipeline is stopping and takes no records: straight to the host.
                Host.UI.WriteWarningLine(report);
            }
        }

        protected override void OnFailed(Exception error, ErrorRecord? cause)
        {
            string? report = _ledger?.TakeReport(cause, Journal.Path);
            if (report is null)
            {
                return;
            }

            try
            {
                WriteWarning(report);
            }
            catch (Exception)
            {
                // The warning stream is closed to us (-WarningAction Stop, or the pipeline is going down): the host
                // still shows it, and paid ids must not be lost for want of a stream.
                Host.UI.WriteWarningLine(report);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _ledger is not null)
            {
                // Nothing in this command noticed the early end (e.g. an upstream error, or Ctrl+C while another
                // command ran): the pipeline is over now, so say it here, once for the whole pipeline.
                string? report = Completed ? null : _ledger.TakeReport(null, Journal.Path);
                if (report is not null)
                {
                    Host.UI.WriteWarningLine(report);
                }

                if (_ownsLedger)
                {
                    _ledger.Close();
                }
            }

            base.Dispose(disposing);
        }

        /// <summary>The ErrorId an error would be written with (for the journal's failure records).</summary>
        private protected string ErrorIdOf(Exception exception) => ErrorFrom(exception, null).FullyQualifiedErrorId;

        protected ErrorRecord ErrorFrom(Exception exception, object? target) => SeedanceErrors.FromException(exception, target, Key);

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
