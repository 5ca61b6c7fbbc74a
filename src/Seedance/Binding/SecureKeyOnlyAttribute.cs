using System.Management.Automation;
using System.Security;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// On Set-SeedanceApiKey -ApiKey. A plain string (Set-SeedanceApiKey 'abc', or 'abc' | Set-SeedanceApiKey) would
    /// otherwise fail in binding with PowerShell's "Cannot convert the "abc" value ... to type SecureString": the key
    /// in the message, and, when piped, in the error's TargetObject and CategoryInfo (which Windows PowerShell's
    /// default error view prints), and no word about what to do. So a string is not refused here: it becomes
    /// <see cref="PlainTextGiven"/>, a marker the cmdlet answers with <see cref="SeedanceErrors.PlainTextApiKey"/>,
    /// which says what to do and carries nothing of the value.
    /// </summary>
    internal sealed class SecureKeyOnlyAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Stands for "a plain string was given"; empty and read-only, never used as a key.</summary>
        public static readonly SecureString PlainTextGiven = CreateMarker();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = EachItemTransformationAttribute.Unwrap(inputData);
            return value is string || value is char[] ? PlainTextGiven : inputData;
        }

        private static SecureString CreateMarker()
        {
            SecureString marker = new SecureString();
            marker.MakeReadOnly();
            return marker;
        }
    }
}
