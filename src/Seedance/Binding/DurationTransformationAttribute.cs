using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Lets -Duration be an int and still take what users write: 8, "8" (a CSV cell), "8s" (the API's notation), 8.0.
    /// A blank value (an empty CSV cell) means "not given". A value that is no whole number ('abc', 8.5) is not a binding
    /// error, which would end the command without the row's other problems and without our ErrorId: it binds as "not
    /// given" and is handed to the parameter's setter (<see cref="TakeUnparsed"/>), which keeps it for the cmdlet to
    /// refuse as InvalidDuration, naming the value exactly as given. The setter runs right after this transformation on
    /// the same thread, so no other command's value can come in between.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : EachItemTransformationAttribute
    {
        [ThreadStatic]
        private static List<object>? _unparsed;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            _unparsed = null; // this value's, gathered by Item
            return base.Transform(engineIntrinsics, inputData);
        }

        /// <summary>A list binds as the whole seconds of its items; the blank and unparsed ones are left out.</summary>
        protected override object? Items(IEnumerable<object?> items) => items.OfType<int>().Cast<object>().ToArray();

        /// <summary>The values the last transformation on this thread could not read as seconds (and forgets them); null when none.</summary>
        public static IReadOnlyList<object>? TakeUnparsed()
        {
            List<object>? unparsed = _unparsed;
            _unparsed = null;
            return unparsed;
        }

        /// <summary>The value's whole seconds; null when blank or (kept for <see cref="TakeUnparsed"/>) not a whole number.</summary>
        protected override object? Item(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case int number:
                    return number;
                case string text when string.IsNullOrWhiteSpace(text):
                    return null;
            }

            string written = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            if ((value is string || value is IConvertible) && !(value is bool) && !(value is char) && InputParser.ParseDuration(written, out int seconds) is null)
            {
                return seconds;
            }

            (_unparsed ??= new List<object>()).Add(value);
            return null;
        }
    }
}
