using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Seedance.Client.Models
{
    /// <summary>
    /// A list the module's objects carry (a task's videos and earlier attempts, an uncertain create's material URLs). A
    /// list like any other; as text (Export-Csv, string interpolation) its items joined by one separator, inert for a
    /// spreadsheet (<see cref="SpreadsheetCell"/>): "$($task.Videos)" is the URLs separated by spaces. A request's URLs
    /// are joined by "; ", which New-SeedanceTask splits a CSV cell on, so an exported uncertain create read back with
    /// Import-Csv binds as the same materials (not as "System.String[]").
    /// </summary>
    public sealed class CellList<T> : ReadOnlyCollection<T>
    {
        private readonly string _separator;

        public CellList(IEnumerable<T> items, string separator)
            : base(new List<T>(items))
        {
            _separator = separator;
        }

        public override string ToString() => SpreadsheetCell.Inert(string.Join(_separator, this))!;
    }
}
