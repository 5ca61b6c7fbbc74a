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
    }
}
