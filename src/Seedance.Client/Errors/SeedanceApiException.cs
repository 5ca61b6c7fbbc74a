using System;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seedance.Client.Http;
using Seedance.Client.Json;

namespace Seedance.Client
{
    /// <summary>The API answered with an HTTP error. Carries what the body said (message, balance, limits).</summary>
    public sealed class SeedanceApiException : SeedanceException
    {
        public SeedanceApiException(HttpStatusCode statusCode, string apiMessage, string operation)
            : base(FormatMessage(statusCode, apiMessage, operation))
        {
            StatusCode = statusCode;
            ApiMessage = apiMessage;
            Operation = operation;
            ErrorId = ErrorIdOf((int)statusCode, operation);
        }

        public HttpStatusCode StatusCode { get; }

        /// <summary>The "message" of the error body, or the body text when it had none.</summary>
        public string ApiMessage { get; }

        /// <summary>"createTask", "recordInfo" or "download": which call failed.</summary>
        public string Operation { get; }

        /// <summary>402: credits the task needed, and the balance.</summary>
        public decimal? RequiredCredits { get; private set; }
        public decimal? AvailableCredits { get; private set; }

        /// <summary>429: the concurrency limit and how many tasks were running.</summary>
        public int? Limit { get; private set; }
        public int? Current { get; private set; }

        /// <summary>The URL that answered with the error (shown when it suggests a wrong base URI).</summary>
        public Uri? RequestUri { get; internal set; }

        /// <summary>The Retry-After the service sent, if any.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>By status, and for a 403 or 404 by what was asked: a video URL, a task, or (a create) the endpoint itself.</summary>
        public override string ErrorId { get; }

        private static string ErrorIdOf(int status, string operation) => status switch
        {
            400 or 422 => "InvalidRequest",
            401 => "Unauthorized",
            402 => "InsufficientCredits",
            403 => operation == "download" ? "VideoUrlForbidden" : "Forbidden",
            404 or 410 when operation == "createTask" => "ApiEndpointNotFound",
            404 or 410 => operation == "download" ? "VideoNotFound" : "TaskNotFound",
            429 => "RateLimited",
            >= 500 => "ServerError",
            _ => "UnexpectedResponse",
        };

        /// <summary>What to do, where it depends on the answer; the module's error map adds what depends only on the ErrorId.</summary>
        public override string? Advice => ErrorId switch
        {
            "InsufficientCredits" => $"Top up the account: {RequiredCredits} credits needed, {AvailableCredits} available.",
            "RateLimited" => $"Too many tasks are running ({Current} of {Limit}); wait for some to finish.",
            "ServerError" => Operation == "createTask" ? CreateMayExist : "The service had an internal error; try again later.",
            "TaskNotFound" when Operation == "recordInfo" =>
                $"Check the task id. If ids that exist are not found either, the base URI may be wrong ({RequestUri?.GetLeftPart(UriPartial.Path)}).",
            _ => null,
        };

        /// <summary>True when the same request may succeed later (the service said so by status: 429 or 5xx).</summary>
        public bool IsTransient => ErrorId is "RateLimited" or "ServerError";

        /// <summary>
        /// Builds the exception from an error answer's body, reading the documented extra fields. The service (or a
        /// proxy) may echo the request, Authorization header included: every occurrence of <paramref name="key"/> is
        /// masked before the text can reach the message, ApiMessage or a log line.
        /// </summary>
        public static SeedanceApiException FromResponse(HttpStatusCode statusCode, string? body, string operation, ApiKey? key)
        {
            if (key is not null && body is not null)
            {
                body = key.Redact(body);
            }

            string apiMessage = string.IsNullOrWhiteSpace(body) ? ReasonOf(statusCode) : body!.Trim();
            decimal? required = null, available = null;
            int? limit = null, current = null;
            try
            {
                using JsonDocument document = PlainJson.Parse(body ?? string.Empty);
                JsonFields answer = new JsonFields(document.RootElement);
                apiMessage = answer.Scalar("message") ?? answer.Scalar("msg") ?? apiMessage;
                required = answer.LooseNumber("required");
                available = answer.LooseNumber("available");
                limit = ToCount(answer.LooseNumber("limit"));
                current = ToCount(answer.LooseNumber("current"));
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, say): the text itself is the best message we have.
            }

            // Terminal control sequences out first (they could split the key and hide it from the mask), then the key
            // again after parsing: a JSON escape (\u002d, \/) can hide it from the raw-text pass above.
            apiMessage = ServiceText.Clean(apiMessage);
            if (key is not null)
            {
                apiMessage = key.Redact(apiMessage);
            }

            if (apiMessage.Length > 500)
            {
                apiMessage = apiMessage.Substring(0, 500) + "…";
            }

            return new SeedanceApiException(statusCode, apiMessage, operation)
            {
                RequiredCredits = required,
                AvailableCredits = available,
                Limit = limit,
                Current = current,
            };
        }

        /// <summary>A count (429 limit and current): a whole number an int holds, else null rather than an OverflowException.</summary>
        private static int? ToCount(decimal? value) =>
            value is null || value < 0 || value > int.MaxValue ? (int?)null : (int)Math.Round(value.Value);

        /// <summary>
        /// The message. A 5xx to a create is not "try again": the service may have acted on the request before it
        /// failed, so the task may exist and be billed, and sending it again may pay twice.
        /// </summary>
        private static string FormatMessage(HttpStatusCode statusCode, string apiMessage, string operation)
            => $"Seedance {operation} failed: {(int)statusCode} {ReasonOf(statusCode)}: {apiMessage}" +
                (operation == "createTask" && (int)statusCode >= 500 ? " " + CreateMayExist : string.Empty);

        /// <summary>What a 5xx to a create means for the user's money, and how to find out.</summary>
        public const string CreateMayExist =
            "The task may already exist and be billed: the service may have created it before failing. The API has no list call, " +
            "so check the task list and credit balance in your Seedance account (or wait for the -CallbackUri call) before sending the same request again.";

        /// <summary>"Not Found", "Too Many Requests": the status's name in words (429 has no name in netstandard2.0), else its number.</summary>
        private static string ReasonOf(HttpStatusCode statusCode) =>
            (int)statusCode == 429 ? "Too Many Requests" : Regex.Replace(statusCode.ToString(), "(?<=[a-z])(?=[A-Z])", " ");
    }
}
