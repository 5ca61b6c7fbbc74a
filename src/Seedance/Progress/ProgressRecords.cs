using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>Progress records shared by the wait and download bars.</summary>
    internal static class ProgressRecords
    {
        /// <summary>The record that closes bar <paramref name="activityId"/> (a host removes it from the screen).</summary>
        public static ProgressRecord Completed(int activityId, string activity, int parentActivityId = -1) =>
            new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = parentActivityId };
    }
}
