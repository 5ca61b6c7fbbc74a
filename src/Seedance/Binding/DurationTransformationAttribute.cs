using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
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
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        [ThreadStatic]
        private static List<object>? _unparsed;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            List<object> unparsed = new List<object>();
            object? value = Unwrap(inputData);
            object? result;
            if (value is IEnumerable items && !(value is string) && !(value is IDictionary))
            {
                List<object> seconds = new List<object>();
                foreach (object? item in items)
                {
                    if (Seconds(Unwrap(item), unparsed) is int one)
                    {
                        seconds.Add(one);
                    }
                }

                result = seconds.ToArray();
            }
            else
            {
                result = Seconds(value, unparsed);
            }

            _unparsed = unparsed.Count > 0 ? unparsed : null;
            return result;
        }

        /// <summary>The values the last transformation on this thread could not read as seconds (and forgets them); null when none.</summary>
        public static IReadOnlyList<object>? TakeUnparsed()
        {
            List<object>? unparsed = _unparsed;
            _unparsed = null;
            return unparsed;
        }

        /// <summary>The value's whole seconds; null when blank or (recorded in <paramref name="unparsed"/>) not a whole number.</summary>
        private static int? Seconds(object? value, List<object> unparsed)
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

            unparsed.Add(value);
            return null;
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
