# N files saved by one Save-SeedanceVideo call vs the same N saved one call after another.
# Warmed up once, then the two modes alternate and each reports its median: single samples swing widely.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Count = 8, [int] $Rounds = 5)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$tasks = @(1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "many $_ #waiting:0 #duration:0"; Duration = 4 } } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.2)
$together = { $tasks | Save-SeedanceVideo -Path $Folder -Force -ProgressAction SilentlyContinue }
$oneByOne = { foreach ($t in $tasks) { Save-SeedanceVideo -InputObject $t -Path $Folder -Force -ProgressAction SilentlyContinue } }
$clean = { Get-ChildItem $Folder -Filter *.mp4 | Remove-Item }

$null = & $together; & $clean
$togetherTimes = @(); $oneByOneTimes = @()
foreach ($round in 1..$Rounds) {
    $togetherTimes += Measure-Seconds $together; & $clean
    $oneByOneTimes += Measure-Seconds $oneByOne; & $clean
}
$t = Get-Median $togetherTimes
$o = Get-Median $oneByOneTimes
[pscustomobject]@{ Count = $Count; TogetherSeconds = $t; OneByOneSeconds = $o; Speedup = $o / $t } | ConvertTo-Json -Compress
