using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// A transformation of what a parameter is given item by item: one value, or each item of a list (-Image a,b;
    /// -Duration 4,8; an array from a script), each without its PSObject wrapper. Text and dictionaries are one value.
    /// </summary>
    public abstract class EachItemTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = Unwrap(inputData);
            return value is IEnumerable items && !(value is string) && !(value is IDictionary)
                ? Items(items.Cast<object?>().Select(item => Item(Unwrap(item))))
                : Item(value);
        }

        /// <summary>One value, unwrapped: what it binds as.</summary>
        protected abstract object? Item(object? value);

        /// <summary>The list a list binds as, from its items' <see cref="Item"/>s.</summary>
        protected virtual object? Items(IEnumerable<object?> items) => items.ToArray();

        internal static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
