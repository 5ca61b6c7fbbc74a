#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and demonstrates the Seedance module.

.DESCRIPTION
    Tasks:
      Build     Assemble an importable module at out/Seedance/<version>/ and the emulator at out/emulator/.
      Test      Build, then run every suite (xunit and Pester). The last line is 'N passed, M failed'
                (', K skipped' when any were skipped); the exit code is non-zero on any failure.
                -Pester <file names or wildcards> and -XunitFilter <dotnet test filter> narrow a run to those tests.
      Demo      Build, start the emulator, run a text-to-video and an Omni Reference task through
                New | Wait | Save, show the tasks and the saved files, stop the emulator.
      Bench     Build, then run the benchmark against the emulator; prints a table and writes out/bench.json.
      Package   Build, then write out/Seedance.<version>.nupkg (Publish-PSResource to a local folder repository;
                LICENSE and README.md ride along). Install it from a folder repository of your own.
      Emulator  Build (unless the build is newer than every source), then run the emulator in the foreground
                (Ctrl+C to stop); prints the two lines that point another session at it (base URI and key).
      Clean     Remove out/.

    Use it through the pinned PowerShell: dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Emulator', 'Package', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test only: run just these Pester files (names or wildcards under tests/pester, e.g. 'New-SeedanceTask', 'Hostile*')
    # and no xunit unless -XunitFilter is given too. For a developer's inner loop; CI runs everything.
    [string[]] $Pester,

    # Test only: run just the xunit tests this filter selects (dotnet test --filter syntax, e.g. 'FullyQualifiedName~Journal')
    # and no Pester unless -Pester is given too.
    [string] $XunitFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. "$PSScriptRoot/tools/BuildHelpers.ps1"
. "$PSScriptRoot/tools/PackageHelpers.ps1"
Import-Module "$PSScriptRoot/tools/HelpConverter/HelpConverter.psm1" -Force

$manifest = Import-PowerShellDataFile "$PSScriptRoot/Seedance.psd1"
$version = $manifest.ModuleVersion
$out = Join-Path $PSScriptRoot 'out'
$moduleDir = Join-Path $out "Seedance/$version"
$emulatorDir = Join-Path $out 'emulator'
$buildStamp = Join-Path $out 'build.stamp'   # written last by a complete build: what build.ps1 Emulator compares with the sources

function Invoke-Build {
    Write-Host "Building Seedance $version ($Configuration)" -ForegroundColor Cyan
    Invoke-Native dotnet build "$PSScriptRoot/Seedance.Pwsh.sln" -c $Configuration --nologo -v quiet '-clp:ErrorsOnly'

    # publish gathers the module's dependency DLLs (System.Text.Json etc.) that Windows PowerShell 5.1 needs.
    $publishDir = Join-Path $out 'publish/Seedance'
    Invoke-Native dotnet publish "$PSScriptRoot/src/Seedance/Seedance.csproj" -c $Configuration -o $publishDir --no-build --nologo -v quiet
    Invoke-Native dotnet publish "$PSScriptRoot/src/Seedance.Emulator/Seedance.Emulator.csproj" -c $Configuration -o $emulatorDir --no-build --nologo -v quiet

    $loaderDir = Join-Path $out 'publish/Seedance.Loader'
    Invoke-Native dotnet publish "$PSScriptRoot/src/Seedance.Loader/Seedance.Loader.csproj" -c $Configuration -o $loaderDir --no-build --nologo -v quiet

    # Layout: the cmdlet assembly, the public types (Seedance.Client), the loader and the module files at the top, loaded
    # normally; every third-party dependency, and Seedance.Http which uses them, in deps/, which PowerShell does not
    # probe, so they load only where src/Seedance.Loader (PS 7) or DependencyIsolation (5.1) puts them.
    $topLevel = 'Seedance.Commands.dll', 'Seedance.Client.dll'
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    New-Item -ItemType Directory -Path (Join-Path $moduleDir 'deps') | Out-Null
    Get-ChildItem $publishDir -Filter *.dll | Where-Object Name -notin $topLevel | Copy-Item -Destination (Join-Path $moduleDir 'deps')
    Copy-Item -Path (@($topLevel | ForEach-Object { Join-Path $publishDir $_ }) + (Join-Path $loaderDir 'Seedance.Loader.dll')) -Destination $moduleDir
    Copy-Item "$PSScriptRoot/Seedance.psd1", "$PSScriptRoot/src/Seedance/Seedance.Format.ps1xml", "$PSScriptRoot/src/Seedance/Seedance.Preflight.psm1" -Destination $moduleDir
    Invoke-HelpBuild
    Set-BuiltManifestReleaseNotes -ManifestPath (Join-Path $moduleDir 'Seedance.psd1') -ChangelogPath "$PSScriptRoot/CHANGELOG.md"

    $tested = Test-ModuleManifest (Join-Path $moduleDir 'Seedance.psd1')
    Write-Host "Module: $moduleDir ($($tested.ExportedCmdlets.Count) cmdlets declared)" -ForegroundColor Green
    Set-Content -LiteralPath $buildStamp -Value $Configuration
}

