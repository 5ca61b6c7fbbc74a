using System;
using System.Linq;
using System.Reflection;
using System.Text;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The line format: every record type round-trips, newer versions are tolerated, and there is no place for a key.</summary>
    public class JournalRecordTests
    {
        private static readonly DateTimeOffset At = new DateTimeOffset(2026, 11, 25, 10, 30, 15, 123, TimeSpan.FromHours(2));

        private static readonly CreateTaskRequest FullRequest = new CreateTaskRequest
        {
            Model = "seedance2-fast",
            Prompt = "The cat in @1 walks\nthrough @2 \"quoted\" — ünïcödé 猫",
            ImageUrls = new[] { "https://a/1.png", "https://a/2.png" },
            VideoUrls = new[] { "https://a/dance.mp4" },
            AudioUrls = new[] { "https://a/song.mp3" },
            Ratio = "9:16",
            Duration = 8,
            Mode = "reference",
            CallbackUri = new Uri("https://hooks.example/x?y=1"),
            Name = "row-7",
            AdditionalInputs = new System.Collections.Generic.Dictionary<string, object?> { ["seed"] = 42L, ["watermark"] = false },
        };

        private static T RoundTrip<T>(T record) where T : JournalRecord
        {
            byte[] line = JournalRecordWriter.ToLine(record);
            Assert.Equal((byte)'\n', line[line.Length - 1]);
            Assert.Equal(1, line.Count(b => b == (byte)'\n')); // one line whatever the prompt holds
            JournalRecordReader.LineKind kind = JournalRecordReader.Read(line.AsMemory(0, line.Length - 1), out JournalRecord? read, out string? problem);
            Assert.True(kind == JournalRecordReader.LineKind.Record, problem);
            Assert.Equal(record.Time, read!.Time);
            return Assert.IsType<T>(read);
        }

        /// <summary>
        /// Every settable property of the create request, compared by value: a field added to CreateTaskRequest and not
        /// journaled fails here (an unknown-outcome create is only checkable, and re-sendable on purpose, whole).
        /// </summary>
        private static void AssertSameRequest(CreateTaskRequest expected, CreateTaskRequest actual)
        {
            foreach (PropertyInfo property in typeof(CreateTaskRequest).GetProperties().Where(property => property.CanWrite))
            {
                Assert.Equal(System.Text.Json.JsonSerializer.Serialize(property.GetValue(expected)), System.Text.Json.JsonSerializer.Serialize(property.GetValue(actual)));
            }
        }

        [Fact]
        public void Intent_RoundTrips_WithTheWholeRequest()
        {
            CreateIntentRecord read = RoundTrip(new CreateIntentRecord(At, "i1", "row-7", FullRequest, 224.5m, 4242, "box"));
            Assert.Equal("i1", read.IntentId);
            Assert.Equal("row-7", read.Name);
            Assert.Equal(224.5m, read.Credits);
            Assert.Equal(4242, read.ProcessId);
            Assert.Equal("box", read.Host);
            AssertSameRequest(FullRequest, read.Request);
        }

        [Fact]
        public void Created_OutcomeUnknown_Saved_Refused_Failure_Compaction_RoundTrip()
        {
            TaskCreatedRecord created = RoundTrip(new TaskCreatedRecord(At, "i1", "task_abc", "row-7"));
            Assert.Equal(("i1", "task_abc", "row-7"), (created.IntentId, created.TaskId, created.Name));

            CreateOutcomeUnknownRecord unknown = RoundTrip(new CreateOutcomeUnknownRecord(At, "i2", null, FullRequest, "timed out after 100 s"));
            Assert.Equal(("i2", null, "timed out after 100 s"), (unknown.IntentId, unknown.Name, unknown.Reason));
            AssertSameRequest(FullRequest, unknown.Request);

            SavedFileRecord saved = RoundTrip(new SavedFileRecord(At, "task_abc", "/videos/row 7.mp4", 5_000_000_000L));
            Assert.Equal(("task_abc", "/videos/row 7.mp4", 5_000_000_000L), (saved.TaskId, saved.Path, saved.Bytes));

            CreateRefusedRecord refused = RoundTrip(new CreateRefusedRecord(At, "i3", "InsufficientCredits", "Insufficient credits"));
            Assert.Equal(("i3", "InsufficientCredits", "Insufficient credits"), (refused.IntentId, refused.Code, refused.Message));

            FailureRecord failure = RoundTrip(new FailureRecord(At, "task_abc", "DownloadFailed", "connection reset"));
            Assert.Equal(("task_abc", "DownloadFailed", "connection reset"), (failure.TaskId, failure.Code, failure.Message));

            CompactionRecord compaction = RoundTrip(new CompactionRecord(At, "c1", 17));
            Assert.Equal(("c1", 17), (compaction.CompactionId, compaction.RemovedRecords));
        }

        [Fact]
        public void Status_RoundTrips_WithOutputsErrorAndCredits()
        {
            StatusRecord status = RoundTrip(new StatusRecord(
                At, "task_abc", SeedanceTaskStatus.Fail, "failed", 0.5m,
                new[] { new SeedanceVideo("https://static/x.mp4", 1280, 720, "video/mp4"), new SeedanceVideo("https://static/y.mp4", null, null, null) },
                new SeedanceTaskError("2038", "input text violates platform rules"), "seedance-20", At.AddMinutes(-3)));

            Assert.Equal(SeedanceTaskStatus.Fail, status.Status);
            Assert.Equal("failed", status.StatusText);
            Assert.Equal(0.5m, status.CreditsUsed);
            Assert.Equal(2, status.Outputs.Count);
            Assert.Equal(("https://static/x.mp4", (int?)1280, (int?)720, "video/mp4"), (status.Outputs[0].Url, status.Outputs[0].Width, status.Outputs[0].Height, status.Outputs[0].MediaType));
            Assert.Null(status.Outputs[1].Width);
            Assert.Equal(("2038", "input text violates platform rules"), (status.Error!.Code, status.Error.Message));
            Assert.Equal("seedance-20", status.Model);
            Assert.Equal(At.AddMinutes(-3), status.ServiceCreatedAt);

            StatusRecord bare = RoundTrip(new StatusRecord(At, "task_x", SeedanceTaskStatus.Unknown, "paused", null, Array.Empty<SeedanceVideo>(), null, null, null));
            Assert.Equal((SeedanceTaskStatus.Unknown, "paused", (decimal?)null, 0), (bare.Status, bare.StatusText, bare.CreditsUsed, bare.Outputs.Count));
        }

        [Fact]
        public void Line_IsCompactUtcJsonWithVersionAndReadableText()
        {
            CreateTaskRequest unnamed = new CreateTaskRequest { Prompt = FullRequest.Prompt };
            string line = Encoding.UTF8.GetString(JournalRecordWriter.ToLine(new CreateIntentRecord(At, "i1", null, unnamed, 320m, 1, null)));
            Assert.StartsWith("{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T08:30:15.123Z\",", line);
            Assert.Contains("ünïcödé 猫", line);          // not \u-escaped
            Assert.Contains("walks\\nthrough", line);     // the newline is escaped
            Assert.DoesNotContain("\"name\"", line);      // absent, not null
        }

        [Fact]
        public void UnknownFields_FromANewerVersion_AreIgnored()
        {
            string line = "{\"v\":7,\"type\":\"status\",\"time\":\"2026-11-25T08:30:15.123Z\",\"task\":\"task_abc\",\"status\":\"success\"," +
                "\"priority\":{\"nested\":[1,2,{\"deep\":true}]},\"credits\":200,\"outputs\":[{\"url\":\"https://s/x.mp4\",\"fps\":24}],\"extra\":null}";
            Assert.Equal(JournalRecordReader.LineKind.Record, JournalRecordReader.Read(Encoding.UTF8.GetBytes(line), out JournalRecord? record, out _));
            StatusRecord status = Assert.IsType<StatusRecord>(record);
            Assert.Equal((SeedanceTaskStatus.Success, (decimal?)200m, "https://s/x.mp4"), (status.Status, status.CreditsUsed, status.Outputs.Single().Url));
        }

        [Fact]
        public void TextReadBack_HasNoControlCharacters_IdsPathsAndUrlsAreExact()
        {
            // A journal line (written by an older version, or edited) with terminal escapes in every text field: an OSC
            // that retitles the window, a CSI that clears the screen, a bell, a bidi override.
            const string Evil = "\\u001b]0;pwned\\u0007\\u001b[2Jx\\u0007\\u202e";
            string intent = "{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T08:30:15Z\",\"intent\":\"i1\",\"name\":\"row" + Evil + "\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"a fox" + Evil + "\",\"images\":[\"https://s/a.png\"],\"name\":\"row" + Evil + "\"},\"credits\":200}";
            string failure = "{\"v\":1,\"type\":\"failure\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"task_1\",\"code\":\"E" + Evil + "\",\"message\":\"bad" + Evil + "\"}";
            string status = "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"task_1\",\"status\":\"fail\",\"statusText\":\"FAIL" + Evil + "\"," +
                "\"model\":\"m" + Evil + "\",\"error\":{\"code\":\"1" + Evil + "\",\"message\":\"no" + Evil + "\"}}";

            JournalRecordReader.Read(Encoding.UTF8.GetBytes(intent), out JournalRecord? a, out _);
            JournalRecordReader.Read(Encoding.UTF8.GetBytes(failure), out JournalRecord? b, out _);
            JournalRecordReader.Read(Encoding.UTF8.GetBytes(status), out JournalRecord? c, out _);

            CreateIntentRecord created = Assert.IsType<CreateIntentRecord>(a);
            FailureRecord failed = Assert.IsType<FailureRecord>(b);
            StatusRecord read = Assert.IsType<StatusRecord>(c);
            string[] texts = { created.Name!, created.Request.Prompt, created.Request.Name!, failed.Code!, failed.Message, read.StatusText!, read.Model!, read.Error!.Code!, read.Error.Message };
            foreach (string text in texts)
            {
                Assert.DoesNotContain(text, ch => ch < ' ' || (ch >= '\u007f' && ch <= '\u009f') || ch == '\u202e');
            }

            Assert.Equal(("rowx", "a foxx", "badx"), (created.Name, created.Request.Prompt, failed.Message));
            Assert.Equal("https://s/a.png", created.Request.ImageUrls.Single());
            Assert.Equal(("i1", "task_1"), (created.IntentId, failed.TaskId));
        }

        [Fact]
        public void OptionalFieldOfAnotherKind_ReadsAsAbsent()
        {
            string line = "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"t\",\"status\":\"waiting\",\"credits\":\"lots\",\"outputs\":\"none\"}";
            Assert.Equal(JournalRecordReader.LineKind.Record, JournalRecordReader.Read(Encoding.UTF8.GetBytes(line), out JournalRecord? record, out _));
            Assert.Null(((StatusRecord)record!).CreditsUsed);
        }

        [Theory]
        [InlineData("{\"v\":2,\"type\":\"checkpoint\",\"time\":\"2026-11-25T08:30:15Z\",\"what\":1}")]
        [InlineData("{\"v\":2,\"type\":\"checkpoint\"}")]
        public void UnknownRecordType_IsSkippedSilently(string line)
        {
            Assert.Equal(JournalRecordReader.LineKind.UnknownType, JournalRecordReader.Read(Encoding.UTF8.GetBytes(line), out JournalRecord? record, out string? problem));
            Assert.Null(record);
            Assert.Null(problem);
        }

        [Theory]
        [InlineData("{\"v\":1,\"type\":\"created\",\"ti", "not valid JSON")]
        [InlineData("[1,2]", "not a JSON object")]
        [InlineData("{\"v\":1,\"time\":\"2026-11-25T08:30:15Z\"}", "no record type")]
        [InlineData("{\"v\":1,\"type\":\"created\",\"intent\":\"i\",\"task\":\"t\"}", "without a valid time")]
        [InlineData("{\"v\":1,\"type\":\"created\",\"time\":\"2026-11-25T08:30:15Z\",\"intent\":\"i\"}", "without the ids")]
        [InlineData("\u0000\u0000\u0000", "not valid JSON")]
        public void Damage_IsUnreadableWithAReason(string line, string reason)
        {
            Assert.Equal(JournalRecordReader.LineKind.Unreadable, JournalRecordReader.Read(Encoding.UTF8.GetBytes(line), out _, out string? problem));
            Assert.Contains(reason, problem);
        }

        [Fact]
        public void NoRecordType_HasAPlaceForTheKey()
        {
            string[] forbidden = { "key", "auth", "token", "secret", "bearer", "header", "password", "credential" };
            Type[] types = typeof(JournalRecord).Assembly.GetTypes()
                .Where(type => typeof(JournalRecord).IsAssignableFrom(type) || type == typeof(CreateTaskRequest))
                .ToArray();
            Assert.True(types.Length >= 10, "every record type and the request were found");
            foreach (PropertyInfo property in types.SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            {
                Assert.DoesNotContain(forbidden, word => property.Name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);
            }
        }
    }
}
