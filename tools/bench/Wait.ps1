# N tasks that each finish after T seconds, waited on by one Wait-SeedanceTask (default, adaptive polling).
param([string] $ModulePath, [string] $ApiBaseUri, [int] $Count = 100, [double] $TaskSeconds = 10)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$tasks = @(1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "wait $_ #duration:$TaskSeconds #waiting:0"; Duration = 4 } } | New-SeedanceTask)
Reset-EmulatorStats $ApiBaseUri
$self = Get-Process -Id $PID
$cpuBefore = $self.TotalProcessorTime
$clock = [Diagnostics.Stopwatch]::StartNew()
$finished = @($tasks | Wait-SeedanceTask)
$wall = $clock.Elapsed.TotalSeconds
$self.Refresh()
$cpu = ($self.TotalProcessorTime - $cpuBefore).TotalSeconds
$stats = Get-EmulatorStats $ApiBaseUri
if ($finished.Count -ne $Count) { throw "Only $($finished.Count) of $Count tasks finished." }
[pscustomobject]@{
    Count = $Count; TaskSeconds = $TaskSeconds; WallSeconds = $wall; WallOverTask = $wall / $TaskSeconds
    RequestsPerTask = $stats.recordInfoRequests / $Count; CpuSeconds = $cpu
} | ConvertTo-Json -Compress
