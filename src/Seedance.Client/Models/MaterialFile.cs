using System;
using Seedance.Client.Uploads;

namespace Seedance.Client.Models
{
    /// <summary>
    /// A material of a request that came from a local file: which one (its kind and position among that kind's URLs),
    /// the file's full path and the SHA-256 of its content. Journaled beside the request and never sent: the URL the
    /// file was uploaded to is new on every run, so a re-run recognises the row by the file (issue 16).
    /// </summary>
    public sealed class MaterialFile
    {
        public MaterialFile(MaterialKind kind, int index, string path, string sha256)
        {
            Kind = kind;
            Index = index;
            Path = path;
            Sha256 = sha256;
        }

        public MaterialKind Kind { get; }

        /// <summary>Its position in the request's list of <see cref="Kind"/> (ImageUrls, VideoUrls or AudioUrls), from 0.</summary>
        public int Index { get; }

        public string Path { get; }

        /// <summary>Lowercase hex, 64 characters.</summary>
        public string Sha256 { get; }

        /// <summary>True for 64 hex digits (the journal's value is checked before it is compared).</summary>
        public static bool IsSha256(string? text)
        {
            if (text is null || text.Length != 64)
            {
                return false;
            }

            foreach (char c in text)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
