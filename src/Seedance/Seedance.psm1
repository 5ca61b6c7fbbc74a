# Loads the Seedance cmdlets. On PowerShell 7 their assemblies go into a load context of their own (see
# src/Seedance.Loader) so that other modules' versions of shared libraries cannot collide with ours; Windows
# PowerShell 5.1 has no load contexts and loads lib/Seedance.Commands.dll directly.
$lib = [System.IO.Path]::Combine($PSScriptRoot, 'lib')
if ($PSVersionTable.PSEdition -ne 'Core') {
    Import-Module ([System.IO.Path]::Combine($lib, 'Seedance.Commands.dll'))
    return
}

$isReimport = [bool]('Seedance.Loader.SeedanceLoadContext' -as [type])
if (-not $isReimport) {
    # Not Add-Type: that would load all of Microsoft.PowerShell.Utility, the largest part of our import time.
    $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'Seedance.Loader.dll'))
}
$commands = Import-Module -Assembly ([Seedance.Loader.SeedanceLoadContext]::Initialize($lib)) -PassThru

if ($isReimport) {
    # PowerShell exports no commands when an assembly in a custom load context is imported a second time in a
    # process (Import-Module -Force, or after Remove-Module): https://github.com/PowerShell/PowerShell/issues/20710.
    # Until that is fixed, hand the cmdlets to this module the way the first import does. This reaches into an
    # internal method, so it is guarded: if a PowerShell version lacks it, say so instead of failing obscurely.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    if ($addExportedCmdlet) {
        foreach ($cmdlet in $commands.ExportedCmdlets.Values) {
            $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
        }
    }
    else {
        Write-Warning 'Seedance was imported again in this session, and this PowerShell version cannot re-export its cmdlets. Start a new session to use it.'
    }
}
