using System;
using System.Net;
using System.Net.Sockets;

namespace Seedance.Client.Http
{
    /// <summary>Tells a failure that happened before a request left the machine from one that may have reached the service.</summary>
    internal static class FailureClassifier
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
    }
}
