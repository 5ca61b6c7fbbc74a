using System;
using System.Collections.Generic;
using System.IO;
using Seedance.Client.Http;
using Seedance.Client.Settings;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Where each setting in force comes from: this runspace's, the process's, the environment, what is stored for the
    /// user, the default, highest first; and a value that cannot be used is kept with its reason, never dropped.
    /// </summary>
    public sealed class LayeredSettingsTests : IDisposable
    {
        private readonly StoredSettingsSandbox _sandbox = new StoredSettingsSandbox("seedance-layers-");
        private readonly Dictionary<string, string?> _environment = new Dictionary<string, string?>();
        private int _storedKeyReads;

        private readonly StoredSettings _stored;

        public LayeredSettingsTests() => _stored = _sandbox.Stored;

        public void Dispose() => _sandbox.Dispose();

        [Fact]
        public void Precedence_IsRunspace_ThenProcess_ThenEnvironment_ThenCurrentUser_ThenDefault()
        {
            SeedanceSettings runspace = new SeedanceSettings();
            SeedanceSettings process = new SeedanceSettings();
            Assert.Equal((null, "Default"), Limit(runspace, process));

            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 300m));
            Assert.Equal((300m, "CurrentUser"), Limit(runspace, process));

            _environment["SEEDANCE_DAILY_CREDIT_LIMIT"] = "400";
            Assert.Equal((400m, "Environment"), Limit(runspace, process));

            process = process.With(Setting.DailyCreditLimit, 500m);
            Assert.Equal((500m, "Process"), Limit(runspace, process));

            runspace = runspace.With(Setting.DailyCreditLimit, 600m);
            Assert.Equal((600m, "Runspace"), Limit(runspace, process));
            Assert.Equal((500m, "Process"), Limit(null, process)); // no runspace: nothing narrower than the process
        }

        [Fact]
        public void ASettingWithoutAnEnvironmentVariable_GoesFromTheProcessStraightToTheStoredOne()
        {
            _stored.Change(settings => settings.With(Setting.RequestTimeout, TimeSpan.FromSeconds(42)));
            _environment["SEEDANCE_REQUEST_TIMEOUT"] = "7";

            LayeredSettings settings = Resolve(null, new SeedanceSettings());
            Assert.Equal((TimeSpan.FromSeconds(42), "CurrentUser"), (settings.RequestTimeout, settings.RequestTimeoutSource));
            Assert.Equal("Host", settings.RequestShapeSource);
            Assert.Equal(Path.Combine(_sandbox.Root, "seedance", "settings.json"), settings.SettingsPath);
        }

        [Fact]
        public void TheStoredKey_IsReadOnlyWhenNoLayerAboveSetsOne()
        {
            LayeredSettings settings = Resolve(null, new SeedanceSettings().With(Setting.ApiKey, new ApiKey("sk-process")));
            Assert.Equal("Process", settings.ApiKeySource);
            Assert.Equal(0, _storedKeyReads);

            _environment["SEEDANCE_API_KEY"] = "sk-environment";
            Assert.Equal("Environment", Resolve(null, new SeedanceSettings()).ApiKeySource);
            Assert.Equal(0, _storedKeyReads);

            _environment["SEEDANCE_API_KEY"] = " ";
            settings = Resolve(null, new SeedanceSettings());
            Assert.Equal(("CurrentUser", 1), (settings.ApiKeySource, _storedKeyReads));
        }

        [Fact]
        public void AnUnusableEnvironmentLimit_IsKeptAsAProblem_NeverAsNoLimit()
        {
            _environment["SEEDANCE_DAILY_CREDIT_LIMIT"] = "lots";
            LayeredSettings settings = Resolve(null, new SeedanceSettings());
            Assert.Null(settings.DailyCreditLimit);
            Assert.Equal("Environment", settings.DailyCreditLimitSource);
            Assert.StartsWith("SEEDANCE_DAILY_CREDIT_LIMIT is 'lots', and it must be a number of credits", settings.ProblemOf(Setting.DailyCreditLimit));
        }

        [Fact]
        public void AnEnvironmentBaseUriThatCannotBeUsed_IsKeptWithItsProblem_AndShownWithoutItsUserInfo()
        {
            _environment["SEEDANCE_BASE_URI"] = "http://user:secret@seedance.example.com/api/v1";
            LayeredSettings settings = Resolve(null, new SeedanceSettings());
            Assert.Equal("Environment", settings.BaseUriSource);
            Assert.NotNull(settings.BaseUriProblem);
            Assert.DoesNotContain("secret", settings.BaseUri!.ToString());
            Assert.DoesNotContain("secret", settings.BaseUriProblem);

            _environment["SEEDANCE_BASE_URI"] = null;
            settings = Resolve(null, new SeedanceSettings());
            Assert.Equal((SeedanceClientOptions.DefaultBaseUri, "Default", null), (settings.BaseUri, settings.BaseUriSource, settings.BaseUriProblem));
        }

        [Fact]
        public void AStoredFileThatCannotBeUsed_IsNoLayerAtAll_AndSaysWhy()
        {
            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 300m));
            File.WriteAllText(_stored.FilePath, "{ \"DailyCreditLimit\": 300, \"DailyCreditLimt\": 1 }");
            LayeredSettings settings = Resolve(null, new SeedanceSettings());
            Assert.Equal((null, "Default"), (settings.DailyCreditLimit, settings.DailyCreditLimitSource));
            Assert.Contains("DailyCreditLimt", settings.SettingsProblem);
        }

        [Theory]
        [InlineData("3", 3)]
        [InlineData("0", 0)]
        [InlineData("15", 10)]
        [InlineData("-1", 10)]
        [InlineData("soon", 10)]
        public void TheCreateStopGrace_IsZeroTo14Seconds_AnythingElseIsTheDefault(string given, int seconds)
        {
            _environment["SEEDANCE_CREATE_STOP_GRACE"] = given;
            Assert.Equal(TimeSpan.FromSeconds(seconds), Resolve(null, new SeedanceSettings()).CreateStopGrace);
        }

        private (decimal?, string) Limit(SeedanceSettings? runspace, SeedanceSettings process)
        {
            LayeredSettings settings = Resolve(runspace, process);
            return (settings.DailyCreditLimit, settings.DailyCreditLimitSource);
        }

        private LayeredSettings Resolve(SeedanceSettings? runspace, SeedanceSettings process) =>
            new LayeredSettings(runspace, process, _stored, name => _environment.TryGetValue(name, out string? value) ? value : null, () =>
            {
                _storedKeyReads++;
                return "sk-stored";
            });
    }
}
