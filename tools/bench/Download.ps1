# One large file: Save-SeedanceVideo vs curl to a file (same run), and the growth of this process's peak memory.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Rounds = 2)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$task = New-SeedanceTask -Prompt 'large #waiting:0 #duration:0' -Duration 4 | Wait-SeedanceTask -PollInterval 0.2
$url = $task.Videos[0].Url
$bytes = (Invoke-WebRequest -Method Head -Uri $url).Headers['Content-Length'] | Select-Object -First 1
$curlFile = Join-Path $Folder 'curl.mp4'
$self = Get-Process -Id $PID
$self.Refresh(); $peakBefore = $self.PeakWorkingSet64

$curlTimes = @(); $moduleTimes = @()
foreach ($round in 1..$Rounds) {
    $curlTimes += Measure-Seconds { & curl -s -o $curlFile $url; if ($LASTEXITCODE) { throw "curl failed: $LASTEXITCODE" } }
    Remove-Item $curlFile
    $moduleTimes += Measure-Seconds { $task | Save-SeedanceVideo -Path $Folder -Force -ProgressAction SilentlyContinue }
    $saved = Join-Path $Folder "$($task.TaskId).mp4"
    if ((Get-Item $saved).Length -ne [long]$bytes) { throw 'The saved file has the wrong length.' }
    Remove-Item $saved
}
$self.Refresh()
$curl = Get-Median $curlTimes
$seedance = Get-Median $moduleTimes
[pscustomobject]@{
    Bytes = [long]$bytes; ModuleSeconds = $seedance; CurlSeconds = $curl
    ModuleMBps = $bytes / 1MB / $seedance; CurlMBps = $bytes / 1MB / $curl; ThroughputVsCurl = $curl / $seedance
    PeakGrowthMiB = ($self.PeakWorkingSet64 - $peakBefore) / 1MB
} | ConvertTo-Json -Compress
