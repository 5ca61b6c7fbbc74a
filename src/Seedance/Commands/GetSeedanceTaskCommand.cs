using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceTask: the current state of tasks by id, looked up concurrently, emitted in input order.
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceTask", HelpUri = HelpLinks.Docs + "Get-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class GetSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private SemaphoreSlim? _throttle;
        private Task _previousOutput = Task.CompletedTask;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            SeedanceClient client = RequireClient(pipeline);
            _throttle ??= new SemaphoreSlim(ThrottleLimit);
            foreach (string id in TaskId)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    pipeline.WriteError(SeedanceErrors.EmptyTaskId(id));
                    continue;
                }

                // Each lookup runs at once but writes only after the one before it: output in input order.
                Task previous = _previousOutput;
                _previousOutput = Background.Start(token => LookUpAsync(client, id.Trim(), previous, token));
            }

            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _throttle?.Dispose();
            }
        }

        private async Task LookUpAsync(SeedanceClient client, string id, Task previous, CancellationToken cancellationToken)
        {
            SeedanceTask? task = null;
            Exception? failure = null;
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                task = await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong with this id is an error for this id; the other lookups go on.
                failure = e;
            }
            finally
            {
                _throttle.Release();
            }

            await previous.ConfigureAwait(false);
            if (task is not null)
            {
                Background.WriteObject(task);
            }
            else
            {
                Background.WriteError(SeedanceErrors.ForTask(ErrorFrom(failure!, id), id));
            }
        }
    }
}
