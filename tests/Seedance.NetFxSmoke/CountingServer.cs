using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.NetFxSmoke
{
    /// <summary>
    /// A loopback HTTP server that counts the connections open at once. /video/N holds its answer until four are open
    /// (or 5 s pass), so a client limited to two connections shows as two; /stall/N sends headers and a few bytes of a
    /// longer body, then nothing.
    /// </summary>
    internal sealed class CountingServer : IDisposable
    {
        private const int Expected = 4;
        private readonly TcpListener _listener;
        private readonly TaskCompletionSource<bool> _four = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _stalled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _open;
        private int _most;

        private CountingServer(TcpListener listener) => _listener = listener;

        public Uri BaseUri => new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int MostAtOnce => Volatile.Read(ref _most);

        public Task StalledOnce => _stalled.Task;

        public static CountingServer Start()
        {
            TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            CountingServer server = new CountingServer(listener);
            _ = server.AcceptAsync();
            return server;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection;
                try
                {
                    connection = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            int open = Interlocked.Increment(ref _open);
            int most;
            while ((most = Volatile.Read(ref _most)) < open && Interlocked.CompareExchange(ref _most, open, most) != most)
            {
            }

            try
            {
                using (connection)
                {
                    NetworkStream stream = connection.GetStream();
                    string path = await ReadRequestPathAsync(stream).ConfigureAwait(false);
                    if (path.StartsWith("/stall/", StringComparison.Ordinal))
                    {
                        await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 100000\r\nETag: \"stall\"\r\n\r\n0123456789").ConfigureAwait(false);
                        _stalled.TrySetResult(true);

                        // Nothing more: wait for the client to close (a read of 0) or the end of the run.
                        byte[] sink = new byte[1];
                        Task closed = stream.ReadAsync(sink, 0, 1);
                        await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(60), _stop.Token)).ConfigureAwait(false);
                        return;
                    }

                    if (open >= Expected)
                    {
                        _four.TrySetResult(true);
                    }

                    await Task.WhenAny(_four.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
                    byte[] body = new byte[1024];
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {body.Length}\r\nETag: \"v\"\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
                    await stream.WriteAsync(body, 0, body.Length).ConfigureAwait(false);
                    await stream.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }

        private static async Task<string> ReadRequestPathAsync(NetworkStream stream)
        {
            StringBuilder head = new StringBuilder();
            byte[] one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, 0, 1).ConfigureAwait(false) == 0)
                {
                    break;
                }

                head.Append((char)one[0]);
            }

            string[] requestLine = head.ToString().Split('\r')[0].Split(' ');
            return requestLine.Length > 1 ? requestLine[1] : "/";
        }

        private static Task WriteAsync(NetworkStream stream, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            return stream.WriteAsync(bytes, 0, bytes.Length);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
