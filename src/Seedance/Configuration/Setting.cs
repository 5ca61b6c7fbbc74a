namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The name and type of one session setting. The settings themselves are listed in <see cref="Settings"/>;
    /// values live in a <see cref="SettingsLayer"/> (the process's, or one runspace's).
    /// </summary>
    internal sealed class Setting<T>
    {
        public Setting(string name)
        {
            Name = name;
        }

        /// <summary>The parameter of Set-SeedanceConfiguration that sets it, and the name Get-SeedanceConfiguration shows.</summary>
        public string Name { get; }

        public override string ToString() => Name;
    }
}