function Invoke-HelpBuild {
    # docs/en-US/*.md -> en-US/Seedance.Commands.dll-Help.xml (MAML) and about_*.help.txt (tools/HelpConverter).
    $written = @(Build-HelpFile -SourcePath "$PSScriptRoot/docs" -OutputPath $moduleDir)
    Write-Host "Help: $($written.Count) files ($(($written.Name | Sort-Object) -join ', '))"
}

function Invoke-Package {
    Invoke-Build
    $package = Publish-ModulePackage -ModuleDir $moduleDir -OutputDir $out -Include "$PSScriptRoot/LICENSE", "$PSScriptRoot/README.md"
    Write-Host "Package: $($package.FullName)" -ForegroundColor Green
}

function Invoke-Test {
    Invoke-Build
    $results = [System.Collections.Generic.List[object]]::new()
    $narrowed = $Pester -or $XunitFilter

    if (-not $narrowed -or $XunitFilter) {
        Write-Host "`nxunit: Seedance.Client.Tests" -ForegroundColor Cyan
        $results.Add((Invoke-XunitSuite -Project "$PSScriptRoot/tests/Seedance.Client.Tests/Seedance.Client.Tests.csproj" -Configuration $Configuration -ResultsDir (Join-Path $out 'test-results') -Filter $XunitFilter))
        # The built module itself (out/Seedance/<version>): binding closure on .NET Framework, public types, the 5.1 resolver.
        Write-Host "`nxunit: Seedance.Module.Tests" -ForegroundColor Cyan
        $results.Add((Invoke-XunitSuite -Project "$PSScriptRoot/tests/Seedance.Module.Tests/Seedance.Module.Tests.csproj" -Configuration $Configuration -ResultsDir (Join-Path $out 'test-results') -Filter $XunitFilter -Name 'module'))
    }
    if ($narrowed -and -not $Pester) { Write-TestTotal $results; return }

    Write-Host "`nPester: tests/pester" -ForegroundColor Cyan
    # Not $pester: PowerShell names are case-insensitive, and that would hide the -Pester file names below.
    $pesterModule = Get-PesterModulePath -ToolsProject "$PSScriptRoot/tools/TestTools.csproj"
    $fixturesDir = Join-Path $out 'fixtures'
    Invoke-FixtureBuild -FixturesDir $fixturesDir -Configuration $Configuration
    # The hostile loopback server some Pester files start (tests/pester/HostileServer.psm1 finds it in out/hostile).
    Invoke-Native dotnet build "$PSScriptRoot/tests/Seedance.HostileServer/Seedance.HostileServer.csproj" -c $Configuration -o (Join-Path $out 'hostile') --nologo -v quiet '-clp:ErrorsOnly'
    # The .NET Framework program tests/pester/NetFramework.Tests.ps1 runs under Mono, compiled against the built module's own files.
    Invoke-Native dotnet build "$PSScriptRoot/tests/Seedance.NetFxSmoke/Seedance.NetFxSmoke.csproj" -c $Configuration -o (Join-Path $out 'netfx-smoke') "-p:SeedanceModuleDir=$moduleDir" --nologo -v quiet '-clp:ErrorsOnly'
    $testsPath = if ($Pester) { (Resolve-PesterFile -Names $Pester -Folder "$PSScriptRoot/tests/pester") -join ';' } else { "$PSScriptRoot/tests/pester" }
    $results.Add((Invoke-PesterSuite -PesterPath $pesterModule -TestsPath $testsPath -ModuleDir $moduleDir -EmulatorDir $emulatorDir -ResultsDir (Join-Path $out 'test-results') -FixturesDir $fixturesDir))

    Write-TestTotal $results
}

function Write-TestTotal {
    # The last line of a test run: 'N passed, M failed' (', K skipped'), and a non-zero exit on any failure.
    param([object[]] $results)
    $passed = ($results | Measure-Object Passed -Sum).Sum
    $failed = ($results | Measure-Object Failed -Sum).Sum
    $skipped = ($results | Measure-Object Skipped -Sum).Sum
    foreach ($r in $results) { Write-Host ("  {0,-8} {1} passed, {2} failed, {3} skipped" -f $r.Suite, $r.Passed, $r.Failed, $r.Skipped) }
    $line = "$passed passed, $failed failed" + $(if ($skipped) { ", $skipped skipped" } else { '' })
    if ($failed -gt 0 -or $passed -eq 0) {
        Write-Output $line
        exit 1
    }
    Write-Output $line
}

function Invoke-Demo {
    Invoke-Build
    & "$PSScriptRoot/tools/Demo.ps1" -ModuleDir $moduleDir -EmulatorDir $emulatorDir
    if (-not $?) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    & "$PSScriptRoot/tools/Bench.ps1" -ModuleDir $moduleDir -EmulatorDir $emulatorDir -OutFile (Join-Path $out 'bench.json')
    if (-not $?) { exit 1 }
}

function Invoke-Emulator {
    if (Test-BuildCurrent -Root $PSScriptRoot -Stamp $buildStamp -Configuration $Configuration) { Write-Host 'The build is current: not building again.' }
    else { Invoke-Build }
    Start-EmulatorForUser -Dll (Join-Path $emulatorDir 'Seedance.Emulator.dll') -ModuleDir $moduleDir
}

function Invoke-Clean {
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
}

foreach ($name in $Task) {
    & "Invoke-$name"
}
