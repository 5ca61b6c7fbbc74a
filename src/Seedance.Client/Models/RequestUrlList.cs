using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Seedance.Client.Models
{
    /// <summary>
    /// The material URLs of a request as an uncertain create shows them. A list like any other; as text (Export-Csv,
    /// string interpolation) the URLs separated by "; ", which is what New-SeedanceTask splits a CSV cell on, so an
    /// exported uncertain create read back with Import-Csv binds as the same materials (not as "System.String[]").
    /// </summary>
    public sealed class RequestUrlList : ReadOnlyCollection<string>
    {
        public RequestUrlList(IReadOnlyList<string> urls)
            : base(new List<string>(urls))
        {
        }

        /// <remarks>The URLs were checked before they were journaled (absolute http(s)), so no cell starts like a formula.</remarks>
        public override string ToString() => string.Join("; ", this);
    }
}
