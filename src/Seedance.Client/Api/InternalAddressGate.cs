using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Validation;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The one check of where the module fetches from (a video, a poster) or sends a file to (an upload slot), and of
    /// every redirect hop on the way: a URL the service hands out must not make this machine reach its own network.
    /// A host that is, or resolves to, a loopback, private, link-local, carrier-NAT or unroutable address (IPv4 or
    /// IPv6, also IPv4-mapped) is refused before anything is sent, unless the configured API host is itself on a
    /// network of that kind (the emulator on loopback serves its videos from loopback). Otherwise a hostile answer
    /// could save a router's page or a cloud metadata document (169.254.169.254) as a video, or probe ports here.
    /// </summary>
    /// <remarks>
    /// The name is resolved here, before the request; a name that cannot be resolved here is not refused (behind a
    /// proxy only the proxy may resolve it), and the request fails or goes on as it would have. A name whose answer
    /// changes between this check and the connection (DNS rebinding) is not covered: the module's HTTP stack must
    /// also run on .NET Framework, which has no hook at connect time.
    /// </remarks>
    public sealed class InternalAddressGate
    {
        private readonly Uri _apiBaseUri;
        private readonly object _gate = new object();
        private Task<HashSet<AddressKind>>? _apiKinds;

        public InternalAddressGate(Uri apiBaseUri)
        {
            _apiBaseUri = apiBaseUri;
        }

        /// <summary>Resolves a host name to its addresses (a test seam: tests give names the addresses they need).</summary>
        internal Func<string, Task<IPAddress[]>> Resolve { get; set; } = Dns.GetHostAddressesAsync;

        /// <summary>
        /// Throws a <see cref="SeedanceException"/> (InternalAddressRefused) when <paramref name="target"/> may not be fetched or sent to.
        /// </summary>
        /// <param name="what">What the URL is for, for the message: "the video", "the last frame", "the upload".</param>
        /// <param name="redirectedFrom">The URL that redirected here, or null for the URL the service gave.</param>
        public async Task EnsureAllowedAsync(Uri target, string what, Uri? redirectedFrom, CancellationToken cancellationToken)
        {
            if (!UrlChecks.IsWebUrl(target))
            {
                throw Problems.InternalAddressRefused(target, what, redirectedFrom, "is not an http(s) URL");
            }

            (AddressKind kind, string? address) = await KindOfHostAsync(target.DnsSafeHost).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (kind == AddressKind.Public)
            {
                return;
            }

            HashSet<AddressKind> allowed = await ApiKindsAsync().ConfigureAwait(false);
            if (!allowed.Contains(kind))
            {
                string where = address is null ? UrlChecks.Describe(kind) : $"resolves to {address}, {UrlChecks.Describe(kind)}";
                throw Problems.InternalAddressRefused(target, what, redirectedFrom,
                    $"{where}, and the API host ({_apiBaseUri.Host}) is not on such a network");
            }
        }

        /// <summary>The kinds of network the API host is on: downloads from those are the emulator's case, and allowed.</summary>
        private Task<HashSet<AddressKind>> ApiKindsAsync()
        {
            lock (_gate)
            {
                return _apiKinds ??= Load();
            }

            async Task<HashSet<AddressKind>> Load()
            {
                HashSet<AddressKind> kinds = new HashSet<AddressKind>();
                foreach (IPAddress address in await AddressesOfAsync(_apiBaseUri.DnsSafeHost).ConfigureAwait(false))
                {
                    kinds.Add(UrlChecks.KindOf(address));
                }

                return kinds;
            }
        }

        /// <summary>The most internal kind among the host's addresses (one internal address is enough to refuse), and which address.</summary>
        private async Task<(AddressKind Kind, string? Address)> KindOfHostAsync(string host)
        {
            if (IPAddress.TryParse(host, out IPAddress? literal))
            {
                return (UrlChecks.KindOf(literal), null);
            }

            foreach (IPAddress address in await AddressesOfAsync(host).ConfigureAwait(false))
            {
                AddressKind kind = UrlChecks.KindOf(address);
                if (kind != AddressKind.Public)
                {
                    return (kind, address.ToString());
                }
            }

            return (AddressKind.Public, null);
        }

        private async Task<IPAddress[]> AddressesOfAsync(string host)
        {
            if (IPAddress.TryParse(host, out IPAddress? literal))
            {
                return new[] { literal };
            }

            string name = host.TrimEnd('.');
            if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 6761: always this machine, whatever a resolver says.
                return new[] { IPAddress.Loopback, IPAddress.IPv6Loopback };
            }

            try
            {
                return await Resolve(name).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || e is ArgumentException)
            {
                return Array.Empty<IPAddress>();
            }
        }

    }
}
