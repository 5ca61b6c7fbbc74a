using System.Linq;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests.Errors
{
    /// <summary>The failure-class table against the documented codes and messages (shared/seedance-api.md, "Failure codes").</summary>
    public sealed class FailureClassesTests
    {
        [Theory]
        [InlineData("500", "Generation failed. Please try again.", SeedanceFailureClass.Transient)]
        [InlineData("500", "Failed to download your reference video. Please replace it or try again.", SeedanceFailureClass.Input)]
        [InlineData("1001", "Service temporarily unavailable. Please try again later.", SeedanceFailureClass.Transient)]
        [InlineData("1001", "Failed to download your reference video. Please replace it or try again.", SeedanceFailureClass.Input)]
        [InlineData("1001", "Your uploaded video/image may contain sensitive content. Please replace it.", SeedanceFailureClass.Input)]
        [InlineData("1001", "The generated video did not pass review. Please modify the prompt.", SeedanceFailureClass.OutputModeration)]
        [InlineData("1001", "The output may violate platform or copyright rules.", SeedanceFailureClass.OutputModeration)]
        [InlineData("1001", "Something new the docs never mentioned", SeedanceFailureClass.Unknown)]
        [InlineData("asset_review_failed", "Reference image 1 failed review. Please replace it.", SeedanceFailureClass.Input)]
        [InlineData("InvalidParameter", "Audio cannot be the only reference.", SeedanceFailureClass.Input)]
        [InlineData("2038", "Your input text violates platform rules. Please modify and try again.", SeedanceFailureClass.Input)]
        [InlineData("face_detected", "A real human face was detected", SeedanceFailureClass.Input)]
        [InlineData(null, "Task execution failed", SeedanceFailureClass.Unknown)]
        [InlineData("9999", "a code no page documents", SeedanceFailureClass.Unknown)]
        public void Classify_DocumentedCodesAndMessages(string? code, string message, string expected)
        {
            Assert.Equal(expected, FailureClasses.Classify(new SeedanceTaskError(code, message)));
        }

        [Fact]
        public void Classify_MessagesMatchInAnyCase_AndAnEmptyCodeIsTheBareTextShape()
        {
            Assert.Equal(SeedanceFailureClass.OutputModeration, FailureClasses.Classify(new SeedanceTaskError("1001", "THE GENERATED VIDEO DID NOT PASS REVIEW")));
            Assert.Equal(SeedanceFailureClass.Unknown, FailureClasses.Classify(new SeedanceTaskError("", "Task execution failed")));
            Assert.Equal(SeedanceFailureClass.Unknown, FailureClasses.Classify(null));
        }

        [Fact]
        public void EveryRow_NamesItsSource_AndAClassThatExists()
        {
            string[] classes = { SeedanceFailureClass.Transient, SeedanceFailureClass.Input, SeedanceFailureClass.OutputModeration, SeedanceFailureClass.Unknown };
            Assert.NotEmpty(FailureClasses.Rules);
            Assert.All(FailureClasses.Rules, rule =>
            {
                Assert.Contains(rule.Class, classes);
                Assert.Contains("seedance-api.md", rule.Source);
            });
        }

        [Fact]
        public void ACodesMessageRows_ComeBeforeTheRowForTheCodeAlone()
        {
            // Otherwise "1001" alone would swallow "1001 ... did not pass review" (first match wins).
            var rules = FailureClasses.Rules.ToList();
            foreach (FailureClassRule codeOnly in rules.Where(r => r.MessageContains is null))
            {
                int at = rules.IndexOf(codeOnly);
                Assert.DoesNotContain(rules.Skip(at + 1), r => r.Code == codeOnly.Code && r.MessageContains is not null);
            }
        }

        [Fact]
        public void TheTask_CarriesTheClassOnlyOnceItFailed_AndTheExceptionsAdviceFollowsIt()
        {
            SeedanceTask task = new SeedanceTask("task_a") { Status = SeedanceTaskStatus.Generating, Error = new SeedanceTaskError("500", "Generation failed. Please try again.") };
            Assert.Null(task.FailureClass);

            task.Status = SeedanceTaskStatus.Fail;
            Assert.Equal(SeedanceFailureClass.Transient, task.FailureClass);
            TaskFailedException transient = new TaskFailedException(task);
            Assert.True(transient.IsSafeToResubmit);
            Assert.Contains("safe", transient.Advice);
            Assert.Contains("transient", transient.Message);

            task.Error = new SeedanceTaskError("2038", "Your input text violates platform rules.");
            TaskFailedException input = new TaskFailedException(task);
            Assert.False(input.IsSafeToResubmit);
            Assert.Equal(SeedanceFailureClass.Input, input.FailureClass);
            Assert.Contains("change", input.Advice);

            task.Error = null;
            Assert.Equal(SeedanceFailureClass.Unknown, task.FailureClass);
        }
    }
}
