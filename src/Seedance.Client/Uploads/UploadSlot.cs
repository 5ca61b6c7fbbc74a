using System;
using System.Text.Json;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// What POST {base}/uploads hands back: where to PUT the bytes (a signed URL, usually on another host), the URL
    /// that then serves them (for the create body), and the Content-Type the signature was made for. Read and checked
    /// by <see cref="Json.ServiceAnswerReader.ReadUploadSlot"/>, the gate of every service answer.
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
    }
}
