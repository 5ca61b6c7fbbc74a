using System;
using System.IO;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Gallery;
using Seedance.Client.Journal;
using Seedance.Client.Workflows;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Where Save-SeedanceVideo writes: a folder (one file per video, named after its task's Name, or its id) or one file
    /// (the rule is <see cref="SaveWorkflow.IsFolderPath"/>). Here: -Path resolved through PowerShell's providers, the
    /// folder created under ShouldProcess, and the refusals as terminating errors before anything is paid for. The rules
    /// it applies are <see cref="SaveWorkflow"/>'s; this is only their binding to PowerShell.
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
        /// The folder videos land in: -Path itself, or the folder of a one-file -Path. The early-end warning's command
        /// saves there (a one-file -Path would take only one of the tasks it names).
        /// </summary>
        public string Folder => IsFolder ? FullPath : Path.GetDirectoryName(FullPath)!;

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
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "InvalidDestination", given));
                throw;
            }

            if (SaveWorkflow.IsFolderPath(given, full))
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

            if (SaveWorkflow.RefusedBeforeAnyTask(full, overwrite) is SeedanceException exists)
            {
                // Found now, before anything upstream is created and paid for, rather than after the video is made.
                cmdlet.ThrowTerminatingError(SeedanceErrors.FromException(exists, full, null));
            }

            EnsureWritable(cmdlet, folder!, given);
            return new SaveDestination(full, isFolder: false, given, overwrite);
        }

        /// <summary>
        /// The review page of -Gallery in the destination's folder, with the rows it already has; null under -WhatIf (no
        /// page is written). A data file it cannot read is a terminating error before any upstream command has processed a
        /// row: the page's remembered rows are not written over.
        /// </summary>
        public static GalleryExport? OpenGallery(PSCmdlet cmdlet, SaveDestination destination, decimal usdPerCredit)
        {
            string folder = destination.Folder;
            try
            {
                GalleryExport gallery = GalleryExport.Open(folder, null, usdPerCredit);
                return cmdlet.ShouldProcess(gallery.PagePath, "Write the review page as videos are saved") ? gallery : null;
            }
            catch (GalleryDataException e)
            {
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "GalleryDataUnreadable", e.Path));
                throw;
            }
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
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "DestinationFolderNotCreated", given,
                    $"The folder '{full}' for the videos could not be created: {e.Message} Nothing was created or paid for; choose a folder you can write to (-Path)."));
            }

            return true;
        }

        /// <summary>A folder the videos cannot be written to: a terminating error now, before every task was paid for.</summary>
        private static void EnsureWritable(PSCmdlet cmdlet, string folder, string given)
        {
            if (SaveWorkflow.CannotWriteTo(folder) is Exception e)
            {
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "DestinationNotWritable", given,
                    $"Cannot write to '{folder}': {e.Message} Nothing was created or paid for; save to a folder you can write to (-Path), or change the folder's permissions."));
            }
        }

        private static ErrorRecord FolderNotFound(string given, string message) =>
            SeedanceErrors.Create("DestinationFolderNotFound", given, message);
    }
}
