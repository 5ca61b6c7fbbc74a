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

            // The endpoint path is appended to the base: a query or fragment would swallow it, and user info would put a
            // second secret in every request line (and in this message: it is shown without it).
            if (!string.IsNullOrEmpty(baseUri.UserInfo))
            {
                return $"The API base URI '{Displayable(baseUri)}' contains user info (user@ or user:password@). The key is the only credential: remove it.";
            }

            if (!string.IsNullOrEmpty(baseUri.Query))
            {
                return $"The API base URI '{baseUri.OriginalString}' has a query ('{baseUri.Query}'); the endpoint path is appended to the base, so remove it.";
            }

            if (!string.IsNullOrEmpty(baseUri.Fragment) || baseUri.OriginalString.IndexOf('#') >= 0)
            {
                return $"The API base URI '{baseUri.OriginalString}' has a fragment ('#...'); the endpoint path is appended to the base, so remove it.";
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

        /// <summary>The URI without its user info, for messages and error targets.</summary>
        public static string Displayable(Uri uri)
        {
            if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri.OriginalString;
            }

            UriBuilder builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
            return builder.Uri.AbsoluteUri.Replace(uri.Scheme + "://", uri.Scheme + "://***@");
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
