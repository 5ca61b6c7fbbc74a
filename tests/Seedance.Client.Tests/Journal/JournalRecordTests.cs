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

        private static JournalRecord RoundTrip(JournalRecord record)
        {
            byte[] line = record.ToLine();
            Assert.Equal((byte)'\n', line[line.Length - 1]);
            Assert.Equal(1, line.Count(b => b == (byte)'\n')); // one line whatever the prompt holds
            JournalRecord? read = JournalRecord.Read(line.AsMemory(0, line.Length - 1), null, out string? problem);
            Assert.True(read is not null, problem);
            Assert.Equal(record.Time, read!.Time);
            Assert.Equal(record.Type, read.Type);
            return read;
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
            JournalRecord read = RoundTrip(new JournalRecord(JournalRecord.Intent, At) { IntentId = "i1", Name = "row-7", Request = FullRequest, Credits = 224.5m, ProcessId = 4242, Host = "box" });
            Assert.Equal("i1", read.IntentId);
            Assert.Equal("row-7", read.Name);
            Assert.Equal(224.5m, read.Credits);
            Assert.Equal(4242, read.ProcessId);
            Assert.Equal("box", read.Host);
            AssertSameRequest(FullRequest, read.Request!);
        }

        [Fact]
        public void Created_OutcomeUnknown_Saved_Refused_Compaction_SlotWait_RoundTrip()
        {
            JournalRecord created = RoundTrip(new JournalRecord(JournalRecord.Created, At) { IntentId = "i1", TaskId = "task_abc", Name = "row-7" });
            Assert.Equal(("i1", "task_abc", "row-7"), (created.IntentId, created.TaskId, created.Name));

            JournalRecord unknown = RoundTrip(new JournalRecord(JournalRecord.OutcomeUnknown, At) { IntentId = "i2", Request = FullRequest, Reason = "timed out after 100 s" });
            Assert.Equal(("i2", null, "timed out after 100 s"), (unknown.IntentId, unknown.Name, unknown.Reason));
            AssertSameRequest(FullRequest, unknown.Request!);

            JournalRecord saved = RoundTrip(new JournalRecord(JournalRecord.Saved, At) { TaskId = "task_abc", Path = "/videos/row 7.mp4", Bytes = 5_000_000_000L });
            Assert.Equal(("task_abc", "/videos/row 7.mp4", (long?)5_000_000_000L), (saved.TaskId, saved.Path, saved.Bytes));

            JournalRecord refused = RoundTrip(new JournalRecord(JournalRecord.Refused, At) { IntentId = "i3", Code = "InsufficientCredits", Message = "Insufficient credits" });
            Assert.Equal(("i3", "InsufficientCredits", "Insufficient credits"), (refused.IntentId, refused.Code, refused.Message));


            JournalRecord compaction = RoundTrip(new JournalRecord(JournalRecord.Compacted, At) { CompactionId = "c1", Removed = 17 });
            Assert.Equal(("c1", (int?)17), (compaction.CompactionId, compaction.Removed));

            JournalRecord slotWait = RoundTrip(new JournalRecord(JournalRecord.SlotWait, At) { IntentId = "i4", Waiting = false });
            Assert.Equal(("i4", (bool?)false), (slotWait.IntentId, slotWait.Waiting));
        }

        [Fact]
        public void Status_RoundTrips_WithOutputsErrorAndCredits()
        {
            JournalRecord status = RoundTrip(new JournalRecord(JournalRecord.Status, At)
            {
                TaskId = "task_abc", TaskStatus = SeedanceTaskStatus.Fail, StatusText = "failed", Credits = 0.5m,
                Outputs = new[] { new SeedanceVideo("https://static/x.mp4", 1280, 720, "video/mp4"), new SeedanceVideo("https://static/y.mp4", null, null, null) },
                Error = new SeedanceTaskError("2038", "input text violates platform rules"), Model = "seedance-20", ServiceCreatedAt = At.AddMinutes(-3),
            });

            Assert.Equal(SeedanceTaskStatus.Fail, status.TaskStatus);
            Assert.Equal("failed", status.StatusText);
            Assert.Equal(0.5m, status.Credits);
            Assert.Equal(2, status.Outputs.Count);
            Assert.Equal(("https://static/x.mp4", (int?)1280, (int?)720, "video/mp4"), (status.Outputs[0].Url, status.Outputs[0].Width, status.Outputs[0].Height, status.Outputs[0].MediaType));
            Assert.Null(status.Outputs[1].Width);
            Assert.Equal(("2038", "input text violates platform rules"), (status.Error!.Code, status.Error.Message));
            Assert.Equal("seedance-20", status.Model);
            Assert.Equal(At.AddMinutes(-3), status.ServiceCreatedAt);

            JournalRecord bare = RoundTrip(new JournalRecord(JournalRecord.Status, At) { TaskId = "task_x", TaskStatus = SeedanceTaskStatus.Unknown, StatusText = "paused" });
            Assert.Equal((SeedanceTaskStatus.Unknown, "paused", (decimal?)null, 0), (bare.TaskStatus, bare.StatusText, bare.Credits, bare.Outputs.Count));
        }

        [Fact]
        public void Line_IsCompactUtcJsonWithVersionAndReadableText()
        {
            CreateTaskRequest unnamed = new CreateTaskRequest { Prompt = FullRequest.Prompt };
            string line = Encoding.UTF8.GetString(new JournalRecord(JournalRecord.Intent, At) { IntentId = "i1", Request = unnamed, Credits = 320m, ProcessId = 1 }.ToLine());
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
            JournalRecord? status = JournalRecord.Read(Encoding.UTF8.GetBytes(line), null, out _);
            Assert.Equal((JournalRecord.Status, SeedanceTaskStatus.Success, (decimal?)200m, "https://s/x.mp4"), (status!.Type, status.TaskStatus, status.Credits, status.Outputs.Single().Url));
        }

        [Fact]
        public void TextReadBack_HasNoControlCharacters_IdsPathsAndUrlsAreExact()
        {
            // A journal line (written by an older version, or edited) with terminal escapes in every text field: an OSC
            // that retitles the window, a CSI that clears the screen, a bell, a bidi override.
            const string Evil = "\\u001b]0;pwned\\u0007\\u001b[2Jx\\u0007\\u202e";
            string intent = "{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T08:30:15Z\",\"intent\":\"i1\",\"name\":\"row" + Evil + "\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"a fox" + Evil + "\",\"images\":[\"https://s/a.png\"],\"name\":\"row" + Evil + "\"},\"credits\":200}";
            string failure = "{\"v\":1,\"type\":\"failure\",\"time\":\"2026-11-25T08:30:15Z\",\"intent\":\"i2\",\"code\":\"E" + Evil + "\",\"message\":\"bad" + Evil + "\"}";
            string status = "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"task_1\",\"status\":\"fail\",\"statusText\":\"FAIL" + Evil + "\"," +
                "\"model\":\"m" + Evil + "\",\"error\":{\"code\":\"1" + Evil + "\",\"message\":\"no" + Evil + "\"}}";

            JournalRecord? created = JournalRecord.Read(Encoding.UTF8.GetBytes(intent), null, out _);
            JournalRecord? failed = JournalRecord.Read(Encoding.UTF8.GetBytes(failure), null, out _);
            JournalRecord? read = JournalRecord.Read(Encoding.UTF8.GetBytes(status), null, out _);

            Assert.Equal((JournalRecord.Intent, JournalRecord.Refused, JournalRecord.Status), (created!.Type, failed!.Type, read!.Type)); // 0.1.0's refusal
            string[] texts = { created.Name!, created.Request!.Prompt, created.Request.Name!, failed.Code!, failed.Message!, read.StatusText!, read.Model!, read.Error!.Code!, read.Error.Message };
            foreach (string text in texts)
            {
                Assert.DoesNotContain(text, ch => ch < ' ' || (ch >= '\u007f' && ch <= '\u009f') || ch == '\u202e');
            }

            Assert.Equal(("rowx", "a foxx", "badx"), (created.Name, created.Request.Prompt, failed.Message));
            Assert.Equal("https://s/a.png", created.Request.ImageUrls.Single());
            Assert.Equal(("i1", "i2", "task_1"), (created.IntentId, failed.IntentId, read.TaskId));
        }

        [Fact]
        public void OptionalFieldOfAnotherKind_ReadsAsAbsent()
        {
            string line = "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"t\",\"status\":\"waiting\",\"credits\":\"lots\",\"outputs\":\"none\"}";
            JournalRecord? record = JournalRecord.Read(Encoding.UTF8.GetBytes(line), null, out _);
            Assert.Null(record!.Credits);
            Assert.Empty(record.Outputs);
        }

        [Theory]
        [InlineData("{\"v\":2,\"type\":\"checkpoint\",\"time\":\"2026-11-25T08:30:15Z\",\"what\":1}")]
        [InlineData("{\"v\":2,\"type\":\"checkpoint\"}")]
        [InlineData("{\"v\":1,\"type\":\"failure\",\"time\":\"2026-11-25T08:30:15Z\",\"task\":\"task_1\",\"code\":\"DownloadFailed\",\"message\":\"reset\"}")] // 0.1.0's, read by nothing
        public void UnknownRecordType_IsSkippedSilently(string line)
        {
            Assert.Null(JournalRecord.Read(Encoding.UTF8.GetBytes(line), null, out string? problem));
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
            Assert.Null(JournalRecord.Read(Encoding.UTF8.GetBytes(line), null, out string? problem));
            Assert.Contains(reason, problem);
        }

        [Fact]
        public void NoRecordType_HasAPlaceForTheKey()
        {
            string[] forbidden = { "key", "auth", "token", "secret", "bearer", "header", "password", "credential" };
            // One shape holds every record type's fields; with the request, the outputs and the error, that is all a line can hold.
            Type[] types = { typeof(JournalRecord), typeof(CreateTaskRequest), typeof(SeedanceVideo), typeof(SeedanceTaskError) };
            foreach (PropertyInfo property in types.SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            {
                Assert.DoesNotContain(forbidden, word => property.Name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);
            }
        }
    }
}
