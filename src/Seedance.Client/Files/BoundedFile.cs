using System.IO;
using System.Text;

namespace Seedance.Client.Files
{
    /// <summary>
    /// The one way the module reads a small file that anyone may have put there (a price table, a review page's data
    /// file): a regular file only (a FIFO or a device would block the read or never end; checked before it is opened),
    /// and never more than a cap, counted as it is read rather than taken from the length the file system reports.
    /// </summary>
    public static class BoundedFile
    {
        /// <summary>The file's text: UTF-8, or what its byte-order mark says (an editor's UTF-16 save reads too).</summary>
        /// <exception cref="InvalidDataException">Not a regular file, or larger than <paramref name="maxBytes"/>; the message says which ("it is ...").</exception>
        /// <exception cref="IOException">The file cannot be read (also <see cref="System.UnauthorizedAccessException"/>).</exception>
        public static string ReadText(string path, long maxBytes)
        {
            string? notAFile = DestinationCheck.OtherThanRegularFile(path);
            if (notAFile is not null)
            {
                throw new InvalidDataException($"it is a {notAFile}, not a regular file");
            }

            using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using MemoryStream content = new MemoryStream();
            byte[] buffer = new byte[81920];
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                content.Write(buffer, 0, read);
                if (content.Length > maxBytes)
                {
                    throw new InvalidDataException($"it is larger than {maxBytes / 1024} KiB");
                }
            }

            content.Position = 0;
            return new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd();
        }
    }
}
