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
$result = Invoke-Pester -Configuration $config

# The NUnit report is only for a reader of the results, so writing it must not cost the counts: Pester fails the whole
# run when a test's data holds a character XML cannot carry (a control character a hostile-input test sends).
$report = Join-Path (Split-Path $SummaryPath) 'pester.xml'
try { $result | Export-NUnitReport -Path $report }
catch {
    Remove-Item -LiteralPath $report -ErrorAction Ignore   # a half-written report is worse than none
    Write-Warning "The Pester XML report was not written: $($_.Exception.Message)"
}

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
