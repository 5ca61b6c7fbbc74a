using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns the body of a Seedance callback (webhook) into the same task object Get-SeedanceTask returns. Sends no request.</para>
    /// <para type="description">
    /// For HTTP-triggered functions (Azure Functions, a small listener) that receive what the service POSTs to
    /// -CallbackUri: the flat task object, or the {code, message, data} envelope, with "status" or "state". Takes
    /// the body as text (piped lines are joined, like ConvertFrom-Json), as UTF-8 bytes, or already parsed (the
    /// hashtable Azure Functions makes of a JSON body, or ConvertFrom-Json's output). A webhook is not signed: anyone
    /// who learns the URL can post one. Treat it as a hint and confirm with Get-SeedanceTask before acting on it
    /// (downloading, billing, telling anyone); deliveries can also repeat, so deduplicate by TaskId.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "SeedanceWebhook", HelpUri = HelpLinks.Docs + "ConvertFrom-SeedanceWebhook.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class ConvertFromSeedanceWebhookCommand : SeedanceCmdlet
    {
        private WebhookBodies? _bodies;

        /// <summary>The callback body: JSON text, UTF-8 bytes, or a hashtable / object PowerShell already parsed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Body", "RawBody")]
        [AllowEmptyString]
        public object? InputObject { get; set; }

        /// <summary>The configured key, when there is one: masked in a body's text and refused in its URLs.</summary>
        private WebhookBodies Bodies => _bodies ??= new WebhookBodies(ConfiguredKey());

        protected override void ProcessRecord()
        {
            object? input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
            switch (input)
            {
                case string text:
                    Bodies.AddLine(text);
                    return;
                case byte[] bytes:
                    Write(InputObject, () => Bodies.Read(bytes));
                    return;
                case IDictionary _:
                case PSCustomObject _:
                    // Walked depth-limited, cycle-checked and capped: it is the caller's object graph.
                    Write(InputObject, () => Bodies.ReadParsed(PlainValues.ToPlain(InputObject, WebhookBodies.MaxSize)));
                    return;
                default:
                    Write(InputObject, () => throw Problems.InvalidWebhookBody(
                        $"A {input?.GetType().FullName ?? "null"} is not a webhook body. Give the body as text ($Request.RawBody), bytes, or the hashtable of a parsed JSON body ($Request.Body)."));
                    return;
            }
        }

        protected override void EndProcessing()
        {
            IReadOnlyList<string> bodies;
            try
            {
                bodies = Bodies.CollectedBodies();
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidWebhookBody)
            {
                WriteError(SeedanceErrors.FromException(e, null));
                return;
            }

            foreach (string body in bodies)
            {
                Write(body, () => Bodies.Read(body));
            }
        }

        private void Write(object? target, Func<SeedanceTask> read)
        {
            try
            {
                WriteObject(read());
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidWebhookBody)
            {
                WriteError(SeedanceErrors.FromException(e, target));
            }
        }

        private static ApiKey? ConfiguredKey()
        {
            try
            {
                return SeedanceConfiguration.Resolve().ApiKeyForRequests;
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                // No usable configuration: the body is still read and checked, only without a key to look for.
                return null;
            }
        }
    }
}
