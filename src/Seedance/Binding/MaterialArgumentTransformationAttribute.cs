using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Lets -Image/-Video stay string[] (URLs, paths, CSV cells) and still take file objects:
    /// <c>-Image (Get-Item *.png)</c> binds each FileInfo as its full path. Without this, PowerShell would convert a
    /// FileInfo with ToString(), which in Windows PowerShell 5.1 is only the file name for items from Get-ChildItem,
    /// so the file would be looked for in the wrong folder. A [uri] binds as the text it was written with.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class MaterialArgumentTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = Unwrap(inputData);
            if (value is null || value is string)
            {
                return value;
            }

            if (value is IEnumerable items && !(value is IDictionary))
            {
                List<object?> converted = new List<object?>();
                foreach (object? item in items)
                {
                    converted.Add(Single(Unwrap(item)));
                }

                return converted.ToArray();
            }

            return Single(value);
        }

        /// <summary>A file or folder becomes its full path (a folder is then refused as MaterialNotAFile); anything else is left to the binder.</summary>
        private static object? Single(object? value)
        {
            switch (value)
            {
                case FileSystemInfo item:
                    return item.FullName;
                case Uri uri:
                    return uri.OriginalString;
                default:
                    return value;
            }
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
