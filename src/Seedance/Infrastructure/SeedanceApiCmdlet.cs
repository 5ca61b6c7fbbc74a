using System;
using System.Collections;
using System.Management.Automation;
using Seedance.Client.Http;
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

        protected SeedanceConfiguration Configuration => _configuration ??= SeedanceConfiguration.Resolve();

        protected ApiKey? Key => Configuration.ApiKeyForRequests;

        protected override void BeginProcessing()
        {
            _configuration = SeedanceConfiguration.Resolve();
            _userAgent = BuildUserAgent();
            base.BeginProcessing();
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
                Log = WriteVerboseFromBackground,
            };
            pipeline.WriteDebug($"Seedance API {configuration.BaseUri} ({configuration.BaseUriSource}); key from {configuration.ApiKeySource}.");
            _client = new SeedanceClient(options, HttpClients.Source);
            return _client;
        }

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
}
