using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What a failed HTTP exchange (API call, download, upload) means: an error answer read into a
    /// <see cref="SeedanceApiException"/>, and a failure that happened before a request left the machine told from one
    /// that may have reached the other side. Whether such a failure may be retried is <see cref="ReadVerdict"/> for
    /// reads (a create has its own rule in <see cref="SeedanceClient"/>).
    /// </summary>
    internal static class HttpFailures
    {
        /// <summary>
        /// True when the connection could not be made at all (refused, unreachable, no such host), on both
        /// .NET (SocketException inside HttpRequestException) and .NET Framework (WebException statuses).
        /// </summary>
        public static bool IsConnectFailure(Exception exception)
        {
            for (Exception? current = exception; current is not null; current = current.InnerException)
            {
                if (current is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.HostUnreachable:
                        case SocketError.NetworkUnreachable:
                        case SocketError.NetworkDown:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.AddressNotAvailable:
                            return true;
                        default:
                            return false;
                    }
                }

                if (current is WebException web)
                {
                    return web.Status == WebExceptionStatus.ConnectFailure ||
                        web.Status == WebExceptionStatus.NameResolutionFailure ||
                        web.Status == WebExceptionStatus.ProxyNameResolutionFailure;
                }
            }

            return false;
        }

        /// <summary>
        /// True when the TLS handshake failed: no protocol in common ("Could not create SSL/TLS secure channel" on .NET
        /// Framework, whose powershell.exe offers only SSL 3 and TLS 1.0 unless told otherwise) or a certificate this
        /// machine does not trust. The request is written only after the handshake, so none of it was sent.
        /// </summary>
        public static bool IsTlsFailure(Exception exception)
        {
            for (Exception? current = exception; current is not null; current = current.InnerException)
            {
                if (current is AuthenticationException)
                {
                    return true;
                }

                if (current is WebException web &&
                    (web.Status == WebExceptionStatus.SecureChannelFailure || web.Status == WebExceptionStatus.TrustFailure))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The one translation of a failed HTTP exchange (<paramref name="what"/>: "Seedance createTask", "The download of
        /// ..."): a TLS failure (never sent, with its fix), a connection never made (never sent), or one that may have
        /// reached the other side.
        /// </summary>
        public static SeedanceException ConnectionFailure(string what, Uri uri, HttpRequestException exception)
        {
            if (IsTlsFailure(exception))
            {
                return Problems.TlsFailure(
                    $"{what} could not open a secure (TLS) connection to {uri.Host}, so nothing was sent: {Describe(exception)}. " +
                    "Either this machine does not trust the server's certificate (a proxy that inspects TLS needs its root certificate installed), " +
                    "or it offers no TLS version the server accepts: the module adds TLS 1.2 for Windows PowerShell 5.1 itself, so check that " +
                    "TLS 1.2 is not switched off for the system (SCHANNEL and .NET Framework SchUseStrongCrypto registry settings), or use PowerShell 7.",
                    exception);
            }

            return Problems.ConnectionFailed($"{what} failed: {Describe(exception)}", exception, requestWasSent: !IsConnectFailure(exception));
        }

        /// <summary>
        /// The one classification of a failure on the network side of a request to <paramref name="uri"/> (API call,
        /// download, upload; <paramref name="what"/>: "Seedance createTask", "The download of ..."): a timeout (its
        /// message <paramref name="timedOut"/>), a connection that failed or was cut off. Null for anything else, and for
        /// a stop (Ctrl+C), which propagate as they are.
        /// </summary>
        public static SeedanceException? NetworkFailure(Exception e, string what, Uri uri, string timedOut, CancellationToken cancellationToken) => e switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OperationCanceledException => Problems.RequestTimedOut(timedOut, e),
            HttpRequestException http => ConnectionFailure(what, uri, http),
            IOException when !(e is FileNotFoundException) => Problems.ConnectionFailed($"{what} was cut off: {Describe(e)}", e, requestWasSent: true),
            _ => null,
        };

        /// <summary>The innermost message, which is usually the one that says what happened ("Connection reset by peer").</summary>
        public static string Describe(Exception exception)
        {
            Exception innermost = exception;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            return innermost == exception ? exception.Message : $"{exception.Message} ({innermost.Message})";
        }

        /// <summary>
        /// The one reading of an error answer: its first <paramref name="limit"/> bytes as the message (only its first
        /// words matter: a download's or an upload's is read only this far), the key masked, its Retry-After kept.
        /// </summary>
        public static async Task<SeedanceApiException> ErrorAnswerAsync(HttpResponseMessage response, string operation, ApiKey key, CancellationToken cancellationToken, long limit = 64 * 1024)
        {
            string body = await ResponseBody.ReadTextAsync(response, limit, truncate: true, operation, cancellationToken).ConfigureAwait(false);
            SeedanceApiException error = SeedanceApiException.FromResponse(response.StatusCode, body, operation, key);
            error.RetryAfter = RetryAfterOf(response);
            return error;
        }

        /// <summary>Retry-After as seconds or as an HTTP date; never negative.</summary>
        public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            System.Net.Http.Headers.RetryConditionHeaderValue? header = response.Headers.RetryAfter;
            if (header is null)
            {
                return null;
            }

            TimeSpan? delay = header.Delta ?? (header.Date - DateTimeOffset.UtcNow);
            return delay is null ? null : (delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }

        /// <summary>A read may be retried after any transient failure: the service said so by status, or the network failed.</summary>
        public static RetryVerdict ReadVerdict(Exception failure)
        {
            switch (failure)
            {
                case SeedanceApiException api:
                    return api.IsTransient ? RetryVerdict.Retry : RetryVerdict.Stop;
                case SeedanceException { Problem: SeedanceProblem.ConnectionFailed or SeedanceProblem.ConnectionNotMade or SeedanceProblem.RequestTimedOut or SeedanceProblem.InvalidResponse }:
                    return RetryVerdict.Retry;
                default:
                    return RetryVerdict.Stop;
            }
        }
    }
}
