# 200 ids through Get-SeedanceTask vs a hand-written Invoke-RestMethod loop, same process, same ids.
param([string] $ModulePath, [string] $ApiBaseUri, [int] $Count = 200, [int] $Rounds = 3)
. "$PSScriptRoot/Common.ps1"
Connect-Emulator $ModulePath $ApiBaseUri

$ids = @(1..$Count | ForEach-Object { [pscustomobject]@{ Prompt = "lookup $_"; Duration = 4 } } | New-SeedanceTask | ForEach-Object TaskId)
$headers = @{ Authorization = 'Bearer test-key' }
$loop = { foreach ($id in $ids) { Invoke-RestMethod -Uri "$ApiBaseUri/jobs/recordInfo?taskId=$id" -Headers $headers } }
$module = { Get-SeedanceTask -TaskId $ids }

# Warm both paths once (JIT, connection pools), then alternate so drift hits both alike.
if (@(& $module).Count -ne $Count -or @(& $loop).Count -ne $Count) { throw 'A lookup pass did not return every task.' }
$loopTimes = @(); $moduleTimes = @()
foreach ($round in 1..$Rounds) {
    $loopTimes += Measure-Seconds $loop
    $moduleTimes += Measure-Seconds $module
}
$irm = Get-Median $loopTimes
$seedance = Get-Median $moduleTimes
[pscustomobject]@{ Count = $Count; ModuleSeconds = $seedance; InvokeRestMethodSeconds = $irm; Speedup = $irm / $seedance } | ConvertTo-Json -Compress
