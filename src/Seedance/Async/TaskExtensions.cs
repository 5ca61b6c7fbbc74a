using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    internal static class TaskExtensions
    {
        /// <summary>Awaits <paramref name="task"/>, or throws OperationCanceledException as soon as the token is cancelled (netstandard2.0 has no Task.WaitAsync).</summary>
        public static async Task OrCancelled(this Task task, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted && cancellationToken.CanBeCanceled)
            {
                TaskCompletionSource<bool> cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await task.ConfigureAwait(false);
        }
    }
}
