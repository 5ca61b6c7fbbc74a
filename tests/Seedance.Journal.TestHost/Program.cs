using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Journal.TestHost
{
    /// <summary>
    /// Usage (every command prints "ready" once the journal is open, waits for GO_FILE to exist, then works):
    ///   append  PATH COUNT TAG GO_FILE [PACE]          COUNT status records, task ids TAG-0000...; prints "done START END" (ticks).
    ///                                                  With PACE, after each PACE records (the k-th time) it waits for GO_FILE.k to exist,
    ///                                                  so a test can make its own work (a compaction) happen between the appends.
    ///   reserve PATH ATTEMPTS CREDITS LIMIT GO_FILE    ATTEMPTS reservations against a daily limit; prints "reserved N exceeded M START END"
    ///   churn   PATH ATTEMPTS CREDITS LIMIT GO_FILE    like reserve, refunding its previous task after each new one (always at the limit)
    ///   open    PATH [UMASK]                           open (creating folders and file) and append one record
    ///   compact PATH [UMASK]                           open, append one record, compact
    /// UMASK (octal) is set first, so tests can check the modes the journal itself chooses.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            try
            {
                switch (args[0])
                {
                    case "append":
                        return Append(args[1], int.Parse(args[2]), args[3], args[4], args.Length > 5 ? int.Parse(args[5]) : 0);
                    case "reserve":
                        return Reserve(args[1], int.Parse(args[2]), decimal.Parse(args[3]), decimal.Parse(args[4]), args[5]);
                    case "churn":
                        return Churn(args[1], int.Parse(args[2]), decimal.Parse(args[3]), decimal.Parse(args[4]), args[5]);
                    case "open":
                    case "compact":
                        if (args.Length > 2)
                        {
                            umask(Convert.ToInt32(args[2], 8));
                        }

                        TaskJournal journal = TaskJournal.Open(args[1]);
                        journal.RecordStatus(new SeedanceTask("task_perm") { Status = SeedanceTaskStatus.Waiting });
                        if (args[0] == "compact" && !journal.Compact(force: true).Compacted)
                        {
                            throw new InvalidOperationException("compaction did not run: " + journal.LastCompaction?.NotDoneBecause);
                        }

                        Console.WriteLine("done");
                        return 0;
                    default:
                        Console.Error.WriteLine("unknown command " + args[0]);
                        return 2;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                return 1;
            }
        }

        private static int Append(string path, int count, string tag, string goFile, int pace)
        {
            TaskJournal journal = Ready(path, goFile);
            long started = DateTime.UtcNow.Ticks;
            for (int i = 0; i < count; i++)
            {
                journal.RecordStatus(new SeedanceTask($"{tag}-{i:D4}") { Status = SeedanceTaskStatus.Waiting }); // one plain append per record
                if (pace > 0 && (i + 1) % pace == 0 && i + 1 < count)
                {
                    WaitFor(goFile + "." + ((i + 1) / pace));
                }
            }

            // When it worked, so the test can check that the two processes really wrote at the same time.
            Console.WriteLine($"done {started} {DateTime.UtcNow.Ticks}");
            return 0;
        }

        private static int Reserve(string path, int attempts, decimal credits, decimal limit, string goFile)
        {
            TaskJournal journal = Ready(path, goFile);
            long started = DateTime.UtcNow.Ticks;
            int reserved = 0;
            int exceeded = 0;
            for (int i = 0; i < attempts; i++)
            {
                CreateTaskRequest request = new CreateTaskRequest { Prompt = $"race {Environment.ProcessId} {i}", Duration = 5 };
                JournalReservation reservation = journal.ReserveCreate(request, null, credits, limit);
                if (reservation.Outcome == JournalReservationOutcome.Reserved)
                {
                    reserved++;
                    journal.RecordCreated(reservation, $"task_{Environment.ProcessId}_{i}");
                }
                else
                {
                    exceeded++;
                }
            }

            Console.WriteLine($"reserved {reserved} exceeded {exceeded} {started} {DateTime.UtcNow.Ticks}");
            return 0;
        }

        /// <summary>
        /// Keeps the budget at its limit the whole time, so every attempt races: each new reservation is followed by the
        /// refund of this process's previous task (a failed task the service shows charged 0), so each process holds one
        /// or two tasks, and two processes want more than the limit allows.
        /// </summary>
        private static int Churn(string path, int attempts, decimal credits, decimal limit, string goFile)
        {
            TaskJournal journal = Ready(path, goFile);
            long started = DateTime.UtcNow.Ticks;
            string? previous = null;
            int reserved = 0;
            for (int i = 0; i < attempts; i++)
            {
                // A pause between creates, as the HTTP request of a real one makes: without it, a process that appends
                // in a tight loop takes the lock again before the other one's next poll (the lock is not a queue).
                Thread.Sleep(1);
                JournalReservation reservation = journal.ReserveCreate(new CreateTaskRequest { Prompt = $"churn {i}" }, null, credits, limit);
                if (reservation.Outcome != JournalReservationOutcome.Reserved)
                {
                    continue;
                }

                reserved++;
                string taskId = $"task_{Environment.ProcessId}_{i}";
                journal.RecordCreated(reservation, taskId);
                if (previous is not null)
                {
                    journal.RecordStatus(new SeedanceTask(previous) { Status = SeedanceTaskStatus.Fail, StatusText = "fail", CreditsUsed = 0m });
                }

                previous = taskId;
            }

            Console.WriteLine($"reserved {reserved} exceeded {attempts - reserved} {started} {DateTime.UtcNow.Ticks}");
            return 0;
        }

        private static TaskJournal Ready(string path, string goFile)
        {
            // Warm up on a scratch journal first (JIT), so both processes start at full speed on the signal.
            string scratch = path + "." + Environment.ProcessId + ".warmup";
            TaskJournal warm = TaskJournal.Open(scratch);
            JournalReservation first = warm.ReserveCreate(new CreateTaskRequest { Prompt = "warm up" }, "warm", 1m, 10m);
            warm.RecordCreated(first, "task_warm");
            warm.RecordStatus(new SeedanceTask("task_warm") { Status = SeedanceTaskStatus.Success });
            File.Delete(scratch);
            File.Delete(scratch + ".lock");

            TaskJournal journal = TaskJournal.Open(path);
            Console.WriteLine("ready");
            Console.Out.Flush();
            WaitFor(goFile);
            return journal;
        }

        /// <summary>Waits for the test's signal; a minute without it fails the helper rather than hanging the test run.</summary>
        private static void WaitFor(string file)
        {
            DateTime giveUp = DateTime.UtcNow.AddMinutes(1);
            while (!File.Exists(file))
            {
                if (DateTime.UtcNow > giveUp)
                {
                    throw new TimeoutException("no signal " + file);
                }

                Thread.Sleep(1);
            }
        }

        [DllImport("libc")]
        private static extern int umask(int mask);
    }
}
