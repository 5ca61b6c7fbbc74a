using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Seedance.Client;
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
    public sealed class ConvertFromSeedanceWebhookCommand : PSCmdlet
    {
        /// <summary>The largest body taken, in characters (as text) or bytes: the cap of every service answer.</summary>
        private const long MaxBodySize = ServiceAnswerReader.DefaultMaxChars;

        private readonly List<string> _lines = new List<string>();
        private long _lineChars;
        private bool _linesTooLarge;
        private ServiceAnswerReader? _answers;

        /// <summary>The callback body: JSON text, UTF-8 bytes, or a hashtable / object PowerShell already parsed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Body", "RawBody")]
        [AllowEmptyString]
        public object? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            object? input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
            switch (input)
            {
                case string text:
                    // Collected: Get-Content sends a file line by line, and only the whole text is the body. Not past
                    // the cap: a 50 MB body is refused without being joined, copied or parsed.
                    _lineChars += text.Length + 1;
                    if (_lineChars > MaxBodySize)
                    {
                        _linesTooLarge = true;
                        _lines.Clear();
                        return;
                    }

                    _lines.Add(text);
                    return;
                case byte[] bytes:
                    if (bytes.LongLength > MaxBodySize)
                    {
                        WriteError(Invalid($"{bytes.LongLength:N0} bytes", TooLarge(bytes.LongLength, "bytes")));
                        return;
                    }

                    Convert(Encoding.UTF8.GetString(bytes), InputObject);
                    return;
                case IDictionary _:
                case PSCustomObject _:
                    string json;
                    try
                    {
                        // Walked without recursion, depth-limited, cycle-checked and capped: it is the caller's object graph.
                        json = WebhookBody.ToJson(InputObject, MaxBodySize);
                    }
                    catch (System.IO.InvalidDataException e)
                    {
                        WriteError(Invalid(InputObject, $"The webhook body cannot be read: {e.Message}"));
                        return;
                    }

                    Convert(json, InputObject);
                    return;
                default:
                    WriteError(Invalid(InputObject,
                        $"A {input?.GetType().FullName ?? "null"} is not a webhook body. Give the body as text ($Request.RawBody), bytes, or the hashtable of a parsed JSON body ($Request.Body)."));
                    return;
            }
        }

        protected override void EndProcessing()
        {
            if (_linesTooLarge)
            {
                WriteError(Invalid($"{_lineChars:N0}+ characters", TooLarge(_lineChars, "characters")));
                return;
            }

            if (_lines.Count == 0)
            {
                return;
            }

            // Like ConvertFrom-Json: several strings that each are JSON are several bodies; otherwise they are the
            // lines of one body.
            if (_lines.Count > 1 && IsJson(_lines[0]))
            {
                foreach (string line in _lines)
                {
                    Convert(line, line);
                }

                return;
            }

            string body = string.Join("\n", _lines);
            Convert(body, body);
        }

        private void Convert(string body, object? target)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                WriteError(Invalid(target, "The webhook body is empty. Pass the body of the POST the service sent ($Request.RawBody in Azure Functions)."));
                return;
            }

            try
            {
                WriteObject(Answers.ReadTask(body, "webhook"));
            }
            catch (SeedanceProtocolException e) when (e.InnerException is JsonException json)
            {
                WriteError(Invalid(target, $"The webhook body is not JSON ({json.Message}). Pass the body of the POST the service sent, unchanged."));
            }
            catch (SeedanceProtocolException e)
            {
                WriteError(Invalid(target,
                    $"The webhook body is not a Seedance task: {e.Message} Expected the task object ({{\"taskId\": ..., \"status\": ...}}) or the envelope {{\"code\", \"message\", \"data\": {{task}}}}."));
            }
            catch (SeedanceException e) when (e is UnsafeServiceUrlException || e is ResponseTooLargeException)
            {
                WriteError(Invalid(target, e.Message));
            }
        }

        /// <summary>
        /// The gate every service answer passes (see ServiceAnswerReader): a webhook body is a service answer that
        /// anyone may forge. The configured key, when there is one, is masked in its text and refused in its URLs.
        /// </summary>
        private ServiceAnswerReader Answers => _answers ??= new ServiceAnswerReader(ConfiguredKey());

        private static Seedance.Client.Http.ApiKey? ConfiguredKey()
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

        private static string TooLarge(long size, string unit) =>
            $"The webhook body is {size:N0} {unit}, larger than the {MaxBodySize / 1048576.0:0.#} MiB any service answer may be; a real one is a few KiB. It was not read.";

        private static bool IsJson(string text)
        {
            try
            {
                using (JsonDocument.Parse(text))
                {
                    return true;
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static ErrorRecord Invalid(object? target, string message) =>
            SeedanceErrors.Record(new FormatException(message), "InvalidWebhookBody", ErrorCategory.InvalidData, target, message,
                "Check what the function received; a webhook is unsigned, so confirm any task it names with Get-SeedanceTask.");
    }
}
