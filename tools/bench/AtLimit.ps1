# A batch at the account's limit: N rows against an account that runs L tasks at once, each taking T seconds.
# The physical limit is ceil(N / L) * T (the account's slots, not our code); reports wall / that, and the 429s.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Count = 30, [int] $Limit = 3, [double] $TaskSeconds = 20)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri
Reset-EmulatorStats $ApiBaseUri

$out = Join-Path $Folder 'at-limit'
$rows = 1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "at the limit, row $_"; Duration = 4 } }
$wall = Measure-Seconds { $rows | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path $out -ProgressAction SilentlyContinue }
$saved = @(Get-ChildItem $out -Filter *.mp4).Count
Remove-Item $out -Recurse -Force
if ($saved -ne $Count) { throw "The batch saved $saved of $Count files." }

$stats = Get-EmulatorStats $ApiBaseUri
$ideal = [Math]::Ceiling($Count / $Limit) * $TaskSeconds
[pscustomobject]@{
    Count = $Count; Limit = $Limit; TaskSeconds = $TaskSeconds; WallSeconds = $wall; IdealSeconds = $ideal
    WallOverIdeal = $wall / $ideal; TasksCreated = $stats.tasksCreated; RateLimited = $stats.createRequests - $stats.tasksCreated
} | ConvertTo-Json -Compress
