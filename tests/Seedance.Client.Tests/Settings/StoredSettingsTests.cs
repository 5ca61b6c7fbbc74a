using System;
using System.IO;
using Seedance.Client.Http;
using Seedance.Client.Settings;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// The settings stored for the user (Set-SeedanceConfiguration -Scope CurrentUser): hostile input when read, so a
    /// file with any problem is used not at all (it may hold the daily limit the user counts on), and written owner-only.
    /// </summary>
    public sealed class StoredSettingsTests : IDisposable
    {
        private readonly StoredSettingsSandbox _sandbox = new StoredSettingsSandbox("seedance-settings-");
        private readonly StoredSettings _stored;

        public StoredSettingsTests() => _stored = _sandbox.Stored;

        public void Dispose() => _sandbox.Dispose();

        [Fact]
        public void AStoredSetting_IsReadBack_AndTheKeyIsNeverStored()
        {
            _stored.Change(settings => settings
                .With(Setting.DailyCreditLimit, 300m)
                .With(Setting.RequestTimeout, TimeSpan.FromSeconds(42))
                .With(Setting.RequestShape, RequestShape.Named("Kinovi"))
                .With(Setting.ApiKey, new ApiKey("sk-never-in-the-settings-file")));

            SeedanceSettings read = _stored.Read(out string? problem);
            Assert.Null(problem);
            Assert.Equal(300m, read[Setting.DailyCreditLimit]);
            Assert.Equal(TimeSpan.FromSeconds(42), read[Setting.RequestTimeout]);
            Assert.Equal("Kinovi", (read[Setting.RequestShape] as RequestShape)?.Name);
            Assert.Null(read[Setting.ApiKey]);
            Assert.DoesNotContain("sk-never", File.ReadAllText(_stored.FilePath));
        }

        [Fact]
        public void AChange_KeepsTheOtherStoredSettings_AndRemovingTheLastOne_RemovesTheFile()
        {
            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 300m));
            _stored.Change(settings => settings.With(Setting.BaseUri, new Uri("https://seedance2-pro.com/api/v1")));
            Assert.Equal(300m, _stored.Read(out _)[Setting.DailyCreditLimit]);

            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, null));
            _stored.Change(settings => settings.With(Setting.BaseUri, null));
            Assert.False(File.Exists(_stored.FilePath));
            Assert.False(_stored.Remove());
        }

        [Theory]
        [InlineData("{ \"DailyCreditLimit\": 300", "not a JSON object")]
        [InlineData("[300]", "not an object of settings")]
        [InlineData("{ \"DailyCreditLimt\": 300 }", "names 'DailyCreditLimt', which is no setting")]
        [InlineData("{ \"DailyCreditLimit\": 300, \"dailycreditlimit\": 900000 }", "names dailycreditlimit twice")]
        [InlineData("{ \"DailyCreditLimit\": -1 }", "DailyCreditLimit is -1, and it must be a number of credits, 0 or more")]
        [InlineData("{ \"DailyCreditLimit\": \"lots\" }", "DailyCreditLimit is \"lots\"")]
        [InlineData("{ \"BaseUri\": \"http://seedance.example.com/api/v1\" }", "BaseUri is 'http://seedance.example.com/api/v1'")]
        [InlineData("{ \"JournalPath\": \"journal.jsonl\" }", "JournalPath is \"journal.jsonl\", and it must be an absolute path")]
        [InlineData("{ \"RequestTimeout\": 0 }", "RequestTimeout is 0, and it must be whole seconds from 1 to 3600")]
        [InlineData("{ \"RequestShape\": \"Square\" }", "RequestShape is \"Square\", and it must be Seed or Kinovi")]
        [InlineData("{ \"DailyCreditLimit\": 300, \"RequestTimeout\": 0 }", "RequestTimeout is 0")] // not even the good setting before the bad one
        public void AFileWithAnyProblem_GivesNoSettingAtAll_AndAProblemNamingTheFile(string content, string says)
        {
            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 100000m)); // the folder as the module makes it
            File.WriteAllText(_stored.FilePath, content);

            SeedanceSettings read = _stored.Read(out string? problem);
            Assert.True(read.IsEmpty);
            Assert.NotNull(problem);
            Assert.Contains($"'{_stored.FilePath}'", problem);
            Assert.Contains(says, problem);

            // A change is refused rather than written over a file that cannot be read; Remove still clears it.
            Assert.Throws<IOException>(() => _stored.Change(settings => settings.With(Setting.RequestTimeout, TimeSpan.FromSeconds(9))));
            Assert.StartsWith(content.Substring(0, 5), File.ReadAllText(_stored.FilePath));
            Assert.True(_stored.Remove());
        }

        [Fact]
        public void ASettingNameWithControlSequences_IsNamedWithoutThem()
        {
            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 100000m)); // the folder as the module makes it
            File.WriteAllText(_stored.FilePath, "{ \"Daily\\u001b]0;pwned\\u0007Limit\": 300 }");

            _stored.Read(out string? problem);
            Assert.Contains("names 'DailyLimit', which is no setting", problem);
            Assert.DoesNotContain("\u001b", problem, StringComparison.Ordinal); // culture comparison ignores control characters
        }

        [Theory]
        [InlineData("{ \"DailyCreditLimit\": 5e2 }", 500)]
        [InlineData("{ \"DailyCreditLimit\": -0 }", 0)]
        [InlineData("{ \"DailyCreditLimit\": 2.5E+3 }", 2500)]
        public void AStoredNumber_IsReadAsTheNumberJsonMeans_InAnyNotationJsonAllows(string content, decimal expected)
        {
            // A file another tool wrote (ConvertTo-Json writes large numbers with an exponent) still holds the user's limit.
            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 100000m)); // the folder as the module makes it
            File.WriteAllText(_stored.FilePath, content);

            SeedanceSettings read = _stored.Read(out string? problem);
            Assert.Null(problem);
            Assert.Equal(expected, read[Setting.DailyCreditLimit]);
        }

        [Fact]
        public void OnUnix_TheFileIsOwnerOnly_AndOneOpenToOthersIsNotUsed()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            _stored.Change(settings => settings.With(Setting.DailyCreditLimit, 300m));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_stored.FilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_stored.FilePath)!));

            File.SetUnixFileMode(_stored.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            SeedanceSettings read = _stored.Read(out string? problem);
            Assert.Null(read[Setting.DailyCreditLimit]);
            Assert.Contains("other users can reach it", problem);
        }

        [Theory]
        [InlineData("2000", true, 2000)]
        [InlineData(" 1500.5 ", true, 1500.5)]
        [InlineData("0", true, 0)]
        [InlineData("-1", false, 0)]
        [InlineData("1,500", false, 0)]
        [InlineData("lots", false, 0)]
        public void ADailyCreditLimit_IsZeroOrMoreCredits_InInvariantNotation(string text, bool valid, decimal expected)
        {
            Assert.Equal(valid, Setting.TryParseLimit(text, out decimal limit));
            if (valid)
            {
                Assert.Equal(expected, limit);
            }
        }
    }
}
