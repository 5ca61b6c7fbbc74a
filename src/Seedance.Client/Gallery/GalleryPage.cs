using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Seedance.Client.Gallery
{
    /// <summary>What a card shows in place of (or as) its video.</summary>
    public enum GalleryOutcome
    {
        /// <summary>Succeeded and its video is on disk beside the page.</summary>
        Saved,

        /// <summary>The task failed: its failure class and the service's words instead of a video.</summary>
        Failed,

        /// <summary>Succeeded, not saved yet.</summary>
        NotSaved,

        /// <summary>Saved once, but the file is no longer there.</summary>
        FileMissing,

        /// <summary>Not finished (waiting, generating, or a status this version does not know).</summary>
        NotFinished,
    }

    /// <summary>One card: a row and what became of it, as of the page's writing.</summary>
    public sealed class GalleryCard
    {
        public GalleryCard(GalleryRow row, GalleryOutcome outcome, bool posterPresent, decimal? usd)
        {
            Row = row;
            Outcome = outcome;
            PosterPresent = posterPresent;
            Usd = usd;
        }

        public GalleryRow Row { get; }
        public GalleryOutcome Outcome { get; }
        public bool PosterPresent { get; }
        public decimal? Usd { get; }
        /// <summary>For a failed row, its class by the module's one failure table (<see cref="FailureClasses"/>): Transient, Input, OutputModeration or Unknown.</summary>
        public string? FailureClass => Outcome == GalleryOutcome.Failed
            ? FailureClasses.Classify(new Models.SeedanceTaskError(Row.ErrorCode, Row.ErrorMessage ?? string.Empty))
            : null;
    }

    /// <summary>The header's totals.</summary>
    public sealed class GalleryTotals
    {
        public int Rows { get; internal set; }
        public int Succeeded { get; internal set; }
        public int Failed { get; internal set; }

        /// <summary>Rows without a video on disk that are not failed: not saved yet, file missing, or not finished.</summary>
        public int NotYetSaved { get; internal set; }

        /// <summary>Credits of every row that did not fail (the service refunds failed tasks).</summary>
        public decimal Credits { get; internal set; }
        public decimal Usd { get; internal set; }
    }

    /// <summary>
    /// The page as it is written: every row in batch order with its outcome, checked against the files on disk now,
    /// and the totals. No HTML here (<see cref="GalleryHtmlWriter"/>), no PowerShell.
    /// </summary>
    public sealed class GalleryPage
    {
        private GalleryPage(string title, DateTimeOffset writtenAt, decimal usdPerCredit, IReadOnlyList<GalleryCard> cards, GalleryTotals totals)
        {
            Title = title;
            WrittenAt = writtenAt;
            UsdPerCredit = usdPerCredit;
            Cards = cards;
            Totals = totals;
        }

        public string Title { get; }
        public DateTimeOffset WrittenAt { get; }
        public decimal UsdPerCredit { get; }
        public IReadOnlyList<GalleryCard> Cards { get; }
        public GalleryTotals Totals { get; }

        /// <param name="fileExists">Whether a file (relative to the page's folder) is there: the disk, or a test's stand-in.</param>
        public static GalleryPage Build(string title, IEnumerable<GalleryRow> orderedRows, decimal usdPerCredit, DateTimeOffset writtenAt, Func<string, bool> fileExists)
        {
            List<GalleryCard> cards = new List<GalleryCard>();
            GalleryTotals totals = new GalleryTotals();
            foreach (GalleryRow row in orderedRows)
            {
                GalleryOutcome outcome = OutcomeOf(row, fileExists);
                decimal? usd = row.Credits is decimal credits ? Math.Round(credits * usdPerCredit, 2) : (decimal?)null;
                cards.Add(new GalleryCard(row, outcome, row.PosterFile is not null && fileExists(row.PosterFile), usd));

                totals.Rows++;
                if (outcome == GalleryOutcome.Failed)
                {
                    totals.Failed++;
                    continue;
                }

                if (row.Status == Models.SeedanceTaskStatus.Success)
                {
                    totals.Succeeded++;
                }

                if (outcome != GalleryOutcome.Saved)
                {
                    totals.NotYetSaved++;
                }

                totals.Credits += row.Credits ?? 0m;
            }

            totals.Usd = Math.Round(totals.Credits * usdPerCredit, 2);
            return new GalleryPage(title, writtenAt, usdPerCredit, cards, totals);
        }

        /// <summary>Checks files relative to <paramref name="folder"/>.</summary>
        public static Func<string, bool> FilesIn(string folder) =>
            relative => File.Exists(Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar)));

        private static GalleryOutcome OutcomeOf(GalleryRow row, Func<string, bool> fileExists)
        {
            switch (row.Status)
            {
                case Models.SeedanceTaskStatus.Fail:
                    return GalleryOutcome.Failed;
                case Models.SeedanceTaskStatus.Success:
                    if (row.VideoFile is null)
                    {
                        return GalleryOutcome.NotSaved;
                    }

                    return fileExists(row.VideoFile) ? GalleryOutcome.Saved : GalleryOutcome.FileMissing;
                default:
                    return GalleryOutcome.NotFinished;
            }
        }

        /// <summary>The filter group a card belongs to on the page: saved, failed, or unsaved.</summary>
        public static string GroupOf(GalleryOutcome outcome) => outcome switch
        {
            GalleryOutcome.Saved => "saved",
            GalleryOutcome.Failed => "failed",
            _ => "unsaved",
        };

        internal static int Count(IEnumerable<GalleryCard> cards, string group) => cards.Count(card => GroupOf(card.Outcome) == group);
    }
}
