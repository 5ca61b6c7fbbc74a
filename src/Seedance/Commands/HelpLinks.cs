namespace Seedance.Commands
{
    /// <summary>
    /// Where each cmdlet's help page lives online, for HelpUri (Get-Help -Online). The pages are the markdown
    /// sources in docs/en-US/, which the build also turns into the help Get-Help shows offline. The address is the
    /// manifest's ProjectUri followed by /blob/main/docs/en-US/; a Pester test checks that the two agree.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Docs = "https://github.com/seedance-pwsh/Seedance/blob/main/docs/en-US/";
    }
}
