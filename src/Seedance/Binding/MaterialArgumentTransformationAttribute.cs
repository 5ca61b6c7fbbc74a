using System;
using System.IO;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Lets -Image/-Video stay string[] (URLs, paths, CSV cells) and still take file objects:
    /// <c>-Image (Get-Item *.png)</c> binds each FileInfo as its full path. Without this, PowerShell would convert a
    /// FileInfo with ToString(), which in Windows PowerShell 5.1 is only the file name for items from Get-ChildItem,
    /// so the file would be looked for in the wrong folder. A [uri] binds as the text it was written with.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class MaterialArgumentTransformationAttribute : EachItemTransformationAttribute
    {
        /// <summary>A file or folder becomes its full path (a folder is then refused as MaterialNotAFile); anything else is left to the binder.</summary>
        protected override object? Item(object? value) => value switch
        {
            FileSystemInfo item => item.FullName,
            Uri uri => uri.OriginalString,
            _ => value,
        };
    }
}
