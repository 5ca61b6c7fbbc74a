using System;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// A local file given as a material that cannot be used or could not be uploaded. One subclass per problem, each
    /// with its own stable <see cref="ErrorId"/>, so a script can tell a missing file from a too large video.
    /// </summary>
    public abstract class LocalMaterialException : SeedanceException
    {
        protected LocalMaterialException(string path, MaterialKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Path = path;
            Kind = kind;
        }

        /// <summary>The full path of the file (the error's target).</summary>
        public string Path { get; }

        /// <summary>Given as an image (-Image), a video (-Video) or audio (-Audio).</summary>
        public MaterialKind Kind { get; }

        public abstract string ErrorId { get; }

        /// <summary>"Image", "Video" or "Audio": the parameter the file came from (named like ArgumentException.ParamName).</summary>
        public string ParamName => Kind.ToString();
    }

    /// <summary>No file at that path (after resolving it against the current location).</summary>
    public sealed class MaterialFileNotFoundException : LocalMaterialException
    {
        public MaterialFileNotFoundException(string path, MaterialKind kind, string message)
            : base(path, kind, message)
        {
        }

        public override string ErrorId => "MaterialFileNotFound";
    }

    /// <summary>The path names a folder, or something that is not in the file system.</summary>
    public sealed class MaterialNotAFileException : LocalMaterialException
    {
        public MaterialNotAFileException(string path, MaterialKind kind, string message)
            : base(path, kind, message)
        {
        }

        public override string ErrorId => "MaterialNotAFile";
    }

    /// <summary>The file exists but cannot be opened or read (permissions, a lock, an I/O error).</summary>
    public sealed class MaterialFileUnreadableException : LocalMaterialException
    {
        public MaterialFileUnreadableException(string path, MaterialKind kind, string message, Exception innerException)
            : base(path, kind, message, innerException)
        {
        }

        public override string ErrorId => "MaterialFileUnreadable";
    }

    /// <summary>The extension is not one the service takes for this parameter (.gif, or a .png given as a video).</summary>
    public sealed class UnsupportedMaterialTypeException : LocalMaterialException
    {
        public UnsupportedMaterialTypeException(string path, MaterialKind kind, string message)
            : base(path, kind, message)
        {
        }

        public override string ErrorId => "UnsupportedMaterialType";
    }

    /// <summary>The content is not what the extension says (a text file named .png, a JPEG named .png, an empty file).</summary>
    public sealed class MaterialContentMismatchException : LocalMaterialException
    {
        public MaterialContentMismatchException(string path, MaterialKind kind, string message, MediaFormat? detected)
            : base(path, kind, message)
        {
            Detected = detected;
        }

        /// <summary>What the content really is, when recognised.</summary>
        public MediaFormat? Detected { get; }

        public override string ErrorId => "MaterialContentMismatch";
    }

    /// <summary>A video over the service's 50 MB limit.</summary>
    public sealed class VideoFileTooLargeException : LocalMaterialException
    {
        public VideoFileTooLargeException(string path, long length, long limit, string message)
            : base(path, MaterialKind.Video, message)
        {
            Length = length;
            Limit = limit;
        }

        public long Length { get; }
        public long Limit { get; }

        public override string ErrorId => "VideoFileTooLarge";
    }

    /// <summary>The upload itself failed (the service's upload endpoint, or the PUT to the signed URL), after retries.</summary>
    public sealed class MaterialUploadException : LocalMaterialException
    {
        public MaterialUploadException(string path, MaterialKind kind, string message, Exception? innerException)
            : base(path, kind, message, innerException)
        {
        }

        public override string ErrorId => "UploadFailed";
    }

    /// <summary>The user's uploader (Set-SeedanceConfiguration -Uploader) threw or wrote an error.</summary>
    public sealed class UploaderFailedException : LocalMaterialException
    {
        public UploaderFailedException(string path, MaterialKind kind, string message, Exception innerException)
            : base(path, kind, message, innerException)
        {
        }

        public override string ErrorId => "UploaderFailed";
    }

    /// <summary>The user's uploader returned something that is not an absolute http(s) URL.</summary>
    public sealed class InvalidUploaderResultException : LocalMaterialException
    {
        public InvalidUploaderResultException(string path, MaterialKind kind, string message)
            : base(path, kind, message)
        {
        }

        public override string ErrorId => "InvalidUploaderResult";
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
