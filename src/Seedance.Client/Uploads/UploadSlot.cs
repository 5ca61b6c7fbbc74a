using System;
using System.Net.Http.Headers;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Validation;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// What POST {base}/uploads hands back: where to PUT the bytes (a signed URL, usually on another host), the URL
    /// that then serves them (for the create body), and the Content-Type the signature was made for.
    /// </summary>
    public sealed class UploadSlot
    {
        public UploadSlot(Uri uploadUrl, Uri url, string? contentType)
        {
            UploadUrl = uploadUrl;
            Url = url;
            ContentType = contentType;
        }

        /// <summary>The signed PUT target. It authorises the request by itself; the key is never sent there.</summary>
        public Uri UploadUrl { get; }

        /// <summary>The public URL of the uploaded file, to pass in urls / videoUrls.</summary>
        public Uri Url { get; }

        /// <summary>The Content-Type to PUT with (it is part of the signature), or null when the service named none.</summary>
        public string? ContentType { get; }

        /// <summary>The request body: <c>{"fileName": "cat.png"}</c>.</summary>
        public static string RequestBody(string fileName) => "{\"fileName\":" + JsonSerializer.Serialize(fileName) + "}";

        /// <summary>
        /// Reads and checks the answer: both URLs must be absolute http(s), the Content-Type a valid media type.
        /// Anything else is a <see cref="SeedanceProtocolException"/>: the service's answer is not trusted blindly.
        /// </summary>
        public static UploadSlot Parse(string body)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SeedanceProtocolException("The upload endpoint answered with JSON that is not an object.");
                }

                Uri uploadUrl = RequireWebUrl(TaskJsonReader.ReadString(root, "uploadUrl"), "uploadUrl");
                Uri url = RequireWebUrl(TaskJsonReader.ReadString(root, "url"), "url");
                string? contentType = TaskJsonReader.ReadString(root, "contentType");
                if (string.IsNullOrWhiteSpace(contentType))
                {
                    contentType = null;
                }
                else if (!MediaTypeHeaderValue.TryParse(contentType, out _))
                {
                    throw new SeedanceProtocolException($"The upload endpoint gave a contentType that is not a media type: '{Excerpt(contentType!)}'.");
                }

                return new UploadSlot(uploadUrl, url, contentType);
            }
            catch (JsonException e)
            {
                throw new SeedanceProtocolException("The upload endpoint answered with text that is not valid JSON.", e);
            }
        }

        private static Uri RequireWebUrl(string? value, string field)
        {
            if (!CreateTaskRequestValidator.IsWebUrl(value, out Uri? uri))
            {
                throw new SeedanceProtocolException(value is null
                    ? $"The upload endpoint's answer has no '{field}'."
                    : $"The upload endpoint's '{field}' is not an absolute http(s) URL: '{Excerpt(value)}'.");
            }

            return uri!;
        }

        private static string Excerpt(string value) => value.Length <= 200 ? value : value.Substring(0, 200) + "…";
    }
}
