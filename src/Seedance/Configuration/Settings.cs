using System;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Every setting Set-SeedanceApiKey and Set-SeedanceConfiguration can make for the process (or one runspace).
    /// </summary>
    /// <remarks>
    /// To add one: a field here; a parameter on Set-SeedanceConfiguration that checks the value before anything is set
    /// and then calls <c>layer.Set(Settings.X, value)</c> (-Reset forgets it with the rest); its check in
    /// <see cref="UserSettingsFile"/>; a property on <see cref="SeedanceConfiguration"/> read in Resolve, which also
    /// says where the value came from, and a line in the format file's configuration view. Every runspace of the
    /// process sees the new setting at once, and -Scope Runspace works for it.
    /// </remarks>
    internal static class Settings
    {
        public static readonly Setting<ApiKey> ApiKey = new Setting<ApiKey>("ApiKey");
        public static readonly Setting<Uri> BaseUri = new Setting<Uri>("BaseUri");
        public static readonly Setting<TimeSpan> RequestTimeout = new Setting<TimeSpan>("RequestTimeout");
        public static readonly Setting<PriceTable> PriceTable = new Setting<PriceTable>("PriceTable");

        /// <summary>Set-SeedanceConfiguration -RequestShape: the input names createTask is written with, whatever the host.</summary>
        public static readonly Setting<RequestShape> RequestShape = new Setting<RequestShape>("RequestShape");

        /// <summary>Set-SeedanceConfiguration -JournalPath: an absolute path (resolved when set), or 'off'.</summary>
        public static readonly Setting<string> JournalPath = new Setting<string>("JournalPath");

        /// <summary>Set-SeedanceConfiguration -DailyCreditLimit: credits the creates of the last 24 hours may take, all processes together.</summary>
        public static readonly Setting<decimal> DailyCreditLimit = new Setting<decimal>("DailyCreditLimit");

        /// <summary>
        /// Set-SeedanceConfiguration -Uploader. Unlike the others, only ever in the runspace that set it (see
        /// <see cref="SessionSettings.Uploader"/>).
        /// </summary>
        public static readonly Setting<ScriptBlock> Uploader = new Setting<ScriptBlock>("Uploader");
    }

    /// <summary>The name and type of one setting; its values live in a <see cref="SettingsLayer"/>.</summary>
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
