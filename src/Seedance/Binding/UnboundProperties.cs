using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Columns that bind to nothing: a CSV row's "Resolution" or "seed" that no parameter takes is dropped by PowerShell
    /// without a word, and the task is made (and paid for) without it. Each such property is named in a warning, once
    /// per command (a CSV repeats its columns on every row). Only rows made of note properties are looked at (Import-Csv,
    /// ConvertFrom-Json, [pscustomobject]): a .NET object's many properties are not meant as inputs. The module's own
    /// objects piped back, or their exports (a row with a TaskId), carry its known column set, which is not warned about.
    /// </summary>
    internal sealed class UnboundProperties
    {
        private static readonly HashSet<string> ModuleColumns = new HashSet<string>(
            new[] { typeof(SeedanceTask), typeof(SeedanceUncertainCreate), typeof(CreateTaskRequest) }
                .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                .Select(property => property.Name),
            StringComparer.OrdinalIgnoreCase);

        private readonly HashSet<string> _bindable;
        private readonly HashSet<string> _warned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string _commandName;

        private UnboundProperties(string commandName, HashSet<string> bindable)
        {
            _commandName = commandName;
            _bindable = bindable;
        }

        /// <summary>
        /// A piped object without a Prompt property (a CSV read with the wrong delimiter, a misspelt column, a
        /// hashtable, which never binds by property name) still binds: PowerShell turns the whole object into text
        /// for -Prompt, and that text would be sent and paid for. Refused, naming the row's properties.
        /// </summary>
        public static ErrorRecord? PromptMissing(PSObject? input)
        {
            if (input is null || input.BaseObject is string || input.Properties["Prompt"] is not null)
            {
                return null;
            }

            string[] names = input.Properties.Where(p => p.IsGettable).Select(p => p.Name).Take(12).ToArray();
            string hint = input.BaseObject is System.Collections.IDictionary
                ? " A hashtable does not bind by property name: make it an object, [pscustomobject]@{ Prompt = '...' }."
                : names.Any(name => name.IndexOf(';') >= 0 || name.IndexOf('\t') >= 0)
                    ? " The column names hold ';': the file uses another delimiter than ',', so read it with Import-Csv -Delimiter ';'."
                    : " Name the column with the prompt 'Prompt'.";
            string message = $"The input has no Prompt property, so there is no prompt to send (its properties: {string.Join(", ", names)}).{hint}";
            return SeedanceErrors.Record(new ArgumentException(message, "Prompt"), "PromptMissing", input, message);
        }

        /// <summary>The names (and aliases) of the command's parameters that take a value from a property of the input.</summary>
        public static UnboundProperties For(CommandInfo command)
        {
            HashSet<string> bindable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (ParameterMetadata parameter in command.Parameters.Values)
            {
                if (parameter.Attributes.OfType<ParameterAttribute>().Any(attribute => attribute.ValueFromPipelineByPropertyName))
                {
                    bindable.Add(parameter.Name);
                    bindable.UnionWith(parameter.Aliases);
                }
            }

            return new UnboundProperties(command.Name, bindable);
        }

        /// <summary>The warning for the input's properties that bind to nothing and were not named before; null when there are none.</summary>
        public string? Warning(PSObject? input)
        {
            if (input is null || input.BaseObject is not PSCustomObject)
            {
                return null;
            }

            List<PSPropertyInfo> notes = input.Properties.Where(property => property is PSNoteProperty).ToList();
            bool isModuleExport = notes.Any(property => string.Equals(property.Name, nameof(SeedanceTask.TaskId), StringComparison.OrdinalIgnoreCase));
            string[] unbound = notes
                .Select(property => property.Name)
                .Where(name => !_bindable.Contains(name) && !(isModuleExport && ModuleColumns.Contains(name)) && _warned.Add(name))
                .ToArray();
            if (unbound.Length == 0)
            {
                return null;
            }

            return $"No parameter of {_commandName} takes the input's {(unbound.Length == 1 ? "property" : "properties")} {string.Join(", ", unbound.Select(name => $"'{name}'"))}, " +
                "so they are not sent. Rename a column to the parameter it is meant for (Get-Help " + _commandName + " -Parameter *), or remove it. " +
                "Said once per command.";
        }
    }
}
