# 50 CSV rows through New | Wait | Save in one pipeline vs the same rows one after another.
param([string] $ModulePath, [string] $ApiBaseUri, [string] $Folder, [int] $Count = 50, [double] $PollInterval = 0.5)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$csv = Join-Path $Folder 'jobs.csv'
1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "row $_"; Duration = 4; Ratio = '16:9' } } | Export-Csv $csv
$batch = Measure-Seconds { Import-Csv $csv | New-SeedanceTask | Wait-SeedanceTask -PollInterval $PollInterval | Save-SeedanceVideo -Path $Folder -ProgressAction SilentlyContinue }
$saved = @(Get-ChildItem $Folder -Filter *.mp4).Count
Get-ChildItem $Folder -Filter *.mp4 | Remove-Item
$sequential = Measure-Seconds { foreach ($row in Import-Csv $csv) { $row | New-SeedanceTask | Wait-SeedanceTask -PollInterval $PollInterval | Save-SeedanceVideo -Path $Folder -ProgressAction SilentlyContinue } }
Get-ChildItem $Folder -Filter *.mp4 | Remove-Item
if ($saved -ne $Count) { throw "The batch saved $saved of $Count files." }
[pscustomobject]@{ Count = $Count; BatchSeconds = $batch; SequentialSeconds = $sequential; Speedup = $sequential / $batch } | ConvertTo-Json -Compress
