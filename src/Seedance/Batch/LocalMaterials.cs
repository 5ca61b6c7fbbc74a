using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The PowerShell side of one command's local files (the decisions are the client's <see cref="CommandMaterials"/>):
    /// resolves each path against PowerShell's current location, and uploads (through the service, or the user's
    /// Uploader script block, with a progress bar) only once the create is confirmed.
    /// </summary>
    internal sealed class LocalMaterials
    {
        private const int ProgressActivityId = 40;

        private readonly ScriptBlock? _uploader;

        /// <param name="uploader">The user's uploader, or null for the service's upload endpoint.</param>
        public LocalMaterials(ScriptBlock? uploader)
        {
            _uploader = uploader;
        }

        /// <summary>Each file checked, hashed and uploaded once per command.</summary>
        public CommandMaterials Files { get; } = new CommandMaterials();

        public bool ThroughScriptBlock => _uploader is not null;

        /// <summary>
        /// Sorts the materials of one input into URLs and local files, checks every local file, and sets the request's
        /// materials for validation. Paths are resolved on the pipeline thread (the current location belongs to the
        /// runspace); wildcards are never expanded.
        /// </summary>
        public async Task<MaterialSelection> SelectAsync(PipelineOutput pipeline, SessionState session, CreateTaskRequest request)
        {
            IReadOnlyList<MaterialValue> values = CommandMaterials.Values(request);

            // Only a value written as a path needs the session; a URL-only input (most CSV rows) skips the trip.
            IReadOnlyList<MaterialValue> resolved = values.All(value => !value.NeedsPath) ? values
                : await pipeline.InvokeAsync(() => values.Select(value => value.NeedsPath ? Resolve(session, value.Kind, value.Value) : value).ToList()).ConfigureAwait(false);
            MaterialSelection selection = Files.Select(resolved);
            selection.ForValidation(request);
            return selection;
        }

        /// <summary>
        /// Uploads the files of <paramref name="selection"/> not yet uploaded by this command, one after another, and sets
        /// the request's materials to the URLs to create with. Stops at the first failure (returned with its file): the
        /// task cannot be created without it. Cancellation (Ctrl+C) propagates as it is.
        /// </summary>
        public async Task<(SeedanceException Failure, string Path)?> UploadAsync(
            MaterialSelection selection, CreateTaskRequest request, PipelineOutput pipeline, Func<SeedanceClient> client, CancellationToken cancellationToken)
        {
            foreach (LocalMaterial material in Files.ToUpload(selection))
            {
                string activity = $"Uploading {material.FileName}";
                pipeline.WriteProgress(new ProgressRecord(ProgressActivityId, activity, $"0 of {LocalMaterial.FormatSize(material.Length)}"));
                Uri url;
                try
                {
                    ScriptBlock? uploader = _uploader;
                    url = uploader is not null
                        ? await pipeline.InvokeAsync(() => RunUploader(uploader, material)).ConfigureAwait(false)
                        : await client().Uploader.UploadAsync(material, new UploadProgress(pipeline, activity), cancellationToken).ConfigureAwait(false);
                }
                catch (SeedanceException e)
                {
                    return (e, material.FullPath);
                }
                finally
                {
                    pipeline.CloseProgress(ProgressActivityId);
                }

                Files.Uploaded(material, url);
                pipeline.WriteVerbose($"Uploaded {material.FullPath} ({material.Length:N0} bytes, {(_uploader is null ? "Service" : "ScriptBlock")}) as {url.OriginalString}.");
            }

            Files.UseUploads(selection, request);
            return null;
        }

        /// <summary>A value written as a path: resolved against the runspace's location (literal: no wildcards; ~ is home).</summary>
        private static MaterialValue Resolve(SessionState session, MaterialKind kind, string value)
        {
            try
            {
                string full = FileSystemPaths.Resolve(session, value, out ProviderInfo provider);
                return string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase)
                    ? MaterialValue.File(kind, value, full)
                    : MaterialValue.Refused(new LocalMaterialException(SeedanceProblem.MaterialNotAFile, value, kind,
                        $"'{value}' is a path of the {provider.Name} provider, not a file. Give a file system path or an http(s) URL."));
            }
            catch (Exception e) when (e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                return CommandMaterials.NoSuchDrive(kind, value, e.Message);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PSInvalidOperationException)
            {
                return MaterialValue.Refused(new LocalMaterialException(SeedanceProblem.MaterialFileNotFound, value, kind, $"'{value}' is not a usable file path: {e.Message}"));
            }
        }

        /// <summary>
        /// Calls the user's uploader with the file as $File (and $_), with $ErrorActionPreference = 'Stop'; its answer is
        /// judged by <see cref="UploaderAnswer"/>. Must run on the pipeline thread: a script block runs in the runspace
        /// that made it, and only that runspace's pipeline thread may run it.
        /// </summary>
        private static Uri RunUploader(ScriptBlock uploader, LocalMaterial material)
        {
            System.IO.FileInfo file = new System.IO.FileInfo(material.FullPath);
            try
            {
                List<PSVariable> variables = new List<PSVariable> { new PSVariable("ErrorActionPreference", ActionPreference.Stop), new PSVariable("_", file) };
                return UploaderAnswer.UrlFrom(uploader.InvokeWithContext(null, variables, file).Select(item => item?.BaseObject), material);
            }
            catch (RuntimeException e) when (!(e is PipelineStoppedException))
            {
                throw UploaderAnswer.Failed(material, e);
            }
        }

        /// <summary>Draws the upload's bar from the uploader's progress reports (a few a second, from a worker thread).</summary>
        private sealed class UploadProgress : IProgress<DownloadProgress>
        {
            private readonly PipelineOutput _pipeline;
            private readonly string _activity;

            public UploadProgress(PipelineOutput pipeline, string activity)
            {
                _pipeline = pipeline;
                _activity = activity;
            }

            public void Report(DownloadProgress value)
            {
                string total = value.TotalBytes is null ? "?" : LocalMaterial.FormatSize(value.TotalBytes.Value);
                _pipeline.WriteProgress(new ProgressRecord(ProgressActivityId, _activity,
                    $"{LocalMaterial.FormatSize(value.BytesReceived)} of {total} at {LocalMaterial.FormatSize((long)value.BytesPerSecond)}/s")
                {
                    PercentComplete = value.PercentComplete ?? -1,
                });
            }
        }
    }
}
