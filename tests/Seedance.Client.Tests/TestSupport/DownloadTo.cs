using System;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;

namespace Seedance.Client.Tests.TestSupport
{
    /// <summary>The download path as the gallery's last frame uses it: the whole file renamed into place (over a regular file when <c>overwrite</c>).</summary>
    internal static class DownloadTo
    {
        public static async Task<long> DownloadAsync(this VideoDownloader downloader, Uri source, string what, string destinationPath, bool overwrite, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken) =>
            (await downloader.DownloadAsync(source, what, destinationPath, (temporaryPath, _) => VideoDownloader.MoveIntoPlace(temporaryPath, destinationPath, overwrite), progress, cancellationToken).ConfigureAwait(false)).Bytes;
    }
}
