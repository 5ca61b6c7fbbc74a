using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// Writes the page of a batch's rows as one self-contained HTML file: every row in batch order with its outcome,
    /// checked against the files on disk now, and the totals. Its style is inline, there is no script at all (the
    /// outcome filters are radio buttons and CSS), and nothing is fetched from anywhere but the files beside it, which
    /// its Content-Security-Policy enforces. Every value is escaped (<see cref="Escape"/>, <see cref="RelativeUrl"/>).
    /// </summary>
    public static class GalleryHtmlWriter
    {
        /// <summary>
        /// No script, no frames, no forms, no fonts; images and media only from the page's own folder (file: when opened
        /// from disk, 'self' when served); inline style only. A prompt that somehow became markup could load nothing.
        /// </summary>
        public const string ContentSecurityPolicy =
            "default-src 'none'; img-src 'self' file:; media-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

        /// <param name="orderedRows">The rows in batch order.</param>
        /// <param name="fileExists">Whether a file (relative to the page's folder) is there: the disk, or a test's stand-in.</param>
        public static string Write(string title, IReadOnlyList<GalleryRow> orderedRows, decimal usdPerCredit, DateTimeOffset writtenAt, Func<string, bool> fileExists)
        {
            GalleryOutcome[] outcomes = orderedRows.Select(row => row.OutcomeWith(fileExists)).ToArray();
            StringBuilder html = new StringBuilder(16 * 1024);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
                .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta name=\"generator\" content=\"Seedance Export-SeedanceGallery\">\n")
                .Append("<title>").Append(Escape(title)).Append(" · Seedance batch</title>\n")
                .Append("<style>").Append(Css.Value).Append("</style>\n</head>\n<body>\n");

            // The filters' radio buttons come first: CSS can then hide cards and light up labels that follow them.
            AppendFilterInputs(html);
            AppendHeader(html, title, orderedRows, outcomes, usdPerCredit, writtenAt);
            html.Append("<main class=\"cards\">\n");
            for (int i = 0; i < orderedRows.Count; i++)
            {
                AppendCard(html, orderedRows[i], outcomes[i], usdPerCredit, fileExists, i + 1);
            }

            if (orderedRows.Count == 0)
            {
                html.Append("<p class=\"empty\">No rows yet.</p>\n");
            }

            html.Append("</main>\n<footer>Written by Export-SeedanceGallery. Everything on this page is read from its own folder; nothing is loaded from the network.</footer>\n")
                .Append("</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>Each outcome's filter group on the page (saved, failed, or unsaved) and the badge its card wears.</summary>
        private static readonly Dictionary<GalleryOutcome, (string Group, string Badge)> Outcomes = new Dictionary<GalleryOutcome, (string, string)>
        {
            [GalleryOutcome.Saved] = ("saved", "Saved"),
            [GalleryOutcome.Failed] = ("failed", "Failed"),
            [GalleryOutcome.FileMissing] = ("unsaved", "File missing"),
            [GalleryOutcome.NotSaved] = ("unsaved", "Not saved"),
            [GalleryOutcome.NotFinished] = ("unsaved", "Not finished"),
        };

        public static string GroupOf(GalleryOutcome outcome) => Outcomes[outcome].Group;

        /// <summary>
        /// The page's one style sheet (Gallery.css, embedded), put inline: no file, no font, no image of its own. A grid of
        /// cards that is one column on a phone and three or four on a laptop; the outcome filters work by the checked
        /// radio button alone.
        /// </summary>
        private static readonly Lazy<string> Css = new Lazy<string>(() =>
        {
            using Stream stream = typeof(GalleryHtmlWriter).Assembly.GetManifestResourceStream("Seedance.Gallery.css")!;
            using StreamReader reader = new StreamReader(stream);
            return reader.ReadToEnd();
        });

        private static readonly (string Id, string Label, string Group)[] Filters =
        {
            ("show-all", "All", ""),
            ("show-saved", "Saved", "saved"),
            ("show-failed", "Failed", "failed"),
            ("show-unsaved", "Not saved", "unsaved"),
        };

        private static void AppendFilterInputs(StringBuilder html)
        {
            foreach ((string id, string _, string _) in Filters)
            {
                html.Append("<input type=\"radio\" name=\"show\" class=\"filter\" id=\"").Append(id).Append('"')
                    .Append(id == "show-all" ? " checked" : string.Empty).Append(">\n");
            }
        }

        private static void AppendHeader(StringBuilder html, string title, IReadOnlyList<GalleryRow> rows, GalleryOutcome[] outcomes, decimal usdPerCredit, DateTimeOffset writtenAt)
        {
            // Credits of every row that did not fail: the service refunds failed tasks.
            decimal credits = rows.Where((row, i) => outcomes[i] != GalleryOutcome.Failed).Sum(row => row.Credits ?? 0m);
            int succeeded = rows.Count(row => row.Status == Models.SeedanceTaskStatus.Success);
            html.Append("<header>\n<div class=\"title\"><h1>").Append(Escape(title)).Append("</h1>\n")
                .Append("<p class=\"written\">Written ").Append(writtenAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Append(" UTC · 1 credit = ").Append(Escape("$" + usdPerCredit.ToString("0.####", CultureInfo.InvariantCulture))).Append("</p></div>\n")
                .Append("<dl class=\"totals\">\n");
            Stat(html, "rows", "Rows", rows.Count.ToString(CultureInfo.InvariantCulture));
            Stat(html, "succeeded", "Succeeded", succeeded.ToString(CultureInfo.InvariantCulture));
            Stat(html, "failed", "Failed", outcomes.Count(outcome => outcome == GalleryOutcome.Failed).ToString(CultureInfo.InvariantCulture));

            // Rows without a video on disk that are not failed: not saved yet, file missing, or not finished.
            Stat(html, "unsaved", "Not yet saved", outcomes.Count(outcome => GroupOf(outcome) == "unsaved").ToString(CultureInfo.InvariantCulture));
            Stat(html, "credits", "Credits", Number(credits));
            Stat(html, "usd", "Dollars", Dollars(Math.Round(credits * usdPerCredit, 2)));
            html.Append("</dl>\n<nav class=\"filters\" aria-label=\"Show rows\">\n");
            foreach ((string id, string label, string group) in Filters)
            {
                int count = group.Length == 0 ? outcomes.Length : outcomes.Count(outcome => GroupOf(outcome) == group);
                html.Append("<label for=\"").Append(id).Append("\">").Append(label).Append(" <span>").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</span></label>\n");
            }

            html.Append("</nav>\n<p class=\"note\">Credits and dollars count every row that did not fail: the service refunds failed tasks.</p>\n</header>\n");
        }

        private static void Stat(StringBuilder html, string key, string label, string value) =>
            html.Append("<div class=\"stat ").Append(key).Append("\"><dt>").Append(label).Append("</dt><dd data-total=\"").Append(key).Append("\">")
                .Append(Escape(value)).Append("</dd></div>\n");

        private static void AppendCard(StringBuilder html, GalleryRow row, GalleryOutcome outcome, decimal usdPerCredit, Func<string, bool> fileExists, int number)
        {
            string group = GroupOf(outcome);
            html.Append("<article class=\"card ").Append(group).Append("\" id=\"row-").Append(number.ToString(CultureInfo.InvariantCulture))
                .Append("\" data-outcome=\"").Append(outcome.ToString()).Append("\" data-task-id=\"").Append(Escape(row.TaskId)).Append("\">\n");
            AppendFrame(html, row, outcome, row.PosterFile is not null && fileExists(row.PosterFile));
            html.Append("<div class=\"body\">\n<div class=\"headline\"><h2 class=\"name\">").Append(Escape(row.Name ?? row.TaskId)).Append("</h2>")
                .Append("<span class=\"badge ").Append(group).Append("\">").Append(Outcomes[outcome].Badge).Append("</span></div>\n");
            html.Append("<p class=\"prompt\">").Append(row.Prompt is null ? "<span class=\"unknown\">(prompt not known: the task was not created by this module)</span>" : Escape(row.Prompt)).Append("</p>\n");
            html.Append("<dl class=\"meta\">\n");
            Meta(html, "model", "Model", row.Model);
            Meta(html, "duration", "Duration", row.DurationSeconds is int seconds ? seconds.ToString(CultureInfo.InvariantCulture) + " s" : null);
            Meta(html, "resolution", "Resolution", row.Width is int w && row.Height is int h ? string.Format(CultureInfo.InvariantCulture, "{0}×{1}", w, h) : null);
            Meta(html, "seed", "Seed", row.Seed?.ToString(CultureInfo.InvariantCulture));
            Meta(html, "cost", "Cost", row.Credits is decimal credits ? Number(credits) + " cr · " + Dollars(Math.Round(credits * usdPerCredit, 2)) + (outcome == GalleryOutcome.Failed ? " (refunded)" : string.Empty) : null);
            Meta(html, "time", "Time taken", row.TimeTaken() is TimeSpan taken ? Duration(taken) : null);
            html.Append("</dl>\n<p class=\"task-id\">").Append(Escape(row.TaskId)).Append("</p>\n</div>\n</article>\n");
        }

        private static void AppendFrame(StringBuilder html, GalleryRow row, GalleryOutcome outcome, bool posterPresent)
        {
            switch (outcome)
            {
                case GalleryOutcome.Saved:
                    html.Append("<div class=\"frame\"><video controls preload=\"metadata\" playsinline src=\"").Append(RelativeUrl(row.VideoFile!)).Append('"');
                    if (posterPresent)
                    {
                        html.Append(" poster=\"").Append(RelativeUrl(row.PosterFile!)).Append('"');
                    }

                    html.Append("></video></div>\n");
                    return;
                case GalleryOutcome.Failed:
                    // Classed by the module's one failure table: Transient, Input, OutputModeration or Unknown.
                    string failureClass = FailureClasses.Classify(new Models.SeedanceTaskError(row.ErrorCode, row.ErrorMessage ?? string.Empty));
                    html.Append("<div class=\"frame failure\" data-failure-class=\"").Append(failureClass).Append("\"><p class=\"class\">")
                        .Append(FailureLabelOf(failureClass)).Append("</p>");
                    if (row.ErrorCode is not null)
                    {
                        html.Append("<p class=\"code\">code ").Append(Escape(row.ErrorCode)).Append("</p>");
                    }

                    html.Append("<blockquote class=\"words\">").Append(Escape(row.ErrorMessage ?? "(the service gave no reason)")).Append("</blockquote>")
                        .Append("<p class=\"advice\">").Append(Escape(FailureClasses.AdviceFor(failureClass))).Append("</p></div>\n");
                    return;
                case GalleryOutcome.FileMissing:
                    html.Append("<div class=\"frame missing\">");
                    AppendBackdrop(html, row, posterPresent);
                    html.Append("<p class=\"class\">File missing</p><p class=\"file\">").Append(Escape(row.VideoFile))
                        .Append("</p><p class=\"advice\">Saved once, no longer beside this page. Save it again with Save-SeedanceVideo -Force.</p></div>\n");
                    return;
                case GalleryOutcome.NotSaved:
                    html.Append("<div class=\"frame pending\">");
                    AppendBackdrop(html, row, posterPresent);
                    html.Append("<p class=\"class\">Not saved yet</p><p class=\"advice\">The video is ready: Save-SeedanceVideo downloads it.</p></div>\n");
                    return;
                default:
                    html.Append("<div class=\"frame pending\"><p class=\"class\">Not finished</p><p class=\"advice\">Status: ").Append(Escape(row.Status))
                        .Append(". Wait-SeedanceTask waits for it.</p></div>\n");
                    return;
            }
        }

        /// <summary>The last frame, faint behind a card's words, when the row has no video to show but its frame is here.</summary>
        private static void AppendBackdrop(StringBuilder html, GalleryRow row, bool posterPresent)
        {
            if (posterPresent)
            {
                html.Append("<img class=\"backdrop\" alt=\"\" src=\"").Append(RelativeUrl(row.PosterFile!)).Append("\">");
            }
        }

        private static void Meta(StringBuilder html, string key, string label, string? value) =>
            html.Append("<div class=\"").Append(key).Append("\"><dt>").Append(label).Append("</dt><dd>")
                .Append(value is null ? "—" : Escape(value)).Append("</dd></div>\n");

        /// <summary>A failure class as a reader says it.</summary>
        private static string FailureLabelOf(string failureClass) => failureClass switch
        {
            SeedanceFailureClass.Transient => "Transient failure",
            SeedanceFailureClass.Input => "Input refused",
            SeedanceFailureClass.OutputModeration => "Output moderation",
            _ => "Failed, reason unknown",
        };

        // The escaping every value on the page goes through: prompts, names, the service's words and file names are
        // untrusted, so text is always escaped (also quotes, so the same call serves attributes) and a file name becomes
        // a relative URL whose every segment is percent-encoded (no scheme, query or fragment can be smuggled in).

        /// <summary>
        /// Text for an element or a quoted attribute: cleaned as all text from outside is (<see cref="ServiceText.Clean"/>:
        /// terminal sequences, control characters other than newline and tab, and bidirectional overrides dropped), then
        /// &amp; &lt; &gt; " ' escaped.
        /// </summary>
        public static string Escape(string? text) =>
            ServiceText.Clean(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

        /// <summary>
        /// A relative path ('/' between folders, as the data file keeps it) as an escaped URL for src or poster: each
        /// segment percent-encoded, so "a b#1.mp4" is "a%20b%231.mp4" and a ':' can never start a scheme.
        /// </summary>
        public static string RelativeUrl(string relativePath)
        {
            string[] segments = relativePath.Split('/');
            for (int i = 0; i < segments.Length; i++)
            {
                segments[i] = Uri.EscapeDataString(segments[i]);
            }

            return Escape(string.Join("/", segments));
        }

        public static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "N0" : "N1", CultureInfo.InvariantCulture);

        public static string Dollars(decimal value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);

        /// <summary>"45 s", "2 min 05 s", "1 h 02 min".</summary>
        public static string Duration(TimeSpan time)
        {
            if (time.TotalHours >= 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} h {1:00} min", (int)time.TotalHours, time.Minutes);
            }

            return time.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0} min {1:00} s", (int)time.TotalMinutes, time.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0} s", Math.Max(0, (int)Math.Round(time.TotalSeconds)));
        }
    }
}
