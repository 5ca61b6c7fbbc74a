using System;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// What is wrong with a local file given as a material. Each name is the ErrorId the error carries, so a script
    /// can tell a missing file from a too large video by <c>$_.FullyQualifiedErrorId</c> or by
    /// <see cref="LocalMaterialException.Problem"/>.
    /// </summary>
    public enum MaterialProblem
    {
        /// <summary>No file at that path (after resolving it against the current location).</summary>
        MaterialFileNotFound,

        /// <summary>The path names a folder, or something that is not in the file system.</summary>
        MaterialNotAFile,

        /// <summary>The file exists but cannot be opened or read (permissions, a lock, an I/O error).</summary>
        MaterialFileUnreadable,

        /// <summary>The extension is not one the service takes for this parameter (.gif, or a .png given as a video).</summary>
        UnsupportedMaterialType,

        /// <summary>The content is not what the extension says (a text file named .png, a JPEG named .png, an empty file).</summary>
        MaterialContentMismatch,

        /// <summary>A video over the service's 50 MB limit.</summary>
        VideoFileTooLarge,

        /// <summary>The upload itself failed (the service's upload endpoint, or the PUT to the signed URL), after retries.</summary>
        UploadFailed,

        /// <summary>The user's uploader (Set-SeedanceConfiguration -Uploader) threw or wrote an error.</summary>
        UploaderFailed,

        /// <summary>The user's uploader returned something that is not an absolute http(s) URL.</summary>
        InvalidUploaderResult,
    }

    /// <summary>A local file given as a material that cannot be used or could not be uploaded; <see cref="Problem"/> says why.</summary>
    public sealed class LocalMaterialException : SeedanceException
    {
        public LocalMaterialException(MaterialProblem problem, string path, MaterialKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Problem = problem;
            Path = path;
            Kind = kind;
        }

        public MaterialProblem Problem { get; }

        /// <summary>The full path of the file (the error's target).</summary>
        public string Path { get; }

        /// <summary>Given as an image (-Image), a video (-Video) or audio (-Audio).</summary>
        public MaterialKind Kind { get; }

        public string ErrorId => Problem.ToString();

        /// <summary>"Image", "Video" or "Audio": the parameter the file came from (named like ArgumentException.ParamName).</summary>
        public string ParamName => Kind.ToString();
    }

    /// <summary>
    /// The API host has no upload endpoint (404 or 405 on POST {base}/uploads): the endpoint is documented by one
    /// secondary source only. Every further upload would fail the same way.
    /// </summary>
    public sealed class UploadsNotSupportedException : SeedanceException
    {
        public UploadsNotSupportedException(Uri endpoint, SeedanceApiException innerException)
            : base(
                $"The Seedance API at {endpoint} has no upload endpoint (it answered {(int)innerException.StatusCode} to POST), " +
                "so local files cannot be uploaded through the service. Upload them to storage of your own with " +
                "'Set-SeedanceConfiguration -Uploader { param($File) ...; return $url }' (see about_Seedance), or pass public http(s) URLs instead. " +
                "No task was created for this input.",
                innerException)
        {
            Endpoint = endpoint;
        }

        public Uri Endpoint { get; }
    }
}
