using System;
using System.Collections.Generic;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The settings made in one scope. Runspaces on other threads read it while one of them writes, so it is
    /// copy-on-write: a writer replaces the whole table under a lock, a reader takes the current table without one,
    /// and so sees all of a Set-SeedanceConfiguration call or none of it.
    /// </summary>
    internal sealed class SettingsLayer
    {
        private static readonly Dictionary<string, object> Nothing = new Dictionary<string, object>(StringComparer.Ordinal);

        private readonly object _writeLock = new object();
        private volatile Dictionary<string, object> _values = Nothing;

        public SettingsLayer(string scope, string? problem = null)
        {
            Scope = scope;
            Problem = problem;
        }

        /// <summary>"Process", "Runspace" or "CurrentUser": what Get-SeedanceConfiguration shows as the source of a value from here.</summary>
        public string Scope { get; }

        /// <summary>Why the stored settings file cannot be used (naming it), or null; a layer with a problem holds no values.</summary>
        public string? Problem { get; }

        public bool IsEmpty => _values.Count == 0;

        /// <summary>Every value of this scope by setting name (what the stored settings file is written from).</summary>
        public IReadOnlyDictionary<string, object> Values => _values;

        public bool TryGet<T>(Setting<T> setting, out T value)
        {
            if (_values.TryGetValue(setting.Name, out object? stored))
            {
                value = (T)stored;
                return true;
            }

            value = default!;
            return false;
        }

        public void Set<T>(Setting<T> setting, T value)
        {
            if (value is null)
            {
                Remove(setting);
                return;
            }

            Update(values => values[setting.Name] = value);
        }

        public void Remove<T>(Setting<T> setting) => Update(values => values.Remove(setting.Name));

        /// <summary>Forgets every setting of this scope except <paramref name="keep"/> (Set-SeedanceConfiguration -Reset keeps the key).</summary>
        public void RemoveAllBut<T>(Setting<T> keep) =>
            Update(values =>
            {
                bool kept = values.TryGetValue(keep.Name, out object? value);
                values.Clear();
                if (kept)
                {
                    values[keep.Name] = value!;
                }
            });

        private void Update(Action<Dictionary<string, object>> change)
        {
            lock (_writeLock)
            {
                Dictionary<string, object> copy = new Dictionary<string, object>(_values, StringComparer.Ordinal);
                change(copy);
                _values = copy;
            }
        }
    }
}
