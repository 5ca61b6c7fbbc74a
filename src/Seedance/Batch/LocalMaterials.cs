using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Local files given as -Image/-Video/-Audio (or in CSV cells), for one command: resolves each against PowerShell's
    /// current location, checks it before anything is sent, and uploads it (through the service, or the user's
    /// Uploader script block) only once the create is confirmed. A file (by full path) is uploaded once per
    /// command, however many inputs use it.
    /// </summary>
    internal sealed class LocalMaterials
    {
        private const int ProgressActivityId = 40;

        // A URI scheme of two letters or more ("ftp:", "mailto:"); one letter is a Windows drive ("C:").
        private static readonly Regex UriScheme = new Regex("^[A-Za-z][A-Za-z0-9+.-]+:", RegexOptions.CultureInvariant);

        private readonly ScriptBlock? _uploader;
        private readonly Action<MaterialUpload>? _onUploaded;
        private readonly Dictionary<string, Uri> _uploaded = new Dictionary<string, Uri>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

        /// <param name="uploader">The user's uploader, or null for the service's upload endpoint.</param>
        /// <param name="onUploaded">Called once per file actually uploaded (not for one already uploaded by this command), from a worker thread.</param>
        public LocalMaterials(ScriptBlock? uploader, Action<MaterialUpload>? onUploaded)
        {
            _uploader = uploader;
            _onUploaded = onUploaded;
        }

        /// <summary>
        /// Sorts the materials of one input into URLs and local files, and checks every local file. Paths are resolved
        /// on the pipeline thread (the current location belongs to the runspace); wildcards are never expanded.
        /// </summary>
        public async Task<MaterialSelection> SelectAsync(AsyncPipeline pipeline, SessionState session, IReadOnlyList<string> images, IReadOnlyList<string> videos, IReadOnlyList<string> audio, CancellationToken cancellationToken)
        {
            // In @N order: images, then videos, then audio.
            Func<List<(MaterialKind Kind, string Value, string? Path, LocalMaterialException? Failure)>> resolve = () =>
                images.Select(value => Resolve(session, MaterialKind.Image, value))
                    .Concat(videos.Select(value => Resolve(session, MaterialKind.Video, value)))
                    .Concat(audio.Select(value => Resolve(session, MaterialKind.Audio, value))).ToList();

            // Only a value that is not a web URL needs the session; a URL-only input (most CSV rows) skips the trip.
            bool allUrls = images.Concat(videos).Concat(audio).All(value => CreateTaskRequestValidator.IsWebUrl(value, out _));
            List<(MaterialKind Kind, string Value, string? Path, LocalMaterialException? Failure)> resolved =
                allUrls ? resolve() : await OnPipelineThreadAsync(pipeline, resolve, cancellationToken).ConfigureAwait(false);

            List<MaterialSelection.Entry> entries = new List<MaterialSelection.Entry>();
            List<LocalMaterialException> failures = new List<LocalMaterialException>();
            foreach ((MaterialKind kind, string value, string? path, LocalMaterialException? failure) in resolved)
            {
                if (failure is not null)
                {
                    failures.Add(failure);
                }
                else if (path is null)
                {
                    entries.Add(new MaterialSelection.Entry(kind, value, null));
                }
                else
                {
                    try
                    {
                        entries.Add(new MaterialSelection.Entry(kind, null, LocalMaterialInspector.Inspect(path, kind)));
                    }
                    catch (LocalMaterialException e)
                    {
                        failures.Add(e);
                    }
                }
            }

            return new MaterialSelection(entries, failures);
        }

        /// <summary>True when this command already uploaded the file at <paramref name="fullPath"/>.</summary>
        public bool AlreadyUploaded(string fullPath) => _uploaded.ContainsKey(fullPath);

        public bool ThroughScriptBlock => _uploader is not null;

        /// <summary>
        /// Uploads the local files of <paramref name="selection"/> one after another and returns the URLs to create
        /// with, in the order given. Stops at the first failure (the outcome says which file and why): the task
        /// cannot be created without it. Cancellation (Ctrl+C) propagates as it is.
        /// </summary>
        public async Task<UploadOutcome> UploadAsync(MaterialSelection selection, AsyncPipeline pipeline, Func<SeedanceClient> client, CancellationToken cancellationToken)
        {
            Dictionary<MaterialKind, List<string>> urls = new Dictionary<MaterialKind, List<string>>
            {
                [MaterialKind.Image] = new List<string>(),
                [MaterialKind.Video] = new List<string>(),
                [MaterialKind.Audio] = new List<string>(),
            };
            foreach (MaterialSelection.Entry entry in selection.Entries)
            {
                string url;
                if (entry.Local is null)
                {
                    url = entry.Url!;
                }
                else
                {
                    try
                    {
                        // As given, not re-escaped: a pre-signed URL's signature covers its exact text.
                        url = (await UploadOnceAsync(entry.Local, pipeline, client, cancellationToken).ConfigureAwait(false)).OriginalString;
                    }
                    catch (SeedanceException e)
                    {
                        return UploadOutcome.Failed(e, entry.Local.FullPath);
                    }
                }

                urls[entry.Kind].Add(url);
            }

            return UploadOutcome.Succeeded(urls[MaterialKind.Image], urls[MaterialKind.Video], urls[MaterialKind.Audio]);
        }

        private async Task<Uri> UploadOnceAsync(LocalMaterial material, AsyncPipeline pipeline, Func<SeedanceClient> client, CancellationToken cancellationToken)
        {
            if (_uploaded.TryGetValue(material.FullPath, out Uri? done))
            {
                return done;
            }

            string activity = $"Uploading {material.FileName}";
            pipeline.WriteProgress(new ProgressRecord(ProgressActivityId, activity, $"0 of {LocalMaterial.FormatSize(material.Length)}"));
            Uri url;
            try
            {
                ScriptBlock? uploader = _uploader;
                url = uploader is not null
                    ? await OnPipelineThreadAsync(pipeline, () => ScriptBlockUploader.Invoke(uploader, material), cancellationToken).ConfigureAwait(false)
                    : await client().Uploader.UploadAsync(material, new UploadProgress(pipeline, activity), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                TryWriteProgress(pipeline, ProgressRecords.Completed(ProgressActivityId, activity));
            }

            _uploaded[material.FullPath] = url;
            _onUploaded?.Invoke(new MaterialUpload(material.FullPath, url, material.Length, material.Kind, _uploader is null ? "Service" : "ScriptBlock"));
            return url;
        }

        /// <summary>
        /// Where a material value points: (Path null) a URL, or something URL-like the validator will refuse; (Path) a
        /// local file system path, resolved against the current location; or (Failure) a path that cannot be a file.
        /// </summary>
        private static (MaterialKind, string, string?, LocalMaterialException?) Resolve(SessionState session, MaterialKind kind, string value)
        {
            if (CreateTaskRequestValidator.IsWebUrl(value, out _))
            {
                return (kind, value, null, null);
            }

            // A value written as a URL is a URL, whatever its scheme: a LastFrameImage or a CSV cell that came from the
            // service must never make the module read (and upload) a local file. Only a value written as a path is one.
            if (value.IndexOf("://", StringComparison.Ordinal) >= 0)
            {
                return value.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                    ? (kind, value, null, new LocalMaterialException(MaterialProblem.MaterialNotAFile, value, kind,
                        $"'{value}' is written as a URL (it has '://'), and a value with '://' is never read as a local file. Give the path itself (e.g. ./cat.png or /home/me/cat.png)."))
                    : (kind, value, null, null);
            }

            string path = value;
            try
            {
                // Literal: no wildcard expansion ('cat[1].png' is that file); relative to the runspace's location, ~ is home.
                string full = FileSystemPaths.Resolve(session, path, out ProviderInfo provider);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                {
                    return (kind, value, null, new LocalMaterialException(MaterialProblem.MaterialNotAFile, value, kind,
                        $"'{value}' is a path of the {provider.Name} provider, not a file. Give a file system path or an http(s) URL."));
                }

                return (kind, value, full, null);
            }
            catch (Exception e) when (e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                // "ftp://host/x.png", "mailto:...": a URL of a kind the service cannot fetch; the validator says so.
                if (UriScheme.IsMatch(value))
                {
                    return (kind, value, null, null);
                }

                return (kind, value, null, new LocalMaterialException(MaterialProblem.MaterialFileNotFound, value, kind, $"Cannot find the file '{value}': {e.Message}"));
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PSInvalidOperationException)
            {
                return (kind, value, null, new LocalMaterialException(MaterialProblem.MaterialFileNotFound, value, kind, $"'{value}' is not a usable file path: {e.Message}"));
            }
        }

        /// <summary>
        /// Runs <paramref name="function"/> on the pipeline thread and returns its result, or its exception, to the
        /// caller; unlike a failed ShouldProcess, a failure here must not end the block, only this input.
        /// </summary>
        private static async Task<T> OnPipelineThreadAsync<T>(AsyncPipeline pipeline, Func<T> function, CancellationToken cancellationToken)
        {
            TaskCompletionSource<T> completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration registration = cancellationToken.Register(() => completion.TrySetCanceled());
            pipeline.Invoke(() =>
            {
                try
                {
                    completion.TrySetResult(function());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                }
            });
            return await completion.Task.ConfigureAwait(false);
        }

        private static void TryWriteProgress(AsyncPipeline pipeline, ProgressRecord record)
        {
            try
            {
                pipeline.WriteProgress(record);
            }
            catch (OperationCanceledException)
            {
                // The block has ended (Ctrl+C): the host clears its bars itself.
            }
        }

        /// <summary>Draws the upload's bar from the uploader's progress reports (a few a second, from a worker thread).</summary>
        private sealed class UploadProgress : IProgress<DownloadProgress>
        {
            private readonly AsyncPipeline _pipeline;
            private readonly string _activity;

            public UploadProgress(AsyncPipeline pipeline, string activity)
            {
                _pipeline = pipeline;
                _activity = activity;
            }

            public void Report(DownloadProgress value)
            {
                string total = value.TotalBytes is null ? "?" : LocalMaterial.FormatSize(value.TotalBytes.Value);
                TryWriteProgress(_pipeline, new ProgressRecord(ProgressActivityId, _activity,
                    $"{LocalMaterial.FormatSize(value.BytesReceived)} of {total} at {LocalMaterial.FormatSize((long)value.BytesPerSecond)}/s")
                {
                    PercentComplete = value.PercentComplete ?? -1,
                });
            }
        }
    }
}
