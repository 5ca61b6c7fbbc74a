using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Tests.TestSupport;
using Xunit;

namespace Seedance.Client.Tests.NetFramework
{
    /// <summary>
    /// A TLS handshake that fails (no protocol in common on an unpatched Windows PowerShell 5.1, or a certificate this
    /// machine does not trust) happens before any byte of the request is written: a create is certainly not sent,
    /// so it is a TlsFailure, never an uncertain create, and it is not sent again (the next handshake fails too).
    /// </summary>
    public sealed class TlsFailureTests
    {
        private static SeedanceClientOptions Options(string baseUri) =>
            new SeedanceClientOptions(new Uri(baseUri), new ApiKey("sk-live-TLS-TEST-4411"))
            {
                RequestTimeout = TimeSpan.FromSeconds(10),
                CreateRetry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), MaxTotalTime = TimeSpan.FromSeconds(30) },
                ReadRetry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), MaxTotalTime = TimeSpan.FromSeconds(30) },
            };

        private static CreateTaskRequest Request() => new CreateTaskRequest
        {
            Model = "seedance-20",
            Prompt = "A red kite over green hills",
            Duration = 8,
            Ratio = "16:9",
        };

        [Fact]
        public async Task ACreate_ToAServerThisMachineDoesNotTrust_IsATlsFailure_NeverSent_NotSentAgain()
        {
            using UntrustedTlsServer server = UntrustedTlsServer.Start();
            SeedanceClient client = RealHttp.Client(Options($"https://127.0.0.1:{server.Port}/api/v1"));

            SeedanceException error = ProblemAssert.Is(SeedanceProblem.TlsFailure, await Assert.ThrowsAsync<SeedanceException>(() => client.CreateTaskAsync(Request(), null, CancellationToken.None)));

            Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
            Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, server.Handshakes);
            Assert.Equal(0, server.RequestBytes);
        }

        [Fact]
        public async Task ARead_ToAServerThisMachineDoesNotTrust_IsATlsFailure_AskedOnce()
        {
            using UntrustedTlsServer server = UntrustedTlsServer.Start();
            SeedanceClient client = RealHttp.Client(Options($"https://127.0.0.1:{server.Port}/api/v1"));

            SeedanceException error = ProblemAssert.Is(SeedanceProblem.TlsFailure, await Assert.ThrowsAsync<SeedanceException>(() => client.GetTaskAsync("task_1", CancellationToken.None)));

            Assert.Equal(1, server.Handshakes);
        }

        [Theory]
        [InlineData(WebExceptionStatus.SecureChannelFailure)] // "Could not create SSL/TLS secure channel": no TLS 1.2 offered
        [InlineData(WebExceptionStatus.TrustFailure)]         // "Could not establish trust relationship"
        public async Task TheNetFrameworkShapes_AreTlsFailures_NotUncertainCreates(WebExceptionStatus status)
        {
            // What .NET Framework's HttpClientHandler throws: an HttpRequestException around a WebException.
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => throw new HttpRequestException("An error occurred while sending the request.", new WebException("The underlying connection was closed.", status)));
            SeedanceClient client = new SeedanceClient(Options("https://api.example.test/api/v1"), new HttpClient(handler), new HttpClient(handler));

            SeedanceException error = ProblemAssert.Is(SeedanceProblem.TlsFailure, await Assert.ThrowsAsync<SeedanceException>(() => client.CreateTaskAsync(Request(), null, CancellationToken.None)));

            Assert.Equal(1, handler.Count);
        }

        [Theory]
        [InlineData(WebExceptionStatus.ConnectFailure, false)]
        [InlineData(WebExceptionStatus.ReceiveFailure, false)]
        [InlineData(WebExceptionStatus.SecureChannelFailure, true)]
        [InlineData(WebExceptionStatus.TrustFailure, true)]
        public void OnlyHandshakeFailures_AreTls(WebExceptionStatus status, bool expected)
        {
            Assert.Equal(expected, HttpFailures.IsTlsFailure(new HttpRequestException("x", new WebException("y", status))));
        }

        /// <summary>A TLS server on loopback with a self-signed certificate: every client that checks certificates refuses it.</summary>
        private sealed class UntrustedTlsServer : IDisposable
        {
            private readonly TcpListener _listener;
            private readonly X509Certificate2 _certificate;
            private int _handshakes;
            private int _requestBytes;

            private UntrustedTlsServer(TcpListener listener, X509Certificate2 certificate)
            {
                _listener = listener;
                _certificate = certificate;
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            public int Handshakes => Volatile.Read(ref _handshakes);

            public int RequestBytes => Volatile.Read(ref _requestBytes);

            public static UntrustedTlsServer Start()
            {
                using RSA rsa = RSA.Create(2048);
                CertificateRequest request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
                TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                UntrustedTlsServer server = new UntrustedTlsServer(listener, certificate);
                _ = server.AcceptAsync();
                return server;
            }

            private async Task AcceptAsync()
            {
                while (true)
                {
                    TcpClient connection;
                    try
                    {
                        connection = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
                    {
                        return;
                    }

                    _ = ServeAsync(connection);
                }
            }

            private async Task ServeAsync(TcpClient connection)
            {
                using (connection)
                using (SslStream tls = new SslStream(connection.GetStream()))
                {
                    Interlocked.Increment(ref _handshakes);
                    try
                    {
                        await tls.AuthenticateAsServerAsync(_certificate).ConfigureAwait(false);
                        byte[] buffer = new byte[4096];
                        int read = await tls.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                        Interlocked.Add(ref _requestBytes, read);
                    }
                    catch (Exception e) when (e is IOException || e is System.Security.Authentication.AuthenticationException || e is ObjectDisposedException)
                    {
                        // The client refused the certificate: the handshake ends here, before any request.
                    }
                }
            }

            public void Dispose()
            {
                _listener.Stop();
                _certificate.Dispose();
            }
        }
    }
}
