using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The rules of one command's local files (moved from the PowerShell layer's LocalMaterials and MaterialSelection).</summary>
    public sealed class CommandMaterialsTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-materials-" + Guid.NewGuid().ToString("N"));
        private readonly CommandMaterials _materials = new CommandMaterials();

        public CommandMaterialsTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Png(string name, byte fill)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, MediaSignatureTests.Header("png").Concat(Enumerable.Repeat(fill, 1000)).ToArray());
            return path;
        }

        private static string Sha256(string path)
        {
            using SHA256 sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(File.ReadAllBytes(path)).Select(b => b.ToString("x2")));
        }

        private MaterialSelection Select(params MaterialValue[] values) => _materials.Select(values);

        [Fact]
        public void AFile_IsCheckedAndHashedOncePerCommand_HoweverManyInputsNameIt()
        {
            string cat = Png("cat.png", 1);
            string hash = Sha256(cat);
            LocalMaterial first = Select(MaterialValue.File(MaterialKind.Image, "cat.png", cat)).Entries.Single().Local!;
            Assert.Equal(hash, first.Sha256);

            // Changed after the first input: the command keeps what it checked (and will upload) for every input that names it.
            File.WriteAllBytes(cat, MediaSignatureTests.Header("png").Concat(Enumerable.Repeat((byte)2, 1000)).ToArray());
            Assert.Same(first, Select(MaterialValue.File(MaterialKind.Image, "./cat.png", cat)).Entries.Single().Local);

            // Another command hashes it afresh.
            Assert.NotEqual(hash, new CommandMaterials().Select(new[] { MaterialValue.File(MaterialKind.Image, "cat.png", cat) }).Entries.Single().Local!.Sha256);
        }

        [Fact]
        public void ForValidation_GivesEachFileAsItsPath_AndRecordsItsKindPositionPathAndHash()
        {
            string cat = Png("cat.png", 1);
            string clip = Path.Combine(_folder, "clip.mp4");
            File.WriteAllBytes(clip, MediaSignatureTests.Header("mp4").Concat(new byte[500]).ToArray());
            CreateTaskRequest request = new CreateTaskRequest();

            Select(MaterialValue.OfUrl(MaterialKind.Image, "https://cdn.example.com/a.png"), MaterialValue.File(MaterialKind.Image, "cat.png", cat),
                MaterialValue.File(MaterialKind.Video, "clip.mp4", clip)).ForValidation(request);

            Assert.Equal(new[] { "https://cdn.example.com/a.png", cat }, request.ImageUrls);
            Assert.Equal(new[] { clip }, request.VideoUrls);
            Assert.Equal(new[] { (MaterialKind.Image, 1, cat, Sha256(cat)), (MaterialKind.Video, 0, clip, Sha256(clip)) },
                request.LocalFiles.Select(file => (file.Kind, file.Index, file.Path, file.Sha256)));
        }

        [Fact]
        public void AFile_IsUploadedOncePerCommand_AndEachInputSendsTheUrlItWasUploadedTo()
        {
            string cat = Png("cat.png", 1);
            MaterialSelection row1 = Select(MaterialValue.File(MaterialKind.Image, "cat.png", cat), MaterialValue.File(MaterialKind.Image, "cat.png", cat));
            LocalMaterial file = Assert.Single(_materials.ToUpload(row1));
            Assert.StartsWith("Upload " + cat, row1.DescribeAction("Create Seedance task costing 200 credits", _materials, throughScriptBlock: false));

            _materials.Uploaded(file, new Uri("https://up.example/cat.png?sig=a%2Fb"));
            MaterialSelection row2 = Select(MaterialValue.OfUrl(MaterialKind.Image, "https://cdn.example.com/a.png"), MaterialValue.File(MaterialKind.Image, "cat.png", cat));
            Assert.Empty(_materials.ToUpload(row2));
            Assert.Equal("Create Seedance task costing 200 credits", row2.DescribeAction("Create Seedance task costing 200 credits", _materials, throughScriptBlock: false));

            CreateTaskRequest request = new CreateTaskRequest();
            row2.ForValidation(request);
            _materials.UseUploads(row2, request);
            Assert.Equal(new[] { "https://cdn.example.com/a.png", "https://up.example/cat.png?sig=a%2Fb" }, request.ImageUrls);
            Assert.Equal(1, request.LocalFiles.Single().Index);
        }

        [Fact]
        public void UseUploads_RefusesAFileThatWasNotUploaded()
        {
            MaterialSelection row = Select(MaterialValue.File(MaterialKind.Image, "cat.png", Png("cat.png", 1)));
            Assert.Throws<InvalidOperationException>(() => _materials.UseUploads(row, new CreateTaskRequest()));
        }

        [Fact]
        public void AFileThatFailsItsCheck_IsTheInputsFailure_AndTheRestIsKept()
        {
            MaterialSelection row = Select(MaterialValue.OfUrl(MaterialKind.Image, "https://cdn.example.com/a.png"),
                MaterialValue.File(MaterialKind.Image, "gone.png", Path.Combine(_folder, "gone.png")));

            Assert.Equal(SeedanceProblem.MaterialFileNotFound, Assert.Single(row.Failures).Problem);
            Assert.Equal("https://cdn.example.com/a.png", Assert.Single(row.Entries).Url);
            Assert.False(row.HasLocalFiles);
        }

        [Theory]
        [InlineData("https://cdn.example.com/a.png", "url")]
        [InlineData("ftp://cdn.example.com/a.png", "url")]
        [InlineData("s3://bucket/a.png", "url")]
        [InlineData("file:///home/me/cat.png", "refused")]
        [InlineData("FILE://c:/cat.png", "refused")]
        [InlineData("./cat.png", "path")]
        [InlineData("C:\\pics\\cat.png", "path")]
        public void AValueIsAPath_OnlyWhenItIsWrittenAsOne(string value, string expected)
        {
            MaterialValue? decided = CommandMaterials.WithoutPath(MaterialKind.Image, value);
            string actual = decided is null ? "path" : decided.Failure is not null ? "refused" : "url";
            Assert.Equal(expected, actual);
        }

        [Theory]
        [InlineData("mailto:me@example.com", false)]
        [InlineData("nodrive:cat.png", false)]
        [InlineData("Q:cat.png", true)]
        public void AValueOnADriveThatDoesNotExist_IsAUrlWhenItHasAScheme_OtherwiseAFileNotFound(string value, bool notFound)
        {
            MaterialValue decided = CommandMaterials.NoSuchDrive(MaterialKind.Image, value, "no such drive");
            Assert.Equal(notFound, decided.Failure?.Problem == SeedanceProblem.MaterialFileNotFound);
        }

        [Fact]
        public void AFileThisSelectionChecked_PassesTheValidator_AnotherPathIsStillLocalFileNotSupported()
        {
            string cat = Png("cat.png", 1);
            CreateTaskRequest request = new CreateTaskRequest { Prompt = "a cat" };
            Select(MaterialValue.File(MaterialKind.Image, "cat.png", cat)).ForValidation(request);
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));

            request.ImageUrls = new[] { cat, "/elsewhere/dog.png" };
            ValidationFailure refused = Assert.Single(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
            Assert.Equal("LocalFileNotSupported", refused.ErrorId);
            Assert.Equal("/elsewhere/dog.png", refused.Target);
        }

        [Fact]
        public void TheMaterialsOfARequest_AreInAtNOrder_ImagesThenVideosThenAudio_EachDecidedWithoutAPathWhereItCanBe()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Prompt = "p",
                AudioUrls = new[] { "./song.mp3" },
                VideoUrls = new[] { "https://cdn.example.com/clip.mp4" },
                ImageUrls = new[] { "./cat.png", "file:///home/me/dog.png" },
            };

            IReadOnlyList<MaterialValue> values = CommandMaterials.Values(request);
            Assert.Equal(new[] { MaterialKind.Image, MaterialKind.Image, MaterialKind.Video, MaterialKind.Audio }, values.Select(value => value.Kind));
            Assert.Equal(new[] { true, false, false, true }, values.Select(value => value.NeedsPath));
            Assert.NotNull(values[1].Failure);
            Assert.Equal("https://cdn.example.com/clip.mp4", values[2].Url);
        }

        [Fact]
        public void TheUploadersAnswer_IsTheLastObjectItWrote_AndMustBeAnAbsoluteWebUrl()
        {
            LocalMaterial cat = LocalMaterialInspector.Inspect(Png("cat.png", 1), MaterialKind.Image);
            Uri url = UploaderAnswer.UrlFrom(new object?[] { "blob written", null, new Uri("https://storage.example.com/cat.png") }, cat);
            Assert.Equal("https://storage.example.com/cat.png", url.OriginalString);

            foreach (object?[] output in new[] { new object?[0], new object?[] { "uploaded!" }, new object?[] { "/materials/cat.png" }, new object?[] { new Uri("ftp://files.example.com/cat.png") }, new object?[] { 42 } })
            {
                LocalMaterialException refused = Assert.Throws<LocalMaterialException>(() => UploaderAnswer.UrlFrom(output, cat));
                Assert.Equal(SeedanceProblem.InvalidUploaderResult, refused.Problem);
                Assert.Contains("No task was created", refused.Message);
            }
        }

        [Theory]
        [InlineData("https://u:secretpw@storage.example.com/cat.png", "UrlHasCredentials")]
        [InlineData("https://storage.example.com/cat%0d%0aX-Injected:1", "UrlHasControlCharacter")]
        [InlineData("https://storage.example.com/a\u0007b.png", "UrlHasControlCharacter")]
        [InlineData("https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/cat.png", "UrlHostNotAscii")]
        [InlineData("https://storage.example.com\u3002evil/cat.png", "UrlHostNotAscii")]
        [InlineData("https://storage.example.com/a.pnghttps://b.example/b.png", "UrlHasSecondScheme")]
        [InlineData("https:/\\u:secretpw@storage.example.com/cat.png", "InvalidMaterialUrl")]
        [InlineData("https://storage.example.com/cat.png\u2028", "UrlHasWhitespace")]
        public void TheUploadersAnswer_PassesTheSameGateAsAMaterialUrl(string answer, string rule)
        {
            LocalMaterial cat = LocalMaterialInspector.Inspect(Png("cat.png", 1), MaterialKind.Image);
            LocalMaterialException refused = Assert.Throws<LocalMaterialException>(() => UploaderAnswer.UrlFrom(new object?[] { answer }, cat));
            Assert.Equal(SeedanceProblem.InvalidUploaderResult, refused.Problem);
            Assert.Contains(rule, refused.Message);
            Assert.Contains(cat.FullPath, refused.Message);
            Assert.DoesNotContain("secretpw", refused.Message);
        }
    }
}
