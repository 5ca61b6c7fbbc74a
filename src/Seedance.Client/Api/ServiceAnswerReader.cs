using System;
using System.Net.Http.Headers;
using System.Text.Json;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

namespace Seedance.Client.Json
{
    /// <summary>
    /// The one gate for everything the service sends: status (recordInfo), create, upload (POST /uploads) and webhook
    /// answers all pass here before any of it reaches an object, a message, the journal or another request. It holds
    /// each answer to a size cap, removes terminal control characters from every string, masks the key in all text,
    /// and checks every URL field as it arrives (see <see cref="CheckUrl"/>): a URL the module would later fetch,
    /// PUT to, pass on to a create or hand to a script must be an absolute http(s) URL, without user info, and without
    /// the key. A URL field that is not is an UnsafeServiceUrl <see cref="SeedanceException"/> for that item (the task, the
    /// upload), naming the field: nothing is sent to it and nothing of it is journaled.
    /// </summary>
    public sealed class ServiceAnswerReader
    {
        /// <summary>The largest answer read, in characters (the API client also caps the bytes on the wire at the same number).</summary>
        public const long DefaultMaxChars = 4L * 1024 * 1024;

        private const int ShownUrlLength = 200;

        private readonly ApiKey? _key;
        private readonly long _maxChars;

        /// <param name="key">The key to mask and to refuse in URLs; null where none is configured (a webhook handler without a key).</param>
        /// <param name="maxChars">The size cap, in characters.</param>
        public ServiceAnswerReader(ApiKey? key, long maxChars = DefaultMaxChars)
        {
            _key = key;
            _maxChars = maxChars;
        }

        /// <summary>A task (recordInfo answer or webhook body; flat or in an envelope), its URL fields checked.</summary>
        /// <param name="answer">Which answer this is, for messages: "recordInfo", "webhook".</param>
        public SeedanceTask ReadTask(string body, string answer)
        {
            string clean = Clean(body, answer);
            SeedanceTask task = TaskJsonReader.Parse(clean);
            for (int i = 0; i < task.Videos.Count; i++)
            {
                SeedanceVideo video = task.Videos[i];
                CheckUrl(video.Url, $"output[{i}].url", answer);
                if (!string.IsNullOrEmpty(video.LastFrameImage))
                {
                    CheckUrl(video.LastFrameImage, $"output[{i}].lastFrameImage", answer);
                }
            }

            // Read again only when the key is somewhere in the answer (then in text, never in a URL: refused above).
            return HasKey(clean) ? TaskJsonReader.Parse(Mask(clean)) : task;
        }

        /// <summary>The task id of a createTask answer.</summary>
        public string ReadCreatedTaskId(string body) => TaskJsonReader.ParseCreatedTaskId(Mask(Clean(body, "createTask")));

        /// <summary>
        /// The upload slot of a POST /uploads answer: both URLs checked like a task's (the bytes are PUT to one, the
        /// other goes into the create body and the journal), the Content-Type a valid media type.
        /// </summary>
        public UploadSlot ReadUploadSlot(string body)
        {
            const string answer = "uploads";
            string clean = Clean(body, answer);
            try
            {
                using JsonDocument document = JsonDocument.Parse(clean);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SeedanceProtocolException("The upload endpoint answered with JSON that is not an object.");
                }

                Uri uploadUrl = CheckUrl(TaskJsonReader.ReadString(root, "uploadUrl"), "uploadUrl", answer);
                Uri url = CheckUrl(TaskJsonReader.ReadString(root, "url"), "url", answer);
                string? contentType = TaskJsonReader.ReadString(root, "contentType");
                if (string.IsNullOrWhiteSpace(contentType))
                {
                    contentType = null;
                }
                else if (!MediaTypeHeaderValue.TryParse(contentType, out _))
                {
                    throw new SeedanceProtocolException($"The upload endpoint gave a contentType that is not a media type: '{Excerpt(Mask(contentType!))}'.");
                }

                return new UploadSlot(uploadUrl, url, contentType);
            }
            catch (JsonException e)
            {
                throw new SeedanceProtocolException("The upload endpoint answered with text that is not valid JSON.", e);
            }
        }

        /// <summary>
        /// A URL field of an answer, as it arrived (before masking: a URL that held the key must be refused, not
        /// rewritten): an absolute http(s) URL with a host, no user info, not containing the key in any encoding.
        /// Otherwise an UnsafeServiceUrl <see cref="SeedanceException"/> naming <paramref name="field"/>; its message shows the
        /// value only when it holds no key, without user info, cleaned and cut short.
        /// </summary>
        public Uri CheckUrl(string? value, string field, string answer)
        {
            if (string.IsNullOrEmpty(value))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "is missing", null);
            }

            if (HasKey(value))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "contains the API key (the key goes to the API host only; nothing was sent there)", null);
            }

            string shown = Excerpt(Validation.UrlChecks.Displayable(ServiceText.Clean(value)));
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ||
                (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "is not an absolute http(s) URL (a value from the service is never read as a local file)", shown);
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "carries user info (user@ or user:password@)", shown);
            }

            return uri;
        }

        /// <summary>Capped, then every string stripped of control characters (JSON structure and numbers kept).</summary>
        private string Clean(string body, string answer)
        {
            if (body.Length > _maxChars)
            {
                throw new ResponseTooLargeException(answer, _maxChars, $"{body.Length:N0} characters");
            }

            return ServiceText.CleanJson(body);
        }

        private bool HasKey(string? text) => _key is not null && _key.IsIn(text);

        private string Mask(string text) => _key is null ? text : _key.Redact(text);

        private static string Excerpt(string value) => value.Length <= ShownUrlLength ? value : value.Substring(0, ShownUrlLength) + "…";
    }
}
