using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Seedance.Client.Models
{
    /// <summary>The videos of a task. A list like any other; as text (Export-Csv, string interpolation) it is the URLs.</summary>
    public sealed class SeedanceVideoList : ReadOnlyCollection<SeedanceVideo>
    {
        public static readonly SeedanceVideoList Empty = new SeedanceVideoList(new SeedanceVideo[0]);

        public SeedanceVideoList(IList<SeedanceVideo> videos)
            : base(videos)
        {
        }

        /// <summary>The URLs separated by a space: what a CSV cell or "$($task.Videos)" shows.</summary>
        /// <remarks>The URLs were checked as they arrived (absolute http(s)), so no cell starts like a formula; inert all the same.</remarks>
        public override string ToString() => SpreadsheetCell.Inert(string.Join(" ", this.Select(video => video.Url)))!;
    }
}
