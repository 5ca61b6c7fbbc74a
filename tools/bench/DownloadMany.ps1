# N files saved by one Save-SeedanceVideo call vs the same N saved one call after another.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Count = 8)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$tasks = @(1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "many $_ #waiting:0 #duration:0"; Duration = 4 } } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.2)
$together = Measure-Seconds { $tasks | Save-SeedanceVideo -Path $Folder -Force -ProgressAction SilentlyContinue }
Get-ChildItem $Folder -Filter *.mp4 | Remove-Item
$oneByOne = Measure-Seconds { foreach ($t in $tasks) { Save-SeedanceVideo -InputObject $t -Path $Folder -Force -ProgressAction SilentlyContinue } }
Get-ChildItem $Folder -Filter *.mp4 | Remove-Item
[pscustomobject]@{ Count = $Count; TogetherSeconds = $together; OneByOneSeconds = $oneByOne; Speedup = $oneByOne / $together } | ConvertTo-Json -Compress
