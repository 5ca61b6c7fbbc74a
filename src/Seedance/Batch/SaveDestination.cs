using System;
using System.IO;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Journal;
using Seedance.Client.Workflows;
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
        private readonly bool _overwrite;

        /// <summary>-WhatIf: the folder would have been created, so the files in it are only "what if" too.</summary>
        private bool _onlyWhatIf;

        private SaveDestination(string fullPath, bool isFolder, string given, bool overwrite)
        {
            FullPath = fullPath;
            IsFolder = isFolder;
            _given = given;
            _overwrite = overwrite;
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
                full = FileSystemPaths.Resolve(cmdlet.SessionState, given, out ProviderInfo provider);
                if (provider.Name != "FileSystem")
                {
                    throw new NotSupportedException($"'{given}' is on the {provider.Name} provider; videos can only be saved to the file system.");
                }
            }
            catch (Exception e) when (e is NotSupportedException || e is PSArgumentException || e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "InvalidDestination", ErrorCategory.InvalidArgument, given));
                throw;
            }

            bool endsWithSeparator = given.EndsWith("/", StringComparison.Ordinal) || given.EndsWith("\\", StringComparison.Ordinal);
            bool isFolder = Directory.Exists(full) || endsWithSeparator || (!File.Exists(full) && Path.GetExtension(full).Length == 0);
            if (isFolder)
            {
                bool whatIf = CreateFolder(cmdlet, full, given) && !Directory.Exists(full);
                EnsureWritable(cmdlet, full, given);
                return new SaveDestination(full, isFolder: true, given, overwrite) { _onlyWhatIf = whatIf };
            }

            string? folder = Path.GetDirectoryName(full);
            if (folder is null || !Directory.Exists(folder))
            {
                cmdlet.ThrowTerminatingError(FolderNotFound(given, $"The folder '{folder}' for '{full}' does not exist. Create it first (New-Item -ItemType Directory), or give a folder as -Path."));
            }

            if (SaveWorkflow.FileExists(full, overwrite) is FileExistsException exists)
            {
                // Found now, before anything upstream is created and paid for, rather than after the video is made.
                cmdlet.ThrowTerminatingError(SeedanceErrors.FromException(exists, full, null));
            }

            EnsureWritable(cmdlet, folder!, given);
            return new SaveDestination(full, isFolder: false, given, overwrite);
        }

        /// <summary>
        /// The work of the files, once -Path is settled: which file, already saved, kept or replaced, the download into
        /// place (see <see cref="SaveWorkflow"/>).
        /// </summary>
        public SaveWorkflow Workflow(TaskJournal journal) => new SaveWorkflow(FullPath, IsFolder, _given, _overwrite, journal);

        /// <summary>The folder is not there to save into (not created: -WhatIf, or the user declined it under -Confirm), or null.</summary>
        public ErrorRecord? FolderMissing() =>
            IsFolder && !Directory.Exists(FullPath) && !_onlyWhatIf
                ? FolderNotFound(_given, $"The folder '{FullPath}' does not exist. Create it first (New-Item -ItemType Directory).")
                : null;

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
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "DestinationFolderNotCreated", ErrorCategory.WriteError, given,
                    $"The folder '{full}' for the videos could not be created: {e.Message} Nothing was created or paid for; choose a folder you can write to (-Path)."));
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
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "DestinationNotWritable", ErrorCategory.PermissionDenied, given,
                    $"Cannot write to '{folder}': {e.Message} Nothing was created or paid for; save to a folder you can write to (-Path), or change the folder's permissions."));
            }
        }

        private static ErrorRecord FolderNotFound(string given, string message) =>
            SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, given, message);
    }
}
