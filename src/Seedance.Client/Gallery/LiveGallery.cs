using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// The review page of Save-SeedanceVideo -Gallery, kept up to date while the batch runs: a card as each task arrives
    /// (a failure with its words, a success as not saved yet), filled in as its file lands, and every task of the
    /// pipeline's batch on it, also those that never reach the save (failed upstream, still running, filtered out). A
    /// page that cannot be written is a warning: the videos matter more, and they keep coming.
    /// </summary>
    public sealed class LiveGallery
    {
        private readonly GalleryExport _page;
        private Func<IReadOnlyList<SeedanceTask>>? _batch;

        public LiveGallery(GalleryExport page)
        {
            _page = page;
        }

        public string PagePath => _page.PagePath;

        /// <summary>A task came in: its card at once. <paramref name="batch"/>: the pipeline's paid tasks, when known.</summary>
        /// <param name="warn">Where a page (or a last frame) that could not be written is said.</param>
        public void Arrived(SeedanceTask task, Func<IReadOnlyList<SeedanceTask>>? batch, Action<string> warn)
        {
            _batch ??= batch;
            _page.Add(task, null);
            Write(warn);
        }

        /// <summary>A task's first video is saved: its card shows the file, with its last frame fetched beside it.</summary>
        public async Task SavedAsync(SeedanceTask task, int index, string path, VideoDownloader downloader, Action<string> warn, CancellationToken cancellationToken)
        {
            if (index != 0)
            {
                return;
            }

            await _page.AddWithPosterAsync(task, path, downloader, warn, cancellationToken).ConfigureAwait(false);
            Write(warn);
        }

        /// <summary>Writes the page with every task of the batch it knows.</summary>
        public void Write(Action<string> warn)
        {
            try
            {
                foreach (SeedanceTask known in _batch?.Invoke() ?? Array.Empty<SeedanceTask>())
                {
                    _page.Add(known, null);
                }

                _page.Write(DateTimeOffset.Now);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                warn($"The review page '{_page.PagePath}' could not be written: {e.Message}");
            }
        }
    }
}
