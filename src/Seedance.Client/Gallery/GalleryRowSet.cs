using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// The rows of one page, one per row key, in batch order. A task comes in (again, or a re-run's new task of the
    /// same Name) and updates its row where it stands; a row that does not come in again stays as it was.
    /// </summary>
    public sealed class GalleryRowSet
    {
        private readonly Dictionary<string, GalleryRow> _rows = new Dictionary<string, GalleryRow>(StringComparer.Ordinal);
        private long _nextSequence;

        public GalleryRowSet()
        {
        }

        public GalleryRowSet(IEnumerable<GalleryRow> remembered)
        {
            foreach (GalleryRow row in remembered)
            {
                _rows[row.Key] = row;
                _nextSequence = Math.Max(_nextSequence, row.Sequence + 1);
            }
        }

        public int Count => _rows.Count;

        /// <summary>Every row in batch order: by when the row's first task was created, then by arrival.</summary>
        public IReadOnlyList<GalleryRow> Ordered() =>
            _rows.Values.OrderBy(row => row.FirstCreatedAt ?? DateTimeOffset.MaxValue).ThenBy(row => row.Sequence).ToList();

        /// <summary>
        /// Puts <paramref name="row"/> in its place: a new row at the end of its creation time, or in place of the row of
        /// its key. A row's files are kept when the same task comes in again without them (a task piped without its
        /// file); a different task of the same Name (a re-run) replaces the row, files and all, unless it is older.
        /// </summary>
        public GalleryRow Upsert(GalleryRow row)
        {
            if (!_rows.TryGetValue(row.Key, out GalleryRow? known))
            {
                row.FirstCreatedAt ??= row.CreatedAt;
                row.Sequence = _nextSequence++;
                _rows[row.Key] = row;
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
            _rows[row.Key] = row;
            return row;
        }

        /// <summary>The row of <paramref name="key"/>, or null.</summary>
        public GalleryRow? Find(string key) => _rows.TryGetValue(key, out GalleryRow? row) ? row : null;
    }
}
