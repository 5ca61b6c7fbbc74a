using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// One review page in one folder: the rows its data file remembers, the tasks added since, each row's last frame
    /// downloaded beside it, and the page and data file written over the old ones only whole (temporary file, then
    /// rename). Export-SeedanceGallery adds its tasks and writes once; Save-SeedanceVideo -Gallery keeps the same page up
    /// to date while the batch runs (<see cref="Arrived"/>, <see cref="SavedAsync"/>). Safe to call from several download
    /// tasks at once: rows and writes are under one lock.
    /// </summary>
    public sealed class GalleryExport
    {
        public const string PageFileName = "index.html";
        public const string DataFileName = "seedance-gallery.json";
        private const string PosterSuffix = ".last-frame";

        private readonly object _gate = new object();

        /// <summary>The page's rows, one per row key (<see cref="GalleryRow.Key"/>); <see cref="Ordered"/> puts them in batch order.</summary>
        private readonly Dictionary<string, GalleryRow> _rows = new Dictionary<string, GalleryRow>(StringComparer.Ordinal);
        private readonly decimal _usdPerCredit;

        /// <summary>The one size limit of the data file, for its read and its write (a test's is smaller).</summary>
        private readonly long _maxDataBytes;
        private Func<IReadOnlyList<SeedanceTask>>? _batch;

        /// <summary>The last write of the page failed and was said; the next failure is not said again until one succeeds.</summary>
        private bool _cannotWrite;
        private long _nextSequence;

        private GalleryExport(string folder, string title, decimal usdPerCredit, long maxDataBytes, IEnumerable<GalleryRow> remembered)
        {
            Folder = folder;
            Title = title;
            _usdPerCredit = usdPerCredit;
            _maxDataBytes = maxDataBytes;
            foreach (GalleryRow row in remembered)
            {
                _rows[row.Key()] = row;
                _nextSequence = Math.Max(_nextSequence, row.Sequence + 1);
            }
        }

        public string Folder { get; }
        public string Title { get; }
        public string PagePath => Path.Combine(Folder, PageFileName);

        /// <summary>The page of <paramref name="folder"/> with the rows its data file remembers.</summary>
        /// <param name="title">The page's title; null: the title the page already has, else the folder's name.</param>
        /// <exception cref="SeedanceException">GalleryDataUnreadable: The data file is there and cannot be read: nothing must be written over it.</exception>
        public static GalleryExport Open(string folder, string? title, decimal usdPerCredit, long maxDataBytes = GalleryDataFile.MaxBytes)
        {
            string full = Path.GetFullPath(folder);
            (string? rememberedTitle, IReadOnlyList<GalleryRow> rows) = GalleryDataFile.Read(Path.Combine(full, DataFileName), maxDataBytes);
            string? name = !string.IsNullOrWhiteSpace(title) ? title
                : !string.IsNullOrWhiteSpace(rememberedTitle) ? rememberedTitle
                : Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            return new GalleryExport(full, string.IsNullOrEmpty(name) ? "Seedance batch" : name!, usdPerCredit, maxDataBytes, rows);
        }

        /// <summary>
        /// Adds or updates the row of <paramref name="task"/>. <paramref name="videoPath"/> is its saved file when known;
        /// otherwise a succeeded task's file is looked for under the name Save-SeedanceVideo gives it in this folder.
        /// </summary>
        public GalleryRow Add(SeedanceTask task, string? videoPath)
        {
            GalleryRow row = RowOf(task);
            string? video = videoPath ?? DefaultVideoPath(task);
            if (video is not null && (videoPath is not null || File.Exists(video)))
            {
                row.VideoFile = RelativePath(Folder, Path.GetFullPath(video));
            }

            lock (_gate)
            {
                return Upsert(row);
            }
        }

        /// <summary>
        /// Puts <paramref name="row"/> in its place: a new row at the end of its creation time, or in place of the row of
        /// its key (a task that comes in again, or a re-run's new task of the same Name); a row that does not come in
        /// again stays as it was. A row's files are kept when the same task comes in again without them (a task piped
        /// without its file); a different task of the same Name (a re-run) replaces the row, files and all, unless it is older.
        /// </summary>
        internal GalleryRow Upsert(GalleryRow row)
        {
            if (!_rows.TryGetValue(row.Key(), out GalleryRow? known))
            {
                row.FirstCreatedAt ??= row.CreatedAt;
                row.Sequence = _nextSequence++;
                _rows[row.Key()] = row;
                return row;
            }

            bool sameTask = string.Equals(known.TaskId, row.TaskId, StringComparison.Ordinal);
            if (!sameTask && known.CreatedAt is DateTimeOffset knownAt && row.CreatedAt is DateTimeOffset rowAt && rowAt < knownAt)
            {
                // An older task of this Name (piped after its re-run): the row already shows the newer one.
                return known;
            }

            if (sameTask)
            {
                row.VideoFile ??= known.VideoFile;
                row.PosterFile ??= known.PosterFile;
                row.Prompt ??= known.Prompt;
                row.DurationSeconds ??= known.DurationSeconds;
                row.CompletedAt ??= known.CompletedAt;
                row.Model ??= known.Model;
                row.Width ??= known.Width;
                row.Height ??= known.Height;
                row.Seed ??= known.Seed;
                row.Credits ??= known.Credits;
                row.CreatedAt ??= known.CreatedAt;
            }

            row.FirstCreatedAt = known.FirstCreatedAt ?? row.CreatedAt;
            row.Sequence = known.Sequence;
            _rows[row.Key()] = row;
            return row;
        }

        /// <summary>Every row in batch order: by when the row's first task was created, then by arrival.</summary>
        internal IReadOnlyList<GalleryRow> Ordered() =>
            _rows.Values.OrderBy(row => row.FirstCreatedAt ?? DateTimeOffset.MaxValue).ThenBy(row => row.Sequence).ToList();

        /// <summary>
        /// Of the files the journal says a task's video was saved to, the one its card shows: the last one in this folder
        /// that is still there, else the last one in this folder (the card says it is missing), or null: then the page
        /// looks for the video under the name Save-SeedanceVideo gives it. A copy saved elsewhere is not beside the page.
        /// </summary>
        public string? SavedVideoOf(IEnumerable<string> savedPaths)
        {
            string folder = Folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            List<string> here = savedPaths.Where(path => path.StartsWith(folder, StringComparison.Ordinal)).ToList();
            return here.LastOrDefault(File.Exists) ?? here.LastOrDefault();
        }

        /// <summary>
        /// Adds the task's row and, when <paramref name="downloader"/> is given, downloads the last frame of a succeeded
        /// task beside the page through the module's download path (its checks: the key never sent, no address on this
        /// machine's own networks, whole files only) and ties it to the row. A row whose poster is already there is left
        /// alone. The file must be a PNG, JPEG or WebP image by its content, or it is removed. A last frame that cannot
        /// be fetched is said through <paramref name="warn"/> and the row stays (its video plays without a poster).
        /// </summary>
        public async Task<GalleryRow> AddWithPosterAsync(SeedanceTask task, string? videoPath, VideoDownloader? downloader, Action<string> warn, CancellationToken cancellationToken)
        {
            GalleryRow row = Add(task, videoPath);
            if (downloader is null || task.Status != SeedanceTaskStatus.Success || string.IsNullOrEmpty(task.LastFrameImage) ||
                row.TaskId != task.TaskId || (row.PosterFile is not null && FileBesidePage(row.PosterFile)))
            {
                return row;
            }

            try
            {
                if (!UrlChecks.IsWebUrl(task.LastFrameImage, out Uri? source))
                {
                    throw new InvalidDataException($"The last frame of {task.TaskId} is not an http(s) URL; it was not fetched.");
                }

                string stem = TaskFileName.StemOf(task.Name, task.TaskId);
                string path = TaskFileName.PathInFolder(Folder, stem, PosterSuffix + ".png");
                await downloader.DownloadAsync(
                    source!, "the last frame", path, (temporaryPath, _) => VideoDownloader.MoveIntoPlace(temporaryPath, path, overwrite: true), null, cancellationToken).ConfigureAwait(false);
                string extension = ImageExtensionOf(path);
                if (extension != ".png")
                {
                    path = VideoDownloader.MoveIntoPlace(path, TaskFileName.PathInFolder(Folder, stem, PosterSuffix + extension), overwrite: true);
                }

                lock (_gate)
                {
                    row.PosterFile = Path.GetFileName(path);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && !(e is OutOfMemoryException))
            {
                warn($"The last frame of {task.Name ?? task.TaskId} was not saved beside the page ({e.Message}); its card shows the video without a poster.");
            }

            return row;
        }

        /// <summary>Writes the page and its data file, each whole or not at all; returns the page's path.</summary>
        public string Write(DateTimeOffset now)
        {
            lock (_gate)
            {
                IReadOnlyList<GalleryRow> ordered = Ordered();
                string html = GalleryHtmlWriter.Write(Title, ordered, _usdPerCredit, now, FileBesidePage);
                // The data file first: a page is never newer than the rows that back it. Each replaced in one rename, and
                // only a regular file: renaming over a device (as root, /dev/null) or a FIFO would replace it.
                string data = Path.Combine(Folder, DataFileName);
                byte[] rows = GalleryDataFile.Serialize(Title, ordered, _maxDataBytes);
                OwnedFiles.EnsureRegularFileOrAbsent(data);
                OwnedFiles.EnsureRegularFileOrAbsent(PagePath);
                OwnedFiles.WriteWhole(data, rows, ownerOnly: false);
                OwnedFiles.WriteWhole(PagePath, GalleryDataFile.Utf8.GetBytes(html), ownerOnly: false);
                return PagePath;
            }
        }

        /// <summary>
        /// Save-SeedanceVideo -Gallery: a task came in, so its card is on the page at once (a failure with its words, a
        /// success as not saved yet). <paramref name="batch"/>: the pipeline's paid tasks, when known; every one of them is
        /// on the page, also those that never reach the save (failed upstream, still running, filtered out).
        /// </summary>
        /// <param name="warn">Where a page (or a last frame) that could not be written is said.</param>
        public void Arrived(SeedanceTask task, Func<IReadOnlyList<SeedanceTask>>? batch, Action<string> warn)
        {
            _batch ??= batch;
            Add(task, null);
            Write(warn);
        }

        /// <summary>Save-SeedanceVideo -Gallery: a task's first video is saved, so its card shows the file, with its last frame fetched beside it.</summary>
        public async Task SavedAsync(SeedanceTask task, int index, string path, VideoDownloader downloader, Action<string> warn, CancellationToken cancellationToken)
        {
            if (index != 0)
            {
                return;
            }

            await AddWithPosterAsync(task, path, downloader, warn, cancellationToken).ConfigureAwait(false);
            Write(warn);
        }

        /// <summary>
        /// Writes the page with every task of the batch it knows. A page that cannot be written is a warning, not an
        /// error: while the batch runs the videos matter more, and they keep coming.
        /// </summary>
        public void Write(Action<string> warn)
        {
            try
            {
                foreach (SeedanceTask known in _batch?.Invoke() ?? Array.Empty<SeedanceTask>())
                {
                    Add(known, null);
                }

                Write(DateTimeOffset.Now);
                _cannotWrite = false;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Said once until a write succeeds again: the page is written as each task comes, and the same failure
                // once per task would bury the batch's own warnings.
                if (!_cannotWrite)
                {
                    warn($"The review page '{PagePath}' could not be written: {e.Message}");
                }

                _cannotWrite = true;
            }
        }

        /// <summary>The row as the task shows it (no files yet).</summary>
        public static GalleryRow RowOf(SeedanceTask task) => new GalleryRow(task.TaskId)
        {
            Name = task.Name,
            Status = task.Status,
            Prompt = task.Prompt,
            Model = task.Model,
            DurationSeconds = task.Duration,
            Width = task.Width,
            Height = task.Height,
            Seed = task.Seed,
            Credits = task.CreditsUsed,
            CreatedAt = task.CreatedAt,
            CompletedAt = task.CompletedAt,
            ErrorCode = task.ErrorCode,
            ErrorMessage = task.ErrorMessage,
        };

        /// <summary>
        /// <paramref name="path"/> relative to <paramref name="folder"/>, '/' between segments ("promo-1.mp4",
        /// "../other/x.mp4"). Folders compared as the file system does (<see cref="OwnedFiles.PathComparer"/>).
        /// </summary>
        public static string RelativePath(string folder, string path)
        {
            char[] separators = { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };
            string[] from = Path.GetFullPath(folder).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            string[] to = Path.GetFullPath(path).Split(separators, StringSplitOptions.RemoveEmptyEntries);
            int common = 0;
            while (common < from.Length && common < to.Length - 1 && OwnedFiles.PathComparer.Equals(from[common], to[common]))
            {
                common++;
            }

            IEnumerable<string> up = Enumerable.Repeat("..", from.Length - common);
            return string.Join("/", up.Concat(to.Skip(common)));
        }

        /// <summary>Whether a file (relative to the page's folder, '/' between folders) is there.</summary>
        private bool FileBesidePage(string relative) => File.Exists(Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar)));

        private string? DefaultVideoPath(SeedanceTask task)
        {
            if (task.Status != SeedanceTaskStatus.Success)
            {
                return null;
            }

            string stem = TaskFileName.StemOf(task.Name, task.TaskId);
            return TaskFileName.Problem(stem) is null ? Path.Combine(Folder, stem + ".mp4") : null;
        }

        private static string ImageExtensionOf(string path)
        {
            MediaFormat? format = MediaSignature.DetectFile(path);
            if (format == MediaFormat.Png || format == MediaFormat.Jpeg || format == MediaFormat.WebP)
            {
                return format.PreferredExtension!;
            }

            File.Delete(path);
            throw new InvalidDataException($"The last frame downloaded to '{path}' is not a PNG, JPEG or WebP image ({format?.Name ?? "unknown content"}); it was removed.");
        }
    }
}
