using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Runs the user's uploader (Set-SeedanceConfiguration -Uploader { param($File) ...; return $url }). Must be
    /// called on the pipeline thread: a script block runs in the runspace that made it, and only that runspace's
    /// pipeline thread may run it.
    /// </summary>
    internal static class ScriptBlockUploader
    {
        /// <summary>
        /// Calls <paramref name="uploader"/> with the file as $File (and $_) and returns the URL it gave. The block runs
        /// with $ErrorActionPreference = 'Stop', so an error inside it (a failed Set-AzStorageBlobContent, say) stops
        /// it instead of letting it return the URL of a file that was never stored, and a task be paid for that.
        /// The last object it outputs is its answer (what `return $url` produces); other output before it, such as
        /// the object an upload cmdlet emits, is ignored.
        /// </summary>
        public static Uri Invoke(ScriptBlock uploader, LocalMaterial material)
        {
            FileInfo file = new FileInfo(material.FullPath);
            Collection<PSObject> output;
            try
            {
                List<PSVariable> variables = new List<PSVariable>
                {
                    new PSVariable("ErrorActionPreference", ActionPreference.Stop),
                    new PSVariable("_", file),
                };
                output = uploader.InvokeWithContext(null, variables, file);
            }
            catch (RuntimeException e) when (!(e is PipelineStoppedException))
            {
                throw new LocalMaterialException(SeedanceProblem.UploaderFailed, material.FullPath, material.Kind,
                    $"The uploader (Set-SeedanceConfiguration -Uploader) failed for '{material.FullPath}': {e.Message} No task was created for this input.", e);
            }

            object? answer = output.LastOrDefault(item => item is not null)?.BaseObject;
            string? text = answer is Uri uri ? uri.OriginalString : answer as string;
            if (CreateTaskRequestValidator.IsWebUrl(text?.Trim(), out Uri? url))
            {
                return url!;
            }

            throw new LocalMaterialException(SeedanceProblem.InvalidUploaderResult, material.FullPath, material.Kind,
                $"The uploader (Set-SeedanceConfiguration -Uploader) returned {Describe(answer)} for '{material.FullPath}'; it must return the file's " +
                "absolute http(s) URL, one the service can fetch (e.g. a pre-signed GET URL). No task was created for this input.");
        }

        private static string Describe(object? answer)
        {
            switch (answer)
            {
                case null:
                    return "nothing";
                case string text:
                    return text.Length == 0 ? "an empty string" : $"'{(text.Length <= 200 ? text : text.Substring(0, 200) + "…")}', which is not an absolute http(s) URL";
                case Uri uri:
                    return $"'{uri.OriginalString}', which is not an absolute http(s) URL";
                default:
                    return $"a {answer.GetType().Name} (not a URL string)";
            }
        }
    }
}
