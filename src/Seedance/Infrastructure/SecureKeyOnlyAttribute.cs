using System.Management.Automation;
using System.Security;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// On Set-SeedanceApiKey -ApiKey: a plain string (Set-SeedanceApiKey 'abc') would otherwise fail in binding with
    /// PowerShell's "cannot convert System.String to SecureString", which says nothing about what to do. This says
    /// it: -PlainTextApiKey, or no key at all to be prompted. The message never contains the value.
    /// </summary>
    internal sealed class SecureKeyOnlyAttribute : ArgumentTransformationAttribute
    {
        public const string Message =
            "The key was given as plain text, and -ApiKey takes a SecureString (so that the key is never echoed or kept in " +
            "your history). To pass plain text on purpose (CI, a key already in a variable), use -PlainTextApiKey: " +
            "Set-SeedanceApiKey -PlainTextApiKey $key. Or run Set-SeedanceApiKey without a key to be prompted without echo.";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string || value is char[])
            {
                throw new ArgumentTransformationMetadataException(Message);
            }

            return inputData;
        }
    }
}
