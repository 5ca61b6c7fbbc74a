using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Seedance.Client.Files
{
    /// <summary>
    /// A lock on one file the module owns, across processes and threads: every append and read-modify-write of the task
    /// journal takes it, and so does a change of the stored settings.
    /// </summary>
    /// <remarks>
    /// A lock file beside the file it guards. On Windows it is held open with FileShare.None, a sharing mode the OS enforces.
    /// On Unix it is opened like every file the module owns (<see cref="OwnedFiles"/>: no link followed, the user's
    /// own; anything else is an <see cref="OwnedFileException"/>) and locked with flock(LOCK_EX), advisory but honoured
    /// by every process that uses this code (and the same lock .NET's FileShare.None takes, so older versions exclude
    /// this one too); the call is checked, so a file that cannot be locked is an error, never silently unlocked. Either way the OS releases it when the
    /// holder dies, so a killed process never leaves a stale lock (which a lock that is a file's existence would).
    /// Only a held lock is waited for: a lock file that cannot be opened fails at once. Threads of one process
    /// (ForEach-Object -Parallel) queue on a semaphore first instead of polling the file. Its failures are the
    /// framework's (a lock held too long, a file system without locks), so each owner says them in its own words.
    /// </remarks>
    internal sealed class FileLock : IDisposable
    {
        // Short waits: the lock is free again within a millisecond, and a process that polls slowly would lose every
        // race against one appending in a loop (flock has no queue of waiters to be fair with).
        private const int MaxDelayMilliseconds = 4;

        private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess =
            new ConcurrentDictionary<string, SemaphoreSlim>(OwnedFiles.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        [ThreadStatic]
        private static Random? t_jitter;

        private readonly SemaphoreSlim _gate;
        private FileStream? _file;

        private FileLock(SemaphoreSlim gate, FileStream file)
        {
            _gate = gate;
            _file = file;
        }

        /// <exception cref="TimeoutException">Another process held the lock for longer than <paramref name="timeout"/>.</exception>
        /// <exception cref="NotSupportedException">The file system refuses file locks.</exception>
        /// <exception cref="OwnedFileException">The lock file is a link, another user's, or open to others.</exception>
        public static FileLock Acquire(string lockPath, TimeSpan timeout)
        {
            Stopwatch clock = Stopwatch.StartNew();
            SemaphoreSlim gate = InProcess.GetOrAdd(lockPath, _ => new SemaphoreSlim(1, 1));
            if (!gate.Wait(timeout))
            {
                throw TimedOut(lockPath, timeout, null);
            }

            try
            {
                return new FileLock(gate, TakeFileLock(lockPath, clock, timeout));
            }
            catch
            {
                gate.Release();
                throw;
            }
        }

        public void Dispose()
        {
            FileStream? file = Interlocked.Exchange(ref _file, null);
            if (file is not null)
            {
                file.Dispose(); // closing the handle releases the OS lock
                _gate.Release();
            }
        }

        private static FileStream TakeFileLock(string lockPath, Stopwatch clock, TimeSpan timeout)
        {
            int delay = 1;
            Exception? lastBusy = null;
            while (true)
            {
                FileStream? file = null;
                try
                {
                    // Windows enforces the sharing mode; on Unix the owned file (no link followed) is locked with flock below.
                    file = OwnedFiles.IsWindows
                        ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1)
                        : OwnedFiles.OpenOrCreate(lockPath, FileAccess.ReadWrite, OwnedFilePrivacy.NotWritableByOthers);
                    if (OwnedFiles.IsWindows || HoldsUnixLock(file, lockPath))
                    {
                        return file;
                    }

                    file.Dispose();
                }
                catch (IOException e) when (OwnedFiles.IsWindows && !(e is FileNotFoundException || e is DirectoryNotFoundException || e is PathTooLongException))
                {
                    // A sharing violation: another process holds it.
                    file?.Dispose();
                    lastBusy = e;
                }
                catch
                {
                    file?.Dispose();
                    throw;
                }

                if (clock.Elapsed >= timeout)
                {
                    throw TimedOut(lockPath, timeout, lastBusy);
                }

                t_jitter ??= new Random(Guid.NewGuid().GetHashCode());
                Thread.Sleep(delay + t_jitter.Next(delay + 1));
                delay = Math.Min(delay * 2, MaxDelayMilliseconds);
            }
        }

        private static bool HoldsUnixLock(FileStream file, string lockPath)
        {
            int fd = file.SafeFileHandle.DangerousGetHandle().ToInt32();
            while (true)
            {
                // Taking a lock this descriptor already holds (the normal case: .NET took it) succeeds at once.
                if (UnixNative.FileLock(fd, UnixNative.LockExclusive | UnixNative.LockNonBlocking) == 0)
                {
                    return true;
                }

                int errno = UnixNative.LastError;
                if (UnixNative.IsInterrupted(errno))
                {
                    continue;
                }

                if (UnixNative.IsWouldBlock(errno))
                {
                    return false;
                }

                throw new NotSupportedException($"The file system of '{lockPath}' does not support file locks (errno {errno}).");
            }
        }

        private static TimeoutException TimedOut(string lockPath, TimeSpan timeout, Exception? inner) =>
            new TimeoutException($"The lock file '{lockPath}' was held by another process for more than {timeout.TotalSeconds:0} s.", inner);
    }
}
