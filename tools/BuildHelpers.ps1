# Helpers for build.ps1: running native tools, finding Pester, and running each test suite into a count.

function Invoke-Native {
    # Runs a native command and stops the build when it fails (native exit codes do not throw by themselves).
    # A plain function on purpose: $args passes switches such as -c through untouched. The arguments are kept an
    # array even when there is only one: splatting a lone string passes it character by character.
    $command = $args[0]
    $arguments = @($args | Select-Object -Skip 1)
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # The command line that starts this same PowerShell: the dotnet tool runs as 'dotnet pwsh.dll'.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

function Get-PesterModulePath {
    # Pester comes from NuGet (PackageDownload), because PSGallery is not reachable everywhere the tests run.
    param([Parameter(Mandatory)] [string] $ToolsProject)
    Invoke-Native dotnet restore $ToolsProject --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages -l) -replace '^global-packages:\s*', ''
    $path = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $path)) { throw "Pester 5.7.1 was restored but not found at $path." }
    return $path
}

function Invoke-XunitSuite {
    param([string] $Project, [string] $Configuration, [string] $ResultsDir, [string] $Filter, [string] $Name = 'xunit')
    $trx = Join-Path $ResultsDir "$Name.trx"
    if (Test-Path $trx) { Remove-Item $trx }
    $filterArgs = if ($Filter) { @('--filter', $Filter) } else { @() }
    # Runner output goes to the host: this function's only output is its count.
    & dotnet test $Project -c $Configuration --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' @filterArgs | Out-Host
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Suite = $Name; Passed = 0; Failed = 1; Skipped = 0 } }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($LASTEXITCODE -ne 0 -and $failed -eq 0) { $failed = 1 }   # the run itself broke
    [pscustomobject]@{ Suite = $Name; Passed = [int]$counters.passed; Failed = $failed; Skipped = [int]$counters.notExecuted }
}

function Resolve-PesterFile {
    # build.ps1 Test -Pester: names or wildcards ('New-SeedanceTask', 'Hostile*') to the Pester files they match.
    param([string[]] $Names, [string] $Folder)
    $files = foreach ($name in $Names) {
        $pattern = if ($name -like '*.Tests.ps1') { $name } else { "$name.Tests.ps1" }
        $found = @(Get-ChildItem -LiteralPath $Folder -Filter $pattern -File)
        if (-not $found) { throw "No Pester file in $Folder matches '$pattern'." }
        $found.FullName
    }
    @($files | Sort-Object -Unique)
}

function Invoke-FixtureBuild {
    <#
    Builds the modules the tests import beside Seedance: tests/fixtures/OtherHttpModule, "another module" carrying
    its own Microsoft.Extensions.Http, once per version (one older and one newer than Seedance's), into
    $FixturesDir/OtherHttp-<version>/. A build whose output is newer than its sources is skipped, so only a fresh
    clone (CI) or a changed fixture pays for it.
    #>
    param([string] $FixturesDir, [string] $Configuration, [string[]] $OtherHttpVersions = @('6.0.0', '9.0.0'))
    $root = Split-Path $PSScriptRoot
    $project = Join-Path $root 'tests/fixtures/OtherHttpModule'
    $sources = @(Get-ChildItem -LiteralPath $project -File) + @(Get-Item (Join-Path $root 'Directory.Build.props'), (Join-Path $root 'Directory.Packages.props'))
    $newest = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    foreach ($version in $OtherHttpVersions) {
        $outDir = Join-Path $FixturesDir "OtherHttp-$version"
        $dll = Join-Path $outDir 'OtherHttpModule.dll'
        if ((Test-Path $dll) -and (Get-Item $dll).LastWriteTimeUtc -gt $newest) { continue }
        Write-Host "Building fixture OtherHttpModule with Microsoft.Extensions.Http $version" -ForegroundColor Cyan
        # Both versions build from the same project and so share its obj/: --no-incremental keeps the second build
        # from reusing the first one's compiled references.
        Invoke-Native dotnet build $project -c $Configuration "-p:OtherHttpVersion=$version" -o $outDir --no-incremental --nologo -v quiet '-clp:ErrorsOnly'
    }
}

function Invoke-PesterSuite {
    # Runs Pester in a child pwsh, so the tests see a clean process (no module already loaded by the build).
    param([string] $PesterPath, [string] $TestsPath, [string] $ModuleDir, [string] $EmulatorDir, [string] $ResultsDir, [string] $FixturesDir)
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    if (Test-Path $summary) { Remove-Item $summary }
    $pwsh = @(Get-PwshCommand)
    $runner = Join-Path $PSScriptRoot 'Invoke-PesterTests.ps1'
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runner,
        '-PesterPath', $PesterPath, '-TestsPath', $TestsPath, '-ModuleDir', $ModuleDir, '-EmulatorDir', $EmulatorDir, '-SummaryPath', $summary)
    if ($FixturesDir) { $pwshArgs += @('-FixturesDir', $FixturesDir) }
    & $pwsh[0] @pwshArgs | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Suite = 'Pester'; Passed = 0; Failed = 1; Skipped = 0 } }
    $counts = Get-Content $summary -Raw | ConvertFrom-Json
    [pscustomobject]@{ Suite = 'Pester'; Passed = $counts.Passed; Failed = $counts.Failed; Skipped = $counts.Skipped }
}

function Test-BuildCurrent {
    # True when the last complete build (its stamp, written at the end of build.ps1 Build, naming its configuration)
    # is newer than every source file (code, project files, help pages, manifest): then build.ps1 Emulator starts at
    # once instead of rebuilding for a minute right after Demo or Test.
    param([string] $Root, [string] $Stamp, [string] $Configuration)
    if (-not (Test-Path -LiteralPath $Stamp) -or (Get-Content -LiteralPath $Stamp -Raw).Trim() -ne $Configuration) { return $false }
    $builtAt = (Get-Item -LiteralPath $Stamp).LastWriteTimeUtc
    $sources = @(Get-ChildItem -LiteralPath (Join-Path $Root 'src'), (Join-Path $Root 'docs'), (Join-Path $Root 'tools/HelpConverter') -Recurse -File |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $sources += @(Get-ChildItem -LiteralPath $Root -File -Filter '*.props') + @(Get-Item -LiteralPath (Join-Path $Root 'Seedance.psd1'))
    $newestSource = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
    return $newestSource -lt $builtAt
}

function Start-EmulatorForUser {
    # Runs the emulator in the foreground (Ctrl+C, or the end of this process, stops it) and prints, once it listens,
    # the two lines to paste into another PowerShell session: its base URI and the key it accepts.
    param([string] $Dll, [string] $ModuleDir)
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $Dll, '--parent-pid', "$PID") { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($info)
    try {
        $announced = $process.StandardOutput.ReadLine() | ConvertFrom-Json
        Write-Host "Seedance emulator on $($announced.apiBaseUri) (Ctrl+C stops it). In another PowerShell, import the module" -ForegroundColor Green
        Write-Host "(Import-Module $ModuleDir), then paste these two lines:" -ForegroundColor Green
        Write-Output "Set-SeedanceConfiguration -BaseUri $($announced.apiBaseUri)"
        Write-Output 'Set-SeedanceApiKey -PlainTextApiKey test-key -Scope Process'
        while (-not $process.WaitForExit(500)) { }
    }
    finally {
        if (-not $process.HasExited) { $process.Kill() }
        $process.Dispose()
    }
}
