<#
.SYNOPSIS
    Writes docs/en-US/<Name>.md for a new cmdlet of the built module: front matter, syntax and every parameter's
    metadata taken from the cmdlet, {{ placeholders }} for the text. Fill those in; the help tests fail until you do.

.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./tools/New-HelpPage.ps1 -Name Get-SeedanceUsage
#>
param(
    [Parameter(Mandatory)] [string[]] $Name,
    # The built module to read the cmdlets from (default: out/Seedance/<version>/Seedance.psd1).
    [string] $ModulePath,
    # Where the page goes (default: docs/en-US of the repository).
    [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
if (-not $ModulePath) {
    $version = (Import-PowerShellDataFile (Join-Path $root 'Seedance.psd1')).ModuleVersion
    $ModulePath = Join-Path $root "out/Seedance/$version/Seedance.psd1"
}
if (-not $OutputFolder) { $OutputFolder = Join-Path $root 'docs/en-US' }
$module = Import-Module $ModulePath -PassThru
Import-Module (Join-Path $PSScriptRoot 'HelpConverter/HelpConverter.psm1') -Force

foreach ($commandName in $Name) {
    $command = Get-Command -Name $commandName -Module $module.Name
    $target = Join-Path $OutputFolder "$($command.Name).md"
    if (Test-Path -LiteralPath $target) { throw "$target exists already; edit it (the help tests say what is missing)." }
    $online = if ($command.HelpUri) { $command.HelpUri } else { "$($module.ProjectUri)/blob/main/docs/en-US/$($command.Name).md" }
    [IO.File]::WriteAllText($target, (New-CommandHelpMarkdown -Command $command -OnlineUri $online))
    Write-Host "Wrote $target. Replace every {{ ... }}, and give the cmdlet HelpUri = HelpLinks.Docs + `"$($command.Name).md`"."
}
