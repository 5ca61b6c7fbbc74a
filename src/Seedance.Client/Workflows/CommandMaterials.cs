using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Seedance.Client.Files;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// The local files of one New-SeedanceTask: each file (by full path) is checked and hashed once, and uploaded once,
    /// however many inputs use it. The command resolves each value's path (that needs PowerShell's current location)
    /// and does the uploads (its progress bars, or the user's Uploader script block); every decision is here.
    /// </summary>
    public sealed class CommandMaterials
    {
        // A URI scheme of two letters or more ("ftp:", "mailto:"); one letter is a Windows drive ("C:").
        private static readonly Regex UriScheme = new Regex("^[A-Za-z][A-Za-z0-9+.-]+:", RegexOptions.CultureInvariant);

        private readonly object _sync = new object();
        private readonly Dictionary<string, LocalMaterial> _checked = new Dictionary<string, LocalMaterial>(OwnedFiles.PathComparer);
        private readonly Dictionary<string, Uri> _uploaded = new Dictionary<string, Uri>(OwnedFiles.PathComparer);

        /// <summary>
        /// The request's materials in @N order (images, then videos, then audio), each decided as far as it can be
        /// without PowerShell: a URL, a refusal, or a value whose path the command must resolve (<see cref="MaterialValue.NeedsPath"/>).
        /// </summary>
        public static IReadOnlyList<MaterialValue> Values(CreateTaskRequest request) =>
            request.ImageUrls.Select(value => (Kind: MaterialKind.Image, Value: value))
                .Concat(request.VideoUrls.Select(value => (Kind: MaterialKind.Video, Value: value)))
                .Concat(request.AudioUrls.Select(value => (Kind: MaterialKind.Audio, Value: value)))
                .Select(value => WithoutPath(value.Kind, value.Value) ?? MaterialValue.Unresolved(value.Kind, value.Value)).ToList();

        /// <summary>
        /// Rule: a value is a path only when it is written as one. A web URL is a URL; a value with "://" is a URL whatever
        /// its scheme (a LastFrameImage or a CSV cell from the service must never make the module read a local file), and
        /// "file://" is refused; anything else needs its path resolved (null).
        /// </summary>
        public static MaterialValue? WithoutPath(MaterialKind kind, string value)
        {
            if (UrlChecks.IsWebUrl(value, out _))
            {
                return MaterialValue.OfUrl(kind, value);
            }

            if (value.IndexOf("://", StringComparison.Ordinal) < 0)
            {
                return null;
            }

            return value.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                ? MaterialValue.Refused(new LocalMaterialException(SeedanceProblem.MaterialNotAFile, value, kind,
                    $"'{value}' is written as a URL (it has '://'), and a value with '://' is never read as a local file. Give the path itself (e.g. ./cat.png or /home/me/cat.png)."))
                : MaterialValue.OfUrl(kind, value);
        }

        /// <summary>
        /// Rule: a value whose drive or provider does not exist is a URL of a kind the service cannot fetch when it starts
        /// with a scheme ("ftp:...", "mailto:...": the validator says so), and otherwise a file that cannot be found.
        /// </summary>
        public static MaterialValue NoSuchDrive(MaterialKind kind, string value, string reason) =>
            UriScheme.IsMatch(value)
                ? MaterialValue.OfUrl(kind, value)
                : MaterialValue.Refused(new LocalMaterialException(SeedanceProblem.MaterialFileNotFound, value, kind, $"Cannot find the file '{value}': {reason}"));

        /// <summary>
        /// Sorts the materials of one input (in @N order: images, videos, audio) into URLs and local files, and checks
        /// every local file (once per command: its check and hash are kept for the next input that names it).
        /// </summary>
        public MaterialSelection Select(IEnumerable<MaterialValue> values)
        {
            List<MaterialValue> entries = new List<MaterialValue>();
            List<LocalMaterialException> failures = new List<LocalMaterialException>();
            foreach (MaterialValue value in values)
            {
                try
                {
                    if (value.Failure is not null)
                    {
                        failures.Add(value.Failure);
                    }
                    else
                    {
                        entries.Add(value.FullPath is null ? value : MaterialValue.Checked(value, Check(value.FullPath, value.Kind)));
                    }
                }
                catch (LocalMaterialException e)
                {
                    failures.Add(e);
                }
            }

            return new MaterialSelection(entries, failures);
        }

        /// <summary>The files of <paramref name="selection"/> still to upload, each once, in the order given.</summary>
        public IReadOnlyList<LocalMaterial> ToUpload(MaterialSelection selection)
        {
            lock (_sync)
            {
                return selection.Entries.Select(entry => entry.Local).OfType<LocalMaterial>()
                    .Where(local => !_uploaded.ContainsKey(local.FullPath))
                    .GroupBy(local => local.FullPath, OwnedFiles.PathComparer).Select(group => group.First()).ToList();
            }
        }

        /// <summary>A file uploaded to <paramref name="url"/>: every later input that names it uses that URL.</summary>
        public void Uploaded(LocalMaterial material, Uri url)
        {
            lock (_sync)
            {
                _uploaded[material.FullPath] = url;
            }
        }

        /// <summary>
        /// The request's materials as they are sent: URLs as given, each local file as the URL it was uploaded to (as
        /// given, not re-escaped: a pre-signed URL's signature covers its exact text). Every file must be uploaded.
        /// </summary>
        public void UseUploads(MaterialSelection selection, CreateTaskRequest request)
        {
            string Sent(MaterialValue entry)
            {
                if (entry.Local is null)
                {
                    return entry.Url!;
                }

                lock (_sync)
                {
                    return _uploaded.TryGetValue(entry.Local.FullPath, out Uri? url)
                        ? url.OriginalString
                        : throw new InvalidOperationException($"'{entry.Local.FullPath}' was not uploaded before its create.");
                }
            }

            request.ImageUrls = selection.Entries.Where(entry => entry.Kind == MaterialKind.Image).Select(Sent).ToArray();
            request.VideoUrls = selection.Entries.Where(entry => entry.Kind == MaterialKind.Video).Select(Sent).ToArray();
            request.AudioUrls = selection.Entries.Where(entry => entry.Kind == MaterialKind.Audio).Select(Sent).ToArray();
        }

        private LocalMaterial Check(string fullPath, MaterialKind kind)
        {
            lock (_sync)
            {
                if (_checked.TryGetValue(fullPath, out LocalMaterial? known) && known.Kind == kind)
                {
                    return known;
                }
            }

            LocalMaterial material = LocalMaterialInspector.Inspect(fullPath, kind);
            lock (_sync)
            {
                _checked[fullPath] = material;
            }

            return material;
        }
    }

    /// <summary>
    /// One material value: a URL (<see cref="Url"/>), a local file's full path (checked: <see cref="Local"/>), a value
    /// whose path the command has yet to resolve (<see cref="NeedsPath"/>), or why it cannot be used.
    /// </summary>
    public sealed class MaterialValue
    {
        private MaterialValue(MaterialKind kind, string value, string? fullPath, LocalMaterialException? failure, bool needsPath = false, LocalMaterial? local = null)
        {
            Kind = kind;
            Value = value;
            FullPath = fullPath;
            Failure = failure;
            NeedsPath = needsPath;
            Local = local;
        }

        public MaterialKind Kind { get; }
        public string Value { get; }
        public string? FullPath { get; }
        public LocalMaterialException? Failure { get; }

        /// <summary>Written as a path: the command resolves it against PowerShell's current location.</summary>
        public bool NeedsPath { get; }

        /// <summary>The local file, checked and hashed (not yet uploaded); null for a URL.</summary>
        public LocalMaterial? Local { get; }

        /// <summary>The URL as given; null for a local file.</summary>
        public string? Url => Local is null && FullPath is null ? Value : null;

        public static MaterialValue OfUrl(MaterialKind kind, string value) => new MaterialValue(kind, value, null, null);

        public static MaterialValue File(MaterialKind kind, string value, string fullPath) => new MaterialValue(kind, value, fullPath, null);

        public static MaterialValue Refused(LocalMaterialException failure) => new MaterialValue(failure.Kind, failure.Path, null, failure);

        internal static MaterialValue Unresolved(MaterialKind kind, string value) => new MaterialValue(kind, value, null, null, needsPath: true);

        internal static MaterialValue Checked(MaterialValue file, LocalMaterial local) => new MaterialValue(file.Kind, file.Value, file.FullPath, null, local: local);
    }

    /// <summary>
    /// The materials of one input, in the order given: URLs as they are, and local files resolved and checked (not
    /// yet uploaded). Whatever could not be used is in <see cref="Failures"/>, one exception per file.
    /// </summary>
    public sealed class MaterialSelection
    {
        private readonly List<MaterialValue> _entries;

        internal MaterialSelection(List<MaterialValue> entries, IReadOnlyList<LocalMaterialException> failures)
        {
            _entries = entries;
            Failures = failures;
        }

        public IReadOnlyList<LocalMaterialException> Failures { get; }

        public IReadOnlyList<MaterialValue> Entries => _entries;

        public bool HasLocalFiles => _entries.Any(entry => entry.Local is not null);

        /// <summary>
        /// Sets what the validator checks (counts, modes, URLs) before anything is uploaded: URLs as given, each local
        /// file as its full path, so that an error about the list (TooManyImages) shows the user's own values; and the
        /// request's <see cref="CreateTaskRequest.LocalFiles"/> (path and hash, what the journal compares on a re-run).
        /// The validator takes a path listed in LocalFiles as the file it is, and calls any other path LocalFileNotSupported.
        /// </summary>
        public void ForValidation(CreateTaskRequest request)
        {
            request.ImageUrls = Values(MaterialKind.Image);
            request.VideoUrls = Values(MaterialKind.Video);
            request.AudioUrls = Values(MaterialKind.Audio);
            request.LocalFiles = new[] { MaterialKind.Image, MaterialKind.Video, MaterialKind.Audio }
                .SelectMany(kind => _entries.Where(entry => entry.Kind == kind)
                    .Select((entry, index) => entry.Local is LocalMaterial local ? new MaterialFile(kind, index, local.FullPath, local.Sha256) : null))
                .OfType<MaterialFile>().ToArray();
        }

        private string[] Values(MaterialKind kind) =>
            _entries.Where(entry => entry.Kind == kind).Select(entry => entry.Url ?? entry.Local!.FullPath).ToArray();

        /// <summary>
        /// The ShouldProcess action, naming each file still to upload and its size (what -WhatIf shows):
        /// "Upload /data/cat.png (1.2 MB) to the service, then create Seedance task costing ...".
        /// </summary>
        public string DescribeAction(string createAction, CommandMaterials uploads, bool throughScriptBlock)
        {
            IReadOnlyList<LocalMaterial> pending = uploads.ToUpload(this);
            if (pending.Count == 0)
            {
                return createAction;
            }

            string files = string.Join(", ", pending.Select(local => local.ToString()));
            string how = throughScriptBlock ? "with the Uploader script block" : "to the service";
            return $"Upload {files} {how}, then {char.ToLowerInvariant(createAction[0])}{createAction.Substring(1)}";
        }
    }
}
