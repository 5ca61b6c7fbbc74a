using System;
using System.Threading.Tasks;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Asserts that code throws a <see cref="SeedanceException"/> of one <see cref="SeedanceProblem"/> (the ErrorId the module shows).</summary>
    internal static class ProblemAssert
    {
        public static SeedanceException Throws(SeedanceProblem problem, Action code) => Is(problem, Assert.Throws<SeedanceException>(code));

        public static SeedanceException Throws(SeedanceProblem problem, Func<object?> code) => Is(problem, Assert.Throws<SeedanceException>(code));

        public static async Task<SeedanceException> ThrowsAsync(SeedanceProblem problem, Func<Task> code) =>
            Is(problem, await Assert.ThrowsAsync<SeedanceException>(code));

        public static SeedanceException Is(SeedanceProblem problem, Exception? e)
        {
            SeedanceException refused = Assert.IsType<SeedanceException>(e);
            Assert.Equal(problem, refused.Problem);
            return refused;
        }
    }
}
