using System;
using System.Collections.Generic;
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
        private readonly Queue<KeyValuePair<string, Task<SeedanceTask>>> _lookupsInInputOrder = new Queue<KeyValuePair<string, Task<SeedanceTask>>>();
        private SemaphoreSlim? _throttle;

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

                // Lookups outlive this block, so they follow the command's stop token, not the block's.
                _lookupsInInputOrder.Enqueue(new KeyValuePair<string, Task<SeedanceTask>>(id, LookUpAsync(client, id.Trim(), StopToken)));
            }

            return EmitReadyAsync(pipeline, waitForAll: false);
        }

        protected override Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) =>
            EmitReadyAsync(pipeline, waitForAll: true);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _throttle?.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Writes finished lookups from the head of the queue, so output order is input order.</summary>
        private async Task EmitReadyAsync(AsyncPipeline pipeline, bool waitForAll)
        {
            while (_lookupsInInputOrder.Count > 0 && (waitForAll || _lookupsInInputOrder.Peek().Value.IsCompleted))
            {
                KeyValuePair<string, Task<SeedanceTask>> next = _lookupsInInputOrder.Dequeue();
                try
                {
                    pipeline.WriteObject(await next.Value.ConfigureAwait(false));
                }
                catch (SeedanceException e)
                {
                    pipeline.WriteError(ErrorFrom(e, next.Key));
                }
            }
        }

        private async Task<SeedanceTask> LookUpAsync(SeedanceClient client, string id, CancellationToken cancellationToken)
        {
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _throttle.Release();
            }
        }
    }
}
