using System.Collections.Generic;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// The settings of one scope: the process's, one runspace's (Set-SeedanceApiKey -Scope Process|Runspace,
    /// Set-SeedanceConfiguration), or the user's stored file (<see cref="StoredSettings"/>), each value under its
    /// <see cref="Setting"/>. Not there means not set: the layer below applies (<see cref="LayeredSettings"/>).
    /// </summary>
    /// <remarks>
    /// Never changed once made: runspaces on other threads read the current one without a lock, so a change makes a copy
    /// (<see cref="With"/>) and they see all of a call or none of it.
    /// </remarks>
    internal sealed class SeedanceSettings
    {
        private readonly Dictionary<Setting, object> _values;

        public SeedanceSettings()
            : this(new Dictionary<Setting, object>())
        {
        }

        private SeedanceSettings(Dictionary<Setting, object> values)
        {
            _values = values;
        }

        /// <summary>The value set here (of the setting's own type: Uri, TimeSpan, PriceTable...), or null.</summary>
        public object? this[Setting setting] => _values.TryGetValue(setting, out object? value) ? value : null;

        public bool IsEmpty => _values.Count == 0;

        /// <summary>A copy with <paramref name="setting"/> set to <paramref name="value"/> (null: not set here).</summary>
        public SeedanceSettings With(Setting setting, object? value)
        {
            Dictionary<Setting, object> copy = new Dictionary<Setting, object>(_values);
            if (value is null)
            {
                copy.Remove(setting);
            }
            else
            {
                copy[setting] = value;
            }

            return new SeedanceSettings(copy);
        }
    }
}
