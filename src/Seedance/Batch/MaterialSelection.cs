using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>One local file uploaded by a command: the hook's argument (the journal records it), and a verbose line.</summary>
    internal sealed class MaterialUpload
    {
        public MaterialUpload(string localPath, Uri url, long bytes, MaterialKind kind, string via)
        {
            LocalPath = localPath;
            Url = url;
            Bytes = bytes;
            Kind = kind;
            Via = via;
        }

        public string LocalPath { get; }
        public Uri Url { get; }
        public long Bytes { get; }
        public MaterialKind Kind { get; }

        /// <summary>"Service" (POST {base}/uploads) or "ScriptBlock" (Set-SeedanceConfiguration -Uploader).</summary>
        public string Via { get; }
    }

    /// <summary>
    /// The materials of one input, in the order given: URLs as they are, and local files resolved and checked (not
    /// yet uploaded). Whatever could not be used is in <see cref="Failures"/>, one exception per file.
    /// </summary>
    internal sealed class MaterialSelection
    {
        private readonly List<Entry> _entries;

        public MaterialSelection(List<Entry> entries, IReadOnlyList<LocalMaterialException> failures)
        {
            _entries = entries;
            Failures = failures;
        }

        public IReadOnlyList<LocalMaterialException> Failures { get; }

        public IReadOnlyList<Entry> Entries => _entries;

        public bool HasLocalFiles => _entries.Any(entry => entry.Local is not null);

        /// <summary>
        /// What the validator checks (counts, modes, URLs) before anything is uploaded: URLs as given, each local file as
        /// its full path, so that an error about the list (TooManyImages) shows the user's own values. The validator
        /// calls a path LocalFileNotSupported; <see cref="IsAboutACheckedFile"/> tells those failures apart.
        /// </summary>
        public IReadOnlyList<string> ForValidation(MaterialKind kind) =>
            _entries.Where(entry => entry.Kind == kind).Select(entry => entry.Url ?? entry.Local!.FullPath).ToArray();

        /// <summary>True for the validator's LocalFileNotSupported about a file this selection checked (and will upload).</summary>
        public bool IsAboutACheckedFile(ValidationFailure failure) =>
            failure.ErrorId == "LocalFileNotSupported" && failure.Target is string path &&
            _entries.Any(entry => entry.Local is not null && entry.Local.FullPath == path);

        /// <summary>
        /// The ShouldProcess action, naming each file still to upload and its size (what -WhatIf shows):
        /// "Upload /data/cat.png (1.2 MB) to the service, then create Seedance task costing ...".
        /// </summary>
        public string DescribeAction(string createAction, Func<string, bool> alreadyUploaded, bool throughScriptBlock)
        {
            List<LocalMaterial> pending = _entries.Select(entry => entry.Local).OfType<LocalMaterial>()
                .Where(local => !alreadyUploaded(local.FullPath))
                .GroupBy(local => local.FullPath).Select(group => group.First()).ToList();
            if (pending.Count == 0)
            {
                return createAction;
            }

            string files = string.Join(", ", pending.Select(local => local.ToString()));
            string how = throughScriptBlock ? "with the Uploader script block" : "to the service";
            return $"Upload {files} {how}, then {char.ToLowerInvariant(createAction[0])}{createAction.Substring(1)}";
        }

        /// <summary>One material: a URL (<see cref="Url"/>) or a checked local file (<see cref="Local"/>).</summary>
        internal sealed class Entry
        {
            public Entry(MaterialKind kind, string? url, LocalMaterial? local)
            {
                Kind = kind;
                Url = url;
                Local = local;
            }

            public MaterialKind Kind { get; }
            public string? Url { get; }
            public LocalMaterial? Local { get; }
        }
    }

    /// <summary>The URLs to create with, or why there are none (nothing is created then).</summary>
    internal sealed class UploadOutcome
    {
        private UploadOutcome(IReadOnlyList<string> images, IReadOnlyList<string> videos, IReadOnlyList<string> audio, SeedanceException? failure, string? failedPath)
        {
            Images = images;
            Videos = videos;
            Audio = audio;
            Failure = failure;
            FailedPath = failedPath;
        }

        public IReadOnlyList<string> Images { get; }
        public IReadOnlyList<string> Videos { get; }
        public IReadOnlyList<string> Audio { get; }
        public SeedanceException? Failure { get; }

        /// <summary>The file whose upload failed: the error's target.</summary>
        public string? FailedPath { get; }

        /// <summary>
        /// True when every further upload of the command would fail the same way: the host has no upload endpoint,
        /// or the key or account was refused. The command stops then, like a create refused for the same reasons.
        /// </summary>
        public bool EndsTheBatch => Failure is not null && CreateWorkflow.IsFatalForTheBatch(Failure);

        public static UploadOutcome Succeeded(IReadOnlyList<string> images, IReadOnlyList<string> videos, IReadOnlyList<string> audio) =>
            new UploadOutcome(images, videos, audio, null, null);

        public static UploadOutcome Failed(SeedanceException failure, string path) =>
            new UploadOutcome(Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>(), failure, path);
    }
}
