using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using Seedance.Client;
using Seedance.Client.Files;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Where Save-SeedanceVideo writes: a folder (one file per video, named after its task's Name, or its id) or one file. -Path is a
    /// folder when it exists as one, ends with a separator, or does not exist and has no file extension (so
    /// './videos' is a folder, as users mean it); a path with an extension names one file for one task.
    /// </summary>
    internal sealed class SaveDestination
    {
        private readonly string _given;
        private readonly System.Collections.Generic.Dictionary<string, string> _stemOwners =
            new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        private int _singleFileTaken;

        /// <summary>-WhatIf: the folder would have been created, so the files in it are only "what if" too.</summary>
        private bool _onlyWhatIf;

        private SaveDestination(string fullPath, bool isFolder, string given)
        {
            FullPath = fullPath;
            IsFolder = isFolder;
            _given = given;
        }

        public string FullPath { get; }
        public bool IsFolder { get; }

        /// <summary>
        /// Resolves -Path against PowerShell's current location and, for a folder that does not exist yet, creates
        /// it (with ShouldProcess). On the pipeline thread, in BeginProcessing: a destination that cannot work is a
        /// terminating error before any upstream command has created (and paid for) a task.
        /// </summary>
        public static SaveDestination Resolve(PSCmdlet cmdlet, string? path, bool overwrite)
        {
            string given = string.IsNullOrEmpty(path) ? "." : path!;
            string full;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out ProviderInfo provider, out PSDriveInfo _);
                if (provider.Name != "FileSystem")
                {
                    throw new NotSupportedException($"'{given}' is on the {provider.Name} provider; videos can only be saved to the file system.");
                }
            }
            catch (Exception e) when (e is NotSupportedException || e is PSArgumentException || e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(e, "InvalidDestination", ErrorCategory.InvalidArgument, given));
                throw;
            }

            bool endsWithSeparator = given.EndsWith("/", StringComparison.Ordinal) || given.EndsWith("\\", StringComparison.Ordinal);
            bool isFolder = Directory.Exists(full) || endsWithSeparator || (!File.Exists(full) && Path.GetExtension(full).Length == 0);
            if (isFolder)
            {
                bool whatIf = CreateFolder(cmdlet, full, given) && !Directory.Exists(full);
                EnsureWritable(cmdlet, full, given);
                return new SaveDestination(full, isFolder: true, given) { _onlyWhatIf = whatIf };
            }

            string? folder = Path.GetDirectoryName(full);
            if (folder is null || !Directory.Exists(folder))
            {
                cmdlet.ThrowTerminatingError(FolderNotFound(given, $"The folder '{folder}' for '{full}' does not exist. Create it first (New-Item -ItemType Directory), or give a folder as -Path."));
            }

            if (File.Exists(full) && !overwrite)
            {
                // Found now, before anything upstream is created and paid for, rather than after the video is made.
                cmdlet.ThrowTerminatingError(SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, full,
                    $"The file '{full}' already exists. Nothing was created or paid for; use -Force to overwrite it, or -Path to choose another place."));
            }

            EnsureWritable(cmdlet, folder!, given);
            return new SaveDestination(full, isFolder: false, given);
        }

        /// <summary>The file for video <paramref name="index"/> of <paramref name="task"/>, or null with the error that refuses it.</summary>
        /// <param name="savedBy">
        /// Which task the journal says was last saved to a path (null: none known, or no journal). In a folder, a file
        /// another task owns is never the file of this one, with or without -Force: this task gets a name of its own.
        /// </param>
        public string? FileFor(SeedanceTask task, int index, Func<string, string?> savedBy, out ErrorRecord? refused)
        {
            refused = null;
            if (IsFolder)
            {
                if (!Directory.Exists(FullPath) && !_onlyWhatIf)
                {
                    // Not created: -WhatIf, or the user declined it under -Confirm.
                    refused = FolderNotFound(_given, $"The folder '{FullPath}' does not exist. Create it first (New-Item -ItemType Directory).");
                    return null;
                }

                // The row's Name names the file when the task has one (made safe: it is the user's text); otherwise the
                // id, which comes from the service: it names the file, never the place (no "..", separators, devices).
                try
                {
                    string stem = StemFor(task);
                    string suffix = (index == 0 ? string.Empty : "_" + (index + 1)) + ".mp4";
                    string path = TaskFileName.PathInFolder(FullPath, stem, suffix);
                    string? owner = savedBy(path);
                    return owner is null || owner == task.TaskId
                        ? path
                        : TaskFileName.PathInFolder(FullPath, RowFileName.ForAnotherTask(stem, task.TaskId), suffix);
                }
                catch (InvalidTaskIdException e)
                {
                    refused = SeedanceErrors.FromException(e, task, null);
                    return null;
                }
            }

            if (Interlocked.Increment(ref _singleFileTaken) > 1)
            {
                refused = SeedanceErrors.Create("PathIsSingleFile", ErrorCategory.InvalidArgument, task,
                    $"-Path '{_given}' names one file (it has an extension), but the video of task {task.TaskId} came in after another. Give a folder to save several videos, e.g. -Path ./videos.");
                return null;
            }

            return FullPath;
        }

        /// <summary>
        /// The file name stem of a task's videos in the folder: its Name made safe (RowFileName), or its id. Two tasks of
        /// one Name in one command (the journal off, or a Name that differs only in case) must not share a file, so the
        /// second gets "&lt;Name&gt;_&lt;taskId&gt;": each paid video keeps a file of its own, and the names still sort together.
        /// </summary>
        private string StemFor(SeedanceTask task)
        {
            string? stem = RowFileName.Stem(task.Name);
            if (stem is null)
            {
                return task.TaskId;
            }

            lock (_stemOwners)
            {
                if (!_stemOwners.TryGetValue(stem, out string? owner))
                {
                    _stemOwners[stem] = task.TaskId;
                    return stem;
                }

                return owner == task.TaskId ? stem : RowFileName.ForAnotherTask(stem, task.TaskId);
            }
        }

        /// <summary>Creates the folder; false when -WhatIf only said it would (then nothing is downloaded either).</summary>
        private static bool CreateFolder(PSCmdlet cmdlet, string full, string given)
        {
            if (Directory.Exists(full))
            {
                return true;
            }

            string action = "Create folder for Seedance videos";
            if (!cmdlet.ShouldProcess($"Performing the operation \"{action}\" on target \"{full}\".", $"Create the folder '{full}'?", action, out ShouldProcessReason reason))
            {
                return reason == ShouldProcessReason.WhatIf;
            }

            try
            {
                Directory.CreateDirectory(full);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(e, "DestinationFolderNotCreated", ErrorCategory.WriteError, given)
                {
                    ErrorDetails = new ErrorDetails($"The folder '{full}' for the videos could not be created: {e.Message} Nothing was created or paid for; choose a folder you can write to (-Path)."),
                });
            }

            return true;
        }

        /// <summary>
        /// Writes and deletes a probe file: a folder the videos cannot be written to is found now, not after every
        /// task was paid for. (Permissions alone do not tell: ACLs, read-only mounts, quotas.)
        /// </summary>
        private static void EnsureWritable(PSCmdlet cmdlet, string folder, string given)
        {
            if (!Directory.Exists(folder))
            {
                return;
            }

            string probe = Path.Combine(folder, ".seedance-write-test-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(e, "DestinationNotWritable", ErrorCategory.PermissionDenied, given)
                {
                    ErrorDetails = new ErrorDetails($"Cannot write to '{folder}': {e.Message} Nothing was created or paid for; save to a folder you can write to (-Path), or change the folder's permissions."),
                });
            }
        }

        private static ErrorRecord FolderNotFound(string given, string message) =>
            SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, given, message);
    }
}
