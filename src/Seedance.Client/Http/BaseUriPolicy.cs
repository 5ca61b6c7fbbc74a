using System;
using System.Net;

namespace Seedance.Client.Http
{
    /// <summary>
    /// Which API base URIs the key may be sent to: absolute https, or http only on loopback (the emulator).
    /// Plain http elsewhere would put the key on the wire in clear text.
    /// </summary>
    public static class BaseUriPolicy
    {
        public static Uri EnsureValid(Uri baseUri)
        {
            string? problem = Check(baseUri);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(baseUri));
            }

            return baseUri;
        }

        /// <summary>Null when acceptable; otherwise why not.</summary>
        public static string? Check(Uri? baseUri)
        {
            if (baseUri is null || !baseUri.IsAbsoluteUri)
            {
                return $"The API base URI '{baseUri?.OriginalString}' is not an absolute URI; use e.g. {SeedanceClientOptions.DefaultBaseUri}.";
            }

            if (baseUri.Scheme == Uri.UriSchemeHttps)
            {
                return null;
            }

            if (baseUri.Scheme == Uri.UriSchemeHttp)
            {
                return IsLoopback(baseUri)
                    ? null
                    : $"The API base URI '{baseUri.OriginalString}' uses plain http to a host that is not this machine; the key would travel in clear text. Use https.";
            }

            return $"The API base URI '{baseUri.OriginalString}' must use https (or http to localhost).";
        }

        private static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback)
            {
                return true;
            }

            return IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address);
        }
    }
}
