using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Base of every command: the warning, verbose and debug streams with each key this process resolved masked
    /// (<see cref="SeedanceErrors.Redact"/>), as every error is. Their lines quote what users and the service gave (task
    /// ids, row Names, prompts, URLs, settings). These hide PSCmdlet's own, so a command's direct calls and the async
    /// base's queues (<see cref="PipelineOutput"/>) pass the same gate.
    /// </summary>
    public abstract class SeedanceCmdlet : PSCmdlet
    {
        public new void WriteWarning(string text) => base.WriteWarning(SeedanceErrors.Redact(text));

        public new void WriteVerbose(string text) => base.WriteVerbose(SeedanceErrors.Redact(text));

        public new void WriteDebug(string text) => base.WriteDebug(SeedanceErrors.Redact(text));
    }
}
