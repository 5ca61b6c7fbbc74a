using System;
using System.Net;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests.Errors
{
    /// <summary>
    /// Rule: every failure names its ErrorId once, on the exception (<see cref="SeedanceException.ErrorId"/>): the
    /// module's error map writes it and the task journal records a refused create under it, so the two never differ.
    /// </summary>
    public sealed class ErrorIdTests
    {
        [Theory]
        [InlineData(400, "createTask", "InvalidRequest")]
        [InlineData(422, "createTask", "InvalidRequest")]
        [InlineData(401, "recordInfo", "Unauthorized")]
        [InlineData(402, "createTask", "InsufficientCredits")]
        [InlineData(403, "recordInfo", "Forbidden")]
        [InlineData(403, "download", "VideoUrlForbidden")]
        [InlineData(404, "createTask", "ApiEndpointNotFound")]
        [InlineData(404, "recordInfo", "TaskNotFound")]
        [InlineData(410, "download", "VideoNotFound")]
        [InlineData(429, "createTask", "RateLimited")]
        [InlineData(503, "createTask", "ServerError")]
        [InlineData(418, "recordInfo", "UnexpectedResponse")]
        public void AnApiAnswerIsNamedByItsStatusAndWhatWasAsked(int status, string operation, string errorId)
        {
            Assert.Equal(errorId, new SeedanceApiException((HttpStatusCode)status, "text", operation).ErrorId);
        }

        [Fact]
        public void NetworkAndAnswerFailuresNameTheirOwn()
        {
            Assert.Equal("ConnectionFailed", Problems.ConnectionFailed("reset", null, requestWasSent: true).ErrorId);
            Assert.Equal("ConnectionFailed", Problems.ConnectionFailed("refused", null, requestWasSent: false).ErrorId);
            Assert.Equal("TlsFailure", Problems.TlsFailure("no TLS 1.2", new InvalidOperationException()).ErrorId);
            Assert.Equal("RequestTimedOut", Problems.RequestTimedOut("slow").ErrorId);
            Assert.Equal("InvalidResponse", Problems.InvalidResponse("not JSON").ErrorId);
            Assert.Equal("InvalidResponse", Problems.ResponseTooLarge("recordInfo", 1024, "as sent").ErrorId);
        }

        [Fact]
        public void AProblemIsNamedByItsName_AnUnnamedFailureIsUnexpected()
        {
            Assert.Equal("DownloadUrlContainsKey", Problems.DownloadUrlContainsKey().ErrorId);
            Assert.Equal("UnexpectedError", new SeedanceException("something else").ErrorId);
        }

        [Theory]
        [InlineData(JournalFailureReason.InvalidPath, "InvalidJournalPath")]
        [InlineData(JournalFailureReason.Disabled, "DailyLimitNeedsJournal")]
        [InlineData(JournalFailureReason.Insecure, "JournalInsecure")]
        [InlineData(JournalFailureReason.LockTimeout, "JournalUnavailable")]
        [InlineData(JournalFailureReason.CannotWrite, "JournalUnavailable")]
        public void AJournalFailureIsNamedByItsReason(JournalFailureReason reason, string errorId)
        {
            Assert.Equal(errorId, new JournalException(reason, "/j", "cannot").ErrorId);
        }

        [Fact]
        public void TheTypedFailuresNameTheirOwn_AndCarryTheirTask()
        {
            SeedanceTask task = new SeedanceTask("task_1");
            TaskFailedException failed = new TaskFailedException(task);
            WaitTimeoutException timeout = new WaitTimeoutException(task, TimeSpan.FromSeconds(1));
            Assert.Equal("TaskFailed", failed.ErrorId);
            Assert.Equal("WaitTimeout", timeout.ErrorId);
            Assert.Same(task, failed.Target);
            Assert.Same(task, timeout.Target);
        }
    }
}
