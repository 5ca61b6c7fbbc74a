using System;
using System.IO;
using Seedance.Client.Settings;

namespace Seedance.Client.Tests
{
    /// <summary>A user's settings folder of the test's own under the temp folder (Root/seedance), removed with it.</summary>
    internal sealed class StoredSettingsSandbox : IDisposable
    {
        public StoredSettingsSandbox(string prefix)
        {
            Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
            Stored = new StoredSettings(new UserFolder(Path.Combine(Root, "seedance")));
        }

        public string Root { get; }

        public StoredSettings Stored { get; }

        public void Dispose()
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }
}
