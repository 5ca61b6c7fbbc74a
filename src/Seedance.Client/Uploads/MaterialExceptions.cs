using System;

namespace Seedance.Client.Uploads
{
    /// <summary>A local file given as a material that cannot be used or could not be uploaded; <see cref="SeedanceException.Problem"/> says why.</summary>
    public sealed class LocalMaterialException : SeedanceException
    {
        public LocalMaterialException(SeedanceProblem problem, string path, MaterialKind kind, string message, Exception? innerException = null)
            : base(problem, message, path, innerException: innerException)
        {
            Path = path;
            Kind = kind;
        }

        /// <summary>The full path of the file (the error's target).</summary>
        public string Path { get; }

        /// <summary>Given as an image (-Image), a video (-Video) or audio (-Audio).</summary>
        public MaterialKind Kind { get; }

        /// <summary>"Image", "Video" or "Audio": the parameter the file came from (named like ArgumentException.ParamName).</summary>
        public string ParamName => Kind.ToString();

        public override string? Advice => Problem switch
        {
            SeedanceProblem.MaterialFileNotFound => "Check the path; relative paths are resolved against the current location (Get-Location).",
            SeedanceProblem.UploadFailed => "Run the command again for this input; nothing was created for it.",
            SeedanceProblem.UploaderFailed or SeedanceProblem.InvalidUploaderResult =>
                "Fix the script block given to Set-SeedanceConfiguration -Uploader, or remove it (-Uploader $null) to upload through the service.",
            _ => null,
        };
    }
}
