using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Seedance.Client.Http;
using Seedance.Client.Models;

namespace Seedance.Client.Json
{
    /// <summary>
    /// The bodies of Seedance callbacks (what the service POSTs to -CallbackUri) as a function receives them: text
    /// (piped lines are collected and joined, like ConvertFrom-Json), UTF-8 bytes, or JSON text. Each passes the gate of
    /// every service answer (<see cref="ServiceAnswerReader"/>), because a webhook is a service answer anyone may forge;
    /// one that cannot be used is an InvalidWebhookBody <see cref="SeedanceException"/> saying why.
    /// </summary>
    public sealed class WebhookBodies
    {
        /// <summary>The largest body taken, in characters (as text) or bytes: the cap of every service answer.</summary>
        public const long MaxSize = ServiceAnswerReader.DefaultMaxChars;

        private readonly ServiceAnswerReader _answers;
        private readonly List<string> _lines = new List<string>();
        private long _lineChars;

        /// <param name="key">The configured key, when there is one: masked in a body's text and refused in its URLs.</param>
        public WebhookBodies(ApiKey? key)
        {
            _answers = new ServiceAnswerReader(key);
        }

        /// <summary>
        /// Collects one piped line: Get-Content sends a file line by line, and only the whole text is the body. Not past
        /// the cap: a 50 MB body is refused without being joined, copied or parsed.
        /// </summary>
        public void AddLine(string line)
        {
            _lineChars += line.Length + 1;
            if (_lineChars > MaxSize)
            {
                _lines.Clear();
                return;
            }

            _lines.Add(line);
        }

        /// <summary>
        /// The bodies of the lines collected. Like ConvertFrom-Json: several lines that each are JSON are several bodies;
        /// otherwise they are the lines of one body.
        /// </summary>
        public IReadOnlyList<string> CollectedBodies()
        {
            if (_lineChars > MaxSize)
            {
                throw TooLarge(_lineChars, "characters", $"{_lineChars:N0}+ characters");
            }

            if (_lines.Count > 1 && ServiceAnswerReader.Parses(_lines[0]))
            {
                return _lines.ToArray();
            }

            return _lines.Count == 0 ? Array.Empty<string>() : new[] { string.Join("\n", _lines) };
        }

        /// <summary>The task a body of UTF-8 bytes describes.</summary>
        public SeedanceTask Read(byte[] body)
        {
            if (body.LongLength > MaxSize)
            {
                throw TooLarge(body.LongLength, "bytes", $"{body.LongLength:N0} bytes");
            }

            return Read(Encoding.UTF8.GetString(body));
        }

        /// <summary>
        /// The task a body PowerShell already parsed describes (the hashtable Azure Functions makes, ConvertFrom-Json's
        /// objects), as plain values: written back as JSON text for the gate every answer passes.
        /// </summary>
        public SeedanceTask ReadParsed(object? plain)
        {
            string json;
            try
            {
                json = PlainJson.ToJson(plain, "body");
            }
            catch (ArgumentException e)
            {
                throw Problems.InvalidWebhookBody($"The webhook body cannot be read: {e.Message}", e);
            }

            return Read(json);
        }

        /// <summary>The task a body describes: the flat task object, or the {code, message, data} envelope.</summary>
        public SeedanceTask Read(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                throw Problems.InvalidWebhookBody("The webhook body is empty. Pass the body of the POST the service sent ($Request.RawBody in Azure Functions).");
            }

            try
            {
                return _answers.ReadWebhookTask(body);
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidResponse && e.InnerException is JsonException json)
            {
                string what = ServiceAnswerReader.IsTooDeep(body) ? ServiceAnswerReader.TooDeep : "not JSON";
                throw Problems.InvalidWebhookBody($"The webhook body is {what} ({json.Message}). Pass the body of the POST the service sent, unchanged.", e);
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidResponse)
            {
                throw Problems.InvalidWebhookBody(
                    $"The webhook body is not a Seedance task: {e.Message} Expected the task object ({{\"taskId\": ..., \"status\": ...}}) or the envelope {{\"code\", \"message\", \"data\": {{task}}}}.", e);
            }
            catch (SeedanceException e) when (e.Problem is SeedanceProblem.UnsafeServiceUrl or SeedanceProblem.ResponseTooLarge)
            {
                throw Problems.InvalidWebhookBody(e.Message, e);
            }
        }

        private static SeedanceException TooLarge(long size, string unit, string shown) =>
            Problems.InvalidWebhookBody(
                $"The webhook body is {size:N0} {unit}, larger than the {MaxSize / 1048576.0:0.#} MiB any service answer may be; a real one is a few KiB. It was not read.",
                target: shown);
    }
}
