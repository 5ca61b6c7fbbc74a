# Runs the Pester suite against the built module and writes the counts as JSON for build.ps1.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    # A folder or file, or several joined with ';' (build.ps1 Test -Pester).
    [Parameter(Mandatory)] [string] $TestsPath,
    [Parameter(Mandatory)] [string] $ModuleDir,
    [Parameter(Mandatory)] [string] $EmulatorDir,
    [Parameter(Mandatory)] [string] $SummaryPath,
    # Where build.ps1 put the fixture modules (out/fixtures); without it the tests look there themselves.
    [string] $FixturesDir
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The tests read these to find what to test; see tests/pester/TestHelpers.psm1.
$env:SEEDANCE_TEST_MODULE = Join-Path $ModuleDir 'Seedance.psd1'
$env:SEEDANCE_TEST_EMULATOR = Join-Path $EmulatorDir 'Seedance.Emulator.dll'
if ($FixturesDir) { $env:SEEDANCE_TEST_FIXTURES = $FixturesDir }

$config = New-PesterConfiguration
$config.Run.Path = $TestsPath -split ';'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $config

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
