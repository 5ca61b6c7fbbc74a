using System;
using System.Reflection;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// System.Runtime.InteropServices.PosixSignalRegistration (.NET 6 and later; on Windows SIGTERM and SIGHUP stand for
    /// the console's shutdown and close events) reached by reflection: the module targets netstandard2.0 and also loads in
    /// Windows PowerShell 5.1, whose .NET Framework has no such type (then nothing is registered).
    /// </summary>
    internal static class PosixSignals
    {
        private const string RegistrationType = "System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices";
        private const string SignalType = "System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices";
        private const string ContextType = "System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices";

        /// <summary>
        /// Runs <paramref name="handler"/> when <paramref name="signal"/> (e.g. "SIGTERM") arrives, without cancelling it: the
        /// runtime's default action (ending the process) follows once the handler returns. Null where the runtime cannot.
        /// </summary>
        public static IDisposable? Register(string signal, Action handler)
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
                Handler target = new Handler(handler);
                Delegate callback = Delegate.CreateDelegate(action, target, typeof(Handler).GetMethod(nameof(Handler.Handle))!);
                return create.Invoke(null, new object[] { Enum.Parse(signals, signal), callback }) as IDisposable;
            }
            catch (TargetInvocationException)
            {
                // PlatformNotSupportedException (browser, mobile) or the signal refused on this platform.
                return null;
            }
        }

        private sealed class Handler
        {
            private readonly Action _handler;

            public Handler(Action handler)
            {
                _handler = handler;
            }

            public void Handle(object context) => _handler();
        }
    }
}
