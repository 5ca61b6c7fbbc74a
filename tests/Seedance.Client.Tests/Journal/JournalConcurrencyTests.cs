using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Seedance.Client.Journal;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Real separate processes (tests/Seedance.Journal.TestHost) writing one journal at once: nothing lost, nothing
    /// interleaved, and a daily limit that holds when two processes race for the last credits.
    /// </summary>
    public class JournalConcurrencyTests
    {
        private const int PerProcess = 500;

        private static List<JournalHostProcess> StartTogether(JournalFolder folder, params string[][] commands)
        {
            string go = Path.Combine(folder.Root, "go");
            List<JournalHostProcess> hosts = commands.Select(command => JournalHostProcess.Start(command.Select(arg => arg == "{go}" ? go : arg).ToArray())).ToList();
            hosts.ForEach(host => host.WaitUntilReady()); // both have opened the journal; start them on one signal
            File.WriteAllText(go, string.Empty);
            return hosts;
        }

        [Fact]
        public void TwoProcesses_Appending500Each_LoseNoneAndInterleaveNone()
        {
            using JournalFolder folder = new JournalFolder();
            List<JournalHostProcess> hosts = StartTogether(folder,
                new[] { "append", folder.JournalPath, PerProcess.ToString(), "A", "{go}" },
                new[] { "append", folder.JournalPath, PerProcess.ToString(), "B", "{go}" });
            long[][] spans = hosts.Select(host => host.Finish().Split(' ').Skip(1).Select(long.Parse).ToArray()).ToArray();
            hosts.ForEach(host => host.Dispose());

            // They really wrote at the same time (each started before the other finished), or the test proves nothing.
            Assert.True(spans[0][0] < spans[1][1] && spans[1][0] < spans[0][1], "the two processes did not overlap");

            // Every line is one whole record: the raw file, not just what the lenient reader accepts.
            string[] lines = folder.Lines();
            Assert.Equal(2 * PerProcess, lines.Length);
            List<string> ids = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("task").GetString()!).ToList();
            foreach (string tag in new[] { "A", "B" })
            {
                // Each process's records, all there, once each, in the order it wrote them.
                Assert.Equal(Enumerable.Range(0, PerProcess).Select(i => $"{tag}-{i:D4}"), ids.Where(id => id.StartsWith(tag + "-", StringComparison.Ordinal)));
            }

            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();
            Assert.Empty(snapshot.Problems);
            Assert.Equal(2 * PerProcess, snapshot.Tasks.Count);
        }

        [Fact]
        public void TwoProcesses_RacingADailyLimit_NeverExceedIt()
        {
            using JournalFolder folder = new JournalFolder();
            const int attempts = 300;
            const int fit = 500;
            const decimal price = 200m;
            const decimal limit = fit * price; // room for 500 of the 600 attempts: the race for the last ones decides
            List<JournalHostProcess> hosts = StartTogether(folder,
                new[] { "reserve", folder.JournalPath, attempts.ToString(), "200", limit.ToString(), "{go}" },
                new[] { "reserve", folder.JournalPath, attempts.ToString(), "200", limit.ToString(), "{go}" });
            string[][] results = hosts.Select(host => host.Finish().Split(' ')).ToArray();
            hosts.ForEach(host => host.Dispose());

            // They really raced: each started before the other finished.
            Assert.True(long.Parse(results[0][4]) < long.Parse(results[1][5]) && long.Parse(results[1][4]) < long.Parse(results[0][5]), "the two processes did not overlap");
            int reserved = results.Sum(result => int.Parse(result[1]));
            int exceeded = results.Sum(result => int.Parse(result[3]));
            Assert.Equal(fit, reserved);
            Assert.Equal(2 * attempts - fit, exceeded);

            // The journal agrees: exactly the intents that fit, each carrying its credits.
            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();
            Assert.Equal(fit, snapshot.Tasks.Count);
            Assert.Equal(limit, snapshot.Tasks.Sum(task => task.CreditsReserved));
            Assert.Equal(limit, snapshot.Spent(DateTimeOffset.UtcNow.AddDays(-1)));
            Assert.All(snapshot.Tasks, task => Assert.Equal(price, task.CreditsReserved));
        }

        /// <summary>
        /// Every attempt at the limit: each process refunds its previous task after each new reservation, so each holds
        /// one task between attempts and the two always compete for the one free slot. Replaying the file in order, the credits held when each intent was
        /// written (refunds counted as they appear) must never pass the limit: the check and the intent are one step.
        /// </summary>
        [Fact]
        public void TwoProcesses_RacingAtTheLimitOnEveryAttempt_NeverHoldMoreThanIt()
        {
            using JournalFolder folder = new JournalFolder();
            const decimal price = 200m;
            const decimal limit = 3 * price;
            List<JournalHostProcess> hosts = StartTogether(folder,
                new[] { "churn", folder.JournalPath, "200", "200", "600", "{go}" },
                new[] { "churn", folder.JournalPath, "200", "200", "600", "{go}" });
            string[][] results = hosts.Select(host => host.Finish().Split(' ')).ToArray();
            hosts.ForEach(host => host.Dispose());
            Assert.True(long.Parse(results[0][4]) < long.Parse(results[1][5]) && long.Parse(results[1][4]) < long.Parse(results[0][5]), "the two processes did not overlap");

            Dictionary<string, decimal> heldByIntent = new Dictionary<string, decimal>();
            Dictionary<string, string> intentOfTask = new Dictionary<string, string>();
            decimal held = 0m;
            decimal most = 0m;
            int intents = 0;
            foreach (string line in folder.Lines())
            {
                JsonElement record = JsonDocument.Parse(line).RootElement;
                switch (record.GetProperty("type").GetString())
                {
                    case "intent":
                        heldByIntent[record.GetProperty("intent").GetString()!] = price;
                        held += price;
                        most = Math.Max(most, held);
                        intents++;
                        break;
                    case "created":
                        intentOfTask[record.GetProperty("task").GetString()!] = record.GetProperty("intent").GetString()!;
                        break;
                    case "status":
                        string intent = intentOfTask[record.GetProperty("task").GetString()!];
                        held -= heldByIntent[intent];
                        heldByIntent[intent] = 0m;
                        break;
                }
            }

            // Each process holds one task between attempts, so every attempt of either is for the one free slot.
            Assert.All(results, result => Assert.True(int.Parse(result[1]) > 100, $"a process reserved only {result[1]} times"));
            Assert.Equal(results.Sum(result => int.Parse(result[1])), intents);
            Assert.True(most <= limit, $"{most} credits were held at once against a limit of {limit}");
        }

        [Fact]
        public void Threads_OfOneProcess_SharingOrNotSharingAnInstance_LoseNothing()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal shared = TaskJournal.Open(folder.JournalPath);
            TaskJournal other = TaskJournal.Open(folder.JournalPath);
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            {
                TaskJournal journal = worker % 2 == 0 ? shared : other;
                for (int i = 0; i < 100; i++)
                {
                    journal.RecordSaved($"T{worker}-{i:D3}", "/v/x.mp4", i);
                }
            });

            Assert.Equal(400, folder.Lines().Length);
            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();
            Assert.Empty(snapshot.Problems);
            Assert.Equal(400, snapshot.Tasks.Select(task => task.TaskId).Distinct().Count());
        }
    }
}
