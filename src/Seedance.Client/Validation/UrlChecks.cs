using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Seedance.Client.Validation
{
    /// <summary>
    /// What makes a material or callback URL waste money even though it parses: whitespace inside (two CSV values
    /// run together, a name with a space), a second scheme glued on, credentials in it, or a host the service cannot
    /// reach (this machine, a private network). Used by <see cref="CreateTaskRequestValidator"/>.
    /// </summary>
    internal static class UrlChecks
    {
        private static readonly Regex AnyScheme = new Regex(@"[a-z][a-z0-9+.\-]*://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        // Slashes or backslashes after the scheme, in any mix: .NET reads "https:/\user:pw@host" as user info too.
        private static readonly Regex UserInfo = new Regex(@"^([a-z][a-z0-9+.\-]*:[/\\]*)[^/\\?#@]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// True for an absolute http or https URL with a host: the only kind the service can fetch, and the only kind the
        /// module fetches from, sends to or takes from an answer.
        /// </summary>
        public static bool IsWebUrl(string? value, out Uri? uri)
        {
            uri = null;
            return value is not null && Uri.TryCreate(value, UriKind.Absolute, out uri) && IsWebUrl(uri);
        }

        /// <inheritdoc cref="IsWebUrl(string?, out Uri?)"/>
        public static bool IsWebUrl(Uri uri) =>
            uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host);

        /// <summary>Starts like a web URL: the checks below apply (anything else is judged by the older rules).</summary>
        public static bool LooksLikeWebUrl(string value) =>
            value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Written in the plain form "http(s)://host/..." with no backslash anywhere. .NET also takes "https:/\host",
        /// "https:\/host" or "https:\\host" as https://host, but the checks below read the host and the scheme from the
        /// text after the first "://", and a service may read a backslash otherwise: such a URL is refused, not judged.
        /// </summary>
        public static bool IsPlainWebUrl(string value) => LooksLikeWebUrl(value) && value.IndexOf('\\') < 0;

        /// <summary>The URL as it may be shown: user info replaced by ***, so a password never reaches a message or a target.</summary>
        public static string Displayable(string value) => UserInfo.Replace(value, "$1***@");

        public static bool HasWhitespace(string value)
        {
            foreach (char c in value)
            {
                if (char.IsWhiteSpace(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A C0 control or DEL written percent-encoded (%00-%1F, %7F): "%0d%0a" is a line break once decoded.</summary>
        public static bool HasEncodedControl(string value) => EncodedControl.IsMatch(value);

        private static readonly Regex EncodedControl = new Regex("%(?:[01][0-9a-f]|7f)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The host of <paramref name="value"/> as written and its ASCII form (IDNA; empty when it has none), when the
        /// host is not plain ASCII; else null. Such a host is refused rather than sent: IDNA versions map some names
        /// differently (ß, ς, joiners), three characters are read as a dot (<see cref="HasDotLookalike"/>), and a
        /// look-alike name ("pаypal" with a Cyrillic а) should be seen as the xn-- name it is before money is spent.
        /// Read from the text as given, not from <see cref="Uri"/>, which maps some of these silently.
        /// </summary>
        public static (string Host, string Ascii)? NonAsciiHost(string value)
        {
            int start = value.IndexOf("://", StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            string authority = value.Substring(start + 3);
            int end = authority.IndexOfAny(new[] { '/', '?', '#', '\\' });
            authority = end < 0 ? authority : authority.Substring(0, end);
            string host = authority.Substring(authority.LastIndexOf('@') + 1);
            int port = host.LastIndexOf(':');
            host = port > host.LastIndexOf(']') ? host.Substring(0, port) : host;
            if (host.All(c => c < 0x80))
            {
                return null;
            }

            try
            {
                return (host, new IdnMapping().GetAscii(host));
            }
            catch (ArgumentException)
            {
                return (host, string.Empty); // not even a valid international name
            }
        }

        /// <summary>U+3002, U+FF0E, U+FF61: IDNA reads each as a dot, so "ok.example。evil" is the host ok.example.evil.</summary>
        public static bool HasDotLookalike(string host) => host.IndexOfAny(new[] { '\u3002', '\uff0e', '\uff61' }) >= 0;

        /// <summary>
        /// A second "scheme://" before the query: "https://a/x.pnghttps://b/y.png" or "https://https://a/x.png". One in
        /// the query ("?url=https://...", an image proxy) is a normal parameter and allowed.
        /// </summary>
        public static bool HasSecondScheme(string value)
        {
            int afterScheme = value.IndexOf("://", StringComparison.Ordinal);
            if (afterScheme < 0)
            {
                return false;
            }

            string rest = value.Substring(afterScheme + 3);
            int query = rest.IndexOfAny(new[] { '?', '#' });
            return AnyScheme.IsMatch(query < 0 ? rest : rest.Substring(0, query));
        }

        public static bool HasCredentials(Uri uri) => !string.IsNullOrEmpty(uri.UserInfo);

        /// <summary>The host is this machine (localhost, a loopback address): a service there reaches what this machine does.</summary>
        public static bool IsThisMachine(Uri uri)
        {
            string host = uri.DnsSafeHost.TrimEnd('.').ToLowerInvariant();
            if (IPAddress.TryParse(host, out IPAddress? address))
            {
                return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }

            return host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);
        }

        /// <summary>Why the service (on the internet) cannot reach <paramref name="uri"/>'s host, or null when it may.</summary>
        public static string? Unreachable(Uri uri)
        {
            string host = uri.DnsSafeHost.TrimEnd('.').ToLowerInvariant();
            if (IPAddress.TryParse(host, out IPAddress? address))
            {
                return UnreachableAddress(address);
            }

            if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
            {
                return "this machine (localhost)";
            }

            foreach (string suffix in new[] { ".local", ".internal", ".lan", ".home.arpa", ".intranet" })
            {
                if (host.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return $"a local network name ({suffix})";
                }
            }

            return host.IndexOf('.') < 0 ? "a name without a domain, which only a local network resolves" : null;
        }

        private static string? UnreachableAddress(IPAddress address) => KindOf(address) switch
        {
            AddressKind.Public => null,
            AddressKind.Private when address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 =>
                "a private network address (IPv6 unique-local)",
            AddressKind kind => Describe(kind),
        };

        /// <summary>What a network kind is called in a message: "a link-local address".</summary>
        public static string Describe(AddressKind kind) => kind switch
        {
            AddressKind.Loopback => "this machine (a loopback address)",
            AddressKind.Private => "a private network address",
            AddressKind.LinkLocal => "a link-local address",
            AddressKind.CarrierNat => "a carrier-grade NAT address",
            _ => "an unroutable address",
        };

        /// <summary>
        /// Which kind of network <paramref name="address"/> is on: the internet (<see cref="AddressKind.Public"/>), or this
        /// machine or a network around it. IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are judged as the IPv4 address.
        /// </summary>
        public static AddressKind KindOf(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (IPAddress.IsLoopback(address))
            {
                return AddressKind.Loopback;
            }

            byte[] b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                if (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168))
                {
                    return AddressKind.Private;
                }

                if (b[0] == 169 && b[1] == 254)
                {
                    return AddressKind.LinkLocal;
                }

                if (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                {
                    return AddressKind.CarrierNat;
                }

                return b[0] == 0 ? AddressKind.Unroutable : AddressKind.Public;
            }

            if (address.IsIPv6LinkLocal)
            {
                return AddressKind.LinkLocal;
            }

            if ((b[0] & 0xFE) == 0xFC)
            {
                return AddressKind.Private;
            }

            return address.Equals(IPAddress.IPv6Any) ? AddressKind.Unroutable : AddressKind.Public;
        }

        /// <summary>The key two URLs are "the same material" by: scheme and host in any case, the rest exactly.</summary>
        public static string SameMaterialKey(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ? uri.AbsoluteUri : value;

        /// <summary>"@1", "@3": how the prompt names material number <paramref name="index"/> (0-based).</summary>
        public static string Reference(int index) => "@" + (index + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The kinds of network an address can be on (see <see cref="UrlChecks.KindOf"/>).</summary>
    internal enum AddressKind
    {
        /// <summary>The internet.</summary>
        Public,

        /// <summary>This machine: 127.0.0.0/8, ::1.</summary>
        Loopback,

        /// <summary>A private network: 10/8, 172.16/12, 192.168/16, fc00::/7.</summary>
        Private,

        /// <summary>The local link: 169.254/16 (cloud metadata services live here), fe80::/10.</summary>
        LinkLocal,

        /// <summary>An operator's shared network: 100.64/10.</summary>
        CarrierNat,

        /// <summary>0.0.0.0/8, ::: no host on the internet has it (a connection to it reaches this machine).</summary>
        Unroutable,
    }
}
