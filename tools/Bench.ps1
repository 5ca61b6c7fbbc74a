# The benchmark: every figure is a ratio against a baseline measured in the same run, on loopback against the
# emulator. Prints a table and writes out/bench.json. Run through: dotnet pwsh ./build.ps1 Bench
param(
    [Parameter(Mandatory)] [string] $ModuleDir,
    [Parameter(Mandatory)] [string] $EmulatorDir,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot/BuildHelpers.ps1"
Import-Module "$PSScriptRoot/SeedanceEmulator.psm1" -Force
$modulePath = Join-Path $ModuleDir 'Seedance.psd1'
$emulatorDll = Join-Path $EmulatorDir 'Seedance.Emulator.dll'
$pwsh = @(Get-PwshCommand)
$work = Join-Path ([IO.Path]::GetTempPath()) "seedance-bench-$PID"
New-Item -ItemType Directory -Force -Path $work | Out-Null
# Every child journals here, never into the user's own task journal.
$env:SEEDANCE_JOURNAL_PATH = Join-Path $work 'journal.jsonl'

function Invoke-Child([string[]] $Arguments) {
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments
    if ($LASTEXITCODE -ne 0) { throw "Child pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
    $output
}

function Invoke-Scenario([string] $Name, [string[]] $EmulatorArguments, [hashtable] $Parameters = @{}) {
    Write-Host "  $Name..." -ForegroundColor DarkGray
    $emulator = Start-SeedanceEmulator -EmulatorDll $emulatorDll -ArgumentList $EmulatorArguments
    try {
        $arguments = @('-File', (Join-Path $PSScriptRoot "bench/$Name.ps1"), '-ModulePath', $modulePath, '-ApiBaseUri', $emulator.ApiBaseUri)
        foreach ($key in $Parameters.Keys) { $arguments += "-$key", "$($Parameters[$key])" }
        (Invoke-Child $arguments | Select-Object -Last 1) | ConvertFrom-Json
    }
    finally { $emulator | Stop-SeedanceEmulator }
}

function Measure-ImportCost([int] $Runs = 7) {
    Write-Host '  Import...' -ForegroundColor DarkGray
    $bare = @(); $import = @()
    foreach ($run in 0..$Runs) {
        # Alternate, and drop the first pair (cold disk cache).
        $b = (Measure-Command { Invoke-Child @('-Command', 'exit') }).TotalSeconds
        $i = (Measure-Command { Invoke-Child @('-Command', "Import-Module '$modulePath'") }).TotalSeconds
        if ($run -gt 0) { $bare += $b; $import += $i }
    }
    $median = { param($v) $s = @($v | Sort-Object); $s[[int][Math]::Floor($s.Count / 2)] }
    [pscustomobject]@{ BareSeconds = (& $median $bare); ImportSeconds = (& $median $import); AddedSeconds = (& $median $import) - (& $median $bare) }
}

Write-Host 'Seedance benchmark (loopback, emulator)' -ForegroundColor Cyan
$fast = '--waiting-seconds', '0', '--generating-seconds', '1', '--max-running', '1000'
$results = [ordered]@{
    Import       = Measure-ImportCost
    Lookups      = Invoke-Scenario Lookups ($fast) @{ Count = 200 }
    Wait         = Invoke-Scenario Wait ('--max-running', '1000') @{ Count = 100; TaskSeconds = 10 }
    Download     = Invoke-Scenario Download ($fast + @('--output-bytes', "$(1GB)")) @{ Folder = $work }
    DownloadMany = Invoke-Scenario DownloadMany ($fast + @('--output-bytes', "$(128MB)")) @{ Folder = $work; Count = 8 }
    EndToEnd     = Invoke-Scenario EndToEnd ($fast) @{ Folder = $work; Count = 50 }
    AtLimit      = Invoke-Scenario AtLimit ('--waiting-seconds', '0', '--generating-seconds', '20', '--max-running', '3') @{ Folder = $work; Count = 30; Limit = 3; TaskSeconds = 20 }
    FirstFile    = Invoke-Scenario FirstFile ('--waiting-seconds', '0', '--generating-seconds', '1', '--max-running', '1000') @{ Folder = $work; Count = 10; DelayMs = 1000 }
    Journal      = & "$PSScriptRoot/bench/Journal.ps1" -ModuleDir $ModuleDir | Select-Object -Last 1 | ConvertFrom-Json   # the task journal (issue 8)
}
Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue

$r = $results
$rows = @(
    [pscustomobject]@{ Measure = 'Import-Module, added seconds (median of 7)'; Value = '{0:0.000} s' -f $r.Import.AddedSeconds; Baseline = 'pwsh -c exit {0:0.00} s' -f $r.Import.BareSeconds; Target = '< 0.15 s'; Met = $r.Import.AddedSeconds -lt 0.15 }
    [pscustomobject]@{ Measure = "Get-SeedanceTask, $($r.Lookups.Count) ids"; Value = '{0:0.0}x faster' -f $r.Lookups.Speedup; Baseline = 'Invoke-RestMethod loop {0:0.00} s vs {1:0.00} s' -f $r.Lookups.InvokeRestMethodSeconds, $r.Lookups.ModuleSeconds; Target = '>= 4x'; Met = $r.Lookups.Speedup -ge 4 }
    [pscustomobject]@{ Measure = "Wait, $($r.Wait.Count) tasks of T=$($r.Wait.TaskSeconds) s: wall / T"; Value = '{0:0.00}' -f $r.Wait.WallOverTask; Baseline = 'T'; Target = '<= 1.3'; Met = $r.Wait.WallOverTask -le 1.3 }
    [pscustomobject]@{ Measure = 'Wait: status requests per task'; Value = '{0:0.0}' -f $r.Wait.RequestsPerTask; Baseline = 'T / interval + 2'; Target = 'close to it'; Met = $null }
    [pscustomobject]@{ Measure = 'Wait: CPU time used'; Value = '{0:0.00} s' -f $r.Wait.CpuSeconds; Baseline = 'wall {0:0.0} s' -f $r.Wait.WallSeconds; Target = 'report'; Met = $null }
    [pscustomobject]@{ Measure = "Download {0:0} MiB: throughput vs curl" -f ($r.Download.Bytes / 1MB); Value = '{0:0.00}x ({1:0} MB/s)' -f $r.Download.ThroughputVsCurl, $r.Download.ModuleMBps; Baseline = 'curl {0:0} MB/s' -f $r.Download.CurlMBps; Target = '>= 0.8x'; Met = $r.Download.ThroughputVsCurl -ge 0.8 }
    [pscustomobject]@{ Measure = 'Download: peak memory growth'; Value = '{0:0.0} MiB' -f $r.Download.PeakGrowthMiB; Baseline = 'peak before'; Target = '< 50 MiB'; Met = $r.Download.PeakGrowthMiB -lt 50 }
    [pscustomobject]@{ Measure = "$($r.DownloadMany.Count) files at once vs one after another"; Value = '{0:0.00}x' -f $r.DownloadMany.Speedup; Baseline = '{0:0.00} s vs {1:0.00} s' -f $r.DownloadMany.OneByOneSeconds, $r.DownloadMany.TogetherSeconds; Target = '>= 1x'; Met = $r.DownloadMany.Speedup -ge 1 }
    [pscustomobject]@{ Measure = "At the account's limit: $($r.AtLimit.Count) rows, L=$($r.AtLimit.Limit), T=$($r.AtLimit.TaskSeconds) s: wall / (ceil(N/L) T)"; Value = '{0:0.00} ({1} x 429)' -f $r.AtLimit.WallOverIdeal, $r.AtLimit.RateLimited; Baseline = 'ceil(N/L) T = {0:0} s, wall {1:0.0} s' -f $r.AtLimit.IdealSeconds, $r.AtLimit.WallSeconds; Target = '<= 1.15'; Met = $r.AtLimit.WallOverIdeal -le 1.15 }
    [pscustomobject]@{ Measure = "Slow creates ($($r.FirstFile.CreateDelayMs) ms each, $($r.FirstFile.Count) rows): first file on disk"; Value = '{0:0.0} s' -f $r.FirstFile.FirstFileSeconds; Baseline = 'last create answered {0:0.0} s' -f $r.FirstFile.LastCreateAnsweredSeconds; Target = 'first file first'; Met = [bool]$r.FirstFile.FirstFileFirst }
    [pscustomobject]@{ Measure = 'Task journal: its work per create (check, reserve with intent, created)'; Value = '{0:0.00} ms (p95 {1:0.00})' -f $r.Journal.CreateMs, $r.Journal.CreateP95Ms; Baseline = '2 raw flushed appends {0:0.00} ms' -f $r.Journal.RawTwoAppendsMs; Target = '< 2 ms per append'; Met = $r.Journal.CreateMs -lt 4 }
    [pscustomobject]@{ Measure = "Task journal: list $($r.Journal.Records) records -Pending, new process"; Value = '{0:0.000} s' -f $r.Journal.ListFirstInProcessSeconds; Baseline = 'raw read {0:0.000} s' -f $r.Journal.RawReadSeconds; Target = '< 0.5 s'; Met = $r.Journal.ListFirstInProcessSeconds -lt 0.5 }
    [pscustomobject]@{ Measure = "End to end, $($r.EndToEnd.Count) CSV rows: batch vs sequential"; Value = '{0:0.0}x faster' -f $r.EndToEnd.Speedup; Baseline = '{0:0.0} s vs {1:0.0} s' -f $r.EndToEnd.SequentialSeconds, $r.EndToEnd.BatchSeconds; Target = '>= 10x'; Met = $r.EndToEnd.Speedup -ge 10 }
)
$rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
[ordered]@{ Date = (Get-Date).ToString('o'); Machine = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"; Results = $results; Table = $rows } |
    ConvertTo-Json -Depth 5 | Set-Content -Path $OutFile
Write-Host "Written to $OutFile" -ForegroundColor Green
