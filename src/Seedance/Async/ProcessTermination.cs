using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// A request to end the whole process (SIGTERM from docker stop, systemd or kill; SIGHUP from a closed terminal or SSH
    /// session) reaches the running commands as Ctrl+C does: each is stopped (StopProcessing), so a create already sent
    /// gets the same bounded grace (CreatesInFlight.SendAsync) to bring its answer, its id is journaled and the paid tasks are named;
    /// then the process ends as it was asked to. Without this the runtime ended pwsh at once and the paid id of a create in
    /// flight was lost (issue 16). A second request while the first is handled ends the process at once.
    /// </summary>
    /// <remarks>
    /// pwsh 7.6 (.NET 10) neither handles SIGTERM or SIGHUP itself nor raises AppDomain.ProcessExit for them (the runtime
    /// re-raises the signal: exit code 143 or 129, measured), so the signals are caught with PosixSignalRegistration
    /// (.NET 6 and later; on Windows SIGTERM and SIGHUP stand for the console's shutdown and close events), reached by
    /// reflection because the module targets netstandard2.0 and also loads in Windows PowerShell 5.1, whose .NET Framework
    /// has no such type (then nothing is registered). The handler does not cancel
    /// the signal: once it returns, the runtime's default action ends the process with the usual code. ProcessExit is
    /// hooked too, for an exit the runtime announces (Environment.Exit while a command runs). What cannot be caught is in
    /// docs/reliability.md.
    /// </remarks>
    internal static class ProcessTermination
    {
        private static readonly object Sync = new object();
        private static readonly HashSet<AsyncPSCmdlet> Running = new HashSet<AsyncPSCmdlet>();

        /// <summary>Kept alive: a PosixSignalRegistration that is collected stops handling its signal.</summary>
        private static readonly List<IDisposable> Registrations = new List<IDisposable>();
        private static bool _hooked;
        private static int _requested;

        /// <summary>True once the process was asked to end: commands then stop at once, and stop notices go to standard error.</summary>
        public static bool IsRequested => Volatile.Read(ref _requested) != 0;

        /// <summary>A command starts: it is stopped if the process is asked to end while it runs (or already was).</summary>
        public static void Register(AsyncPSCmdlet command)
        {
            lock (Sync)
            {
                Hook();
                Running.Add(command);
            }

            if (IsRequested)
            {
                command.StopForTermination();
            }
        }

        public static void Unregister(AsyncPSCmdlet command)
        {
            lock (Sync)
            {
                Running.Remove(command);
            }
        }

        /// <summary>
        /// Stops every running command as Ctrl+C would and waits (bounded as a stop's cleanup is) until each has ended its
        /// work, so a create in flight brings its answer into the journal within its grace; then each names what it paid
        /// for and did not save. Runs on the runtime's signal thread; the caller then lets the process end.
        /// </summary>
        internal static void Terminate()
        {
            if (Interlocked.Exchange(ref _requested, 1) != 0)
            {
                // Asked again while the first request is handled: the default action ends the process now.
                return;
            }

            AsyncPSCmdlet[] commands;
            lock (Sync)
            {
                commands = new AsyncPSCmdlet[Running.Count];
                Running.CopyTo(commands);
            }

            foreach (AsyncPSCmdlet command in commands)
            {
                Each(command.StopForTermination);
            }

            DateTime deadline = DateTime.UtcNow + PipelineOutput.CancelAcknowledgeLimit;
            foreach (AsyncPSCmdlet command in commands)
            {
                Each(() => command.WaitStopped(deadline));
            }

            foreach (AsyncPSCmdlet command in commands)
            {
                Each(command.ReportTerminated);
            }
        }

        /// <summary>One command's part: a command that ended meanwhile (disposed) must not keep the others from theirs.</summary>
        private static void Each(Action step)
        {
            try
            {
                step();
            }
            catch (Exception)
            {
                // Nothing may escape a signal or exit handler: the process is ending either way.
            }
        }

        private static void Hook()
        {
            if (_hooked)
            {
                return;
            }

            _hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => Terminate();
            foreach (string signal in new[] { "SIGTERM", "SIGHUP" })
            {
                if (RegisterSignal(signal) is IDisposable registration)
                {
                    Registrations.Add(registration);
                }
            }
        }

        private const string RegistrationType = "System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices";
        private const string SignalType = "System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices";
        private const string ContextType = "System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices";

        /// <summary>
        /// Runs <see cref="Terminate"/> when <paramref name="signal"/> (e.g. "SIGTERM") arrives, without cancelling it: the
        /// runtime's default action (ending the process) follows once it returns. Null where the runtime cannot.
        /// </summary>
        private static IDisposable? RegisterSignal(string signal)
        {
            try
            {
                Type? registration = Type.GetType(RegistrationType, throwOnError: false);
                Type? signals = Type.GetType(SignalType, throwOnError: false);
                Type? context = Type.GetType(ContextType, throwOnError: false);
                MethodInfo? create = registration?.GetMethod("Create", BindingFlags.Public | BindingFlags.Static);
                if (registration is null || signals is null || context is null || create is null || !Enum.IsDefined(signals, signal))
                {
                    return null;
                }

                // Action<PosixSignalContext> bound to a method taking object (a delegate's parameter may be more derived).
                Type action = typeof(Action<>).MakeGenericType(context);
                Delegate callback = Delegate.CreateDelegate(action, typeof(ProcessTermination).GetMethod(nameof(OnSignal), BindingFlags.NonPublic | BindingFlags.Static)!);
                return create.Invoke(null, new object[] { Enum.Parse(signals, signal), callback }) as IDisposable;
            }
            catch (TargetInvocationException)
            {
                // PlatformNotSupportedException (browser, mobile) or the signal refused on this platform.
                return null;
            }
        }

        private static void OnSignal(object context) => Terminate();
    }
}
