using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Seedance.Client.Journal;
using Seedance.Commands.Configuration;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Completion from the task journal: never an error (a journal that is off or cannot be read, or a configuration
    /// that stops the commands such as an unsafe key store, simply completes nothing).
    /// </summary>
    public abstract class JournalCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            JournalSnapshot journal;
            try
            {
                JournalLocation? location = SeedanceConfiguration.Resolve().JournalLocation;
                if (location is null || location.IsDisabled)
                {
                    return Array.Empty<CompletionResult>();
                }

                journal = TaskJournal.Shared(location).Read();
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                return Array.Empty<CompletionResult>();
            }

            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Complete(journal, WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase)).ToList();
        }

        protected abstract IEnumerable<CompletionResult> Complete(JournalSnapshot journal, WildcardPattern pattern);
    }

    /// <summary>
    /// -TaskId completion: the most recent ids first, each with its row Name, state and prompt excerpt as the tooltip.
    /// Cheap after the first use (the journal is read incrementally).
    /// </summary>
    public sealed class TaskIdCompleter : JournalCompleter
    {
        private const int MaxResults = 50;

        protected override IEnumerable<CompletionResult> Complete(JournalSnapshot journal, WildcardPattern pattern) =>
            journal.RecentTasks(MaxResults)
                .Where(task => pattern.IsMatch(task.TaskId!) || (task.Name is not null && pattern.IsMatch(task.Name)))
                .Select(task => new CompletionResult(CompletionText.Of(task.TaskId!), ListItem(task), CompletionResultType.ParameterValue, ToolTip(task)));

        private static string ListItem(JournalTaskSummary task) => task.Name is null ? task.TaskId! : $"{task.TaskId} ({task.Name})";

        private static string ToolTip(JournalTaskSummary task) =>
            (task.Name is null ? string.Empty : $"[{task.Name}] ") + $"{task.State}, {task.CreatedAt.ToLocalTime():g}: " +
            (task.PromptExcerpt(60) is { Length: > 0 } excerpt ? excerpt : "(prompt not known)");
    }

    /// <summary>
    /// -Name completion for Get-SeedanceTask: the row Names the task journal knows, most recent first, each once, with
    /// its latest task's state and prompt as the tooltip.
    /// </summary>
    public sealed class TaskNameCompleter : JournalCompleter
    {
        private const int MaxResults = 100;

        protected override IEnumerable<CompletionResult> Complete(JournalSnapshot journal, WildcardPattern pattern) =>
            journal.Tasks
                .Where(task => task.Name is not null && pattern.IsMatch(task.Name))
                .GroupBy(task => task.Name!, StringComparer.OrdinalIgnoreCase)
                .Take(MaxResults)
                .Select(named => named.First())
                .Select(task => new CompletionResult(CompletionText.Of(WildcardPattern.Escape(task.Name!)), task.Name!, CompletionResultType.ParameterValue,
                    $"{task.State}, {task.CreatedAt.ToLocalTime():g}: " + (task.Prompt is null ? "(prompt not known)" : task.PromptExcerpt(60))));
    }
}
