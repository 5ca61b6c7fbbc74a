# Streaming: with slow creates (each answered after DelayMs), the first video is on disk before the last create
# has been answered. Reports both times from the start of the pipeline.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Count = 10, [int] $DelayMs = 1000)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri
Reset-EmulatorStats $ApiBaseUri
$control = $ApiBaseUri -replace '/api/v1$', '/_emulator'
$rule = @{ path = '/api/v1/jobs/createTask'; kind = 'slow'; delayMs = $DelayMs; count = -1 } | ConvertTo-Json
$null = Invoke-RestMethod -Method Post -Uri "$control/faults" -Body $rule -ContentType 'application/json'

$out = Join-Path $Folder 'first-file'
$started = [DateTimeOffset]::UtcNow
$files = @(1..$Count | ForEach-Object { "first file, row $_" } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.25 | Save-SeedanceVideo -Path $out -ProgressAction SilentlyContinue)
$firstFile = ($files | ForEach-Object { [DateTimeOffset]$_.LastWriteTimeUtc } | Sort-Object | Select-Object -First 1)
Remove-Item $out -Recurse -Force

$creates = @((Get-EmulatorStats $ApiBaseUri).apiRequests | Where-Object path -EQ '/api/v1/jobs/createTask' | ForEach-Object { [DateTimeOffset]$_.time })
$lastCreate = $creates | Sort-Object | Select-Object -Last 1
[pscustomobject]@{
    Count = $Count; CreateDelayMs = $DelayMs
    FirstFileSeconds = ($firstFile - $started).TotalSeconds; LastCreateAnsweredSeconds = ($lastCreate - $started).TotalSeconds
    FirstFileFirst = $firstFile -lt $lastCreate
} | ConvertTo-Json -Compress
