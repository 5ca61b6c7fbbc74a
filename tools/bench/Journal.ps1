# The task journal's costs (issue 8): an append, the journal's share of a create, and listing 10,000 records, each
# beside a physical baseline measured in the same run on the same file system (a raw append of the same bytes with
# Flush(true), alternated with the journal's so machine load hits both alike; a raw read of the same file). Needs only
# the built client library. Prints a table and, as its last line, one JSON object.
#   dotnet pwsh -NoProfile -File tools/bench/Journal.ps1 -ModuleDir out/Seedance/<version>
param(
    [Parameter(Mandatory)] [string] $ModuleDir,
    [string] $OutFile,
    [int] $Records = 10000,
    [int] $Appends = 1000
)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot/../BuildHelpers.ps1"
# The public types (Seedance.Client) sit at the top of the module folder; older layouts had them in deps/.
$clientDll = @('Seedance.Client.dll', 'deps/Seedance.Client.dll' | ForEach-Object { Join-Path (Resolve-Path $ModuleDir) $_ } | Where-Object { Test-Path $_ })[0]
Add-Type -Path $clientDll
$work = Join-Path ([IO.Path]::GetTempPath()) "seedance-journal-bench-$PID"
New-Item -ItemType Directory -Force -Path $work | Out-Null

function Get-Median([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][Math]::Floor($s.Count / 2)] }
function Get-P95([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][Math]::Floor($s.Count * 0.95)] }
function New-Request([int] $i) {
    $r = [Seedance.Client.Models.CreateTaskRequest]::new()
    $r.Prompt = "Row $i of the benchmark batch: a red fox crossing fresh snow at dawn, slow camera pan, soft light"
    $r.Duration = 5
    $r.ImageUrls = [string[]]@("https://cdn.example.com/ref/$i.png")
    $r
}
function Add-Task([Seedance.Client.Journal.TaskJournal] $Journal, [int] $i) {
    # One task's life as the cmdlets will journal it: intent, created, two status changes, saved (5 records; 1 in 10 unsaved).
    $reservation = $Journal.ReserveCreate((New-Request $i), "row-$i", 200, $null, $false)
    $Journal.RecordCreated($reservation, "task_$i")
    $task = [Seedance.Client.Models.SeedanceTask]::new("task_$i")
    $task.Status = 'Generating'; $task.CreditsUsed = 200
    $null = $Journal.RecordStatus($task)
    $done = [Seedance.Client.Models.SeedanceTask]::new("task_$i")
    $done.Status = 'Success'; $done.CreditsUsed = 200
    $done.Videos = [Seedance.Client.Models.SeedanceVideo[]]@([Seedance.Client.Models.SeedanceVideo]::new("https://static.example.com/out/$i.mp4", 1280, 720, 'video/mp4'))
    $null = $Journal.RecordStatus($done)
    # The saved record, in the bytes Save's PlaceSaved writes (it reads the file under the lock first, which would make
    # building the file quadratic).
    if ($i % 10 -ne 0) { Add-RawLine $Journal.Path ([Text.Encoding]::UTF8.GetBytes('{"v":1,"type":"saved","time":"' + (Get-JournalTime) + '","task":"task_' + $i + '","path":"/videos/row-' + $i + '.mp4","bytes":5242880}' + "`n")) }
}
function Get-JournalTime { [DateTimeOffset]::UtcNow.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture) }
function Add-RawLine([string] $Path, [byte[]] $Line) {
    $fs = [IO.FileStream]::new($Path, 'Append', 'Write', 'ReadWrite', 1)
    try { $fs.Write($Line, 0, $Line.Length); $fs.Flush($true) } finally { $fs.Dispose() }
}

try {
    # The journal to list: $Records records of whole task lives.
    $listPath = Join-Path $work 'list.jsonl'
    $writer = [Seedance.Client.Journal.TaskJournal]::Open($listPath)
    $i = 0
    $recordCount = 0
    while ($recordCount -lt $Records) {
        $recordCount += $(if ($i % 10 -ne 0) { 5 } else { 4 })   # Add-Task's records: 1 in 10 is not saved
        Add-Task $writer ($i++)
    }
    if ([IO.File]::ReadAllLines($listPath).Length -ne $recordCount) { throw "The list journal has not $recordCount records." }
    $fileBytes = (Get-Item $listPath).Length

    # Listing, as a new session's first Get-SeedanceTask -Pending pays it: a fresh process (assembly load and JIT
    # included, pwsh's own start-up not), then fresh instances in this warm process.
    $child = @"
`$sw = [Diagnostics.Stopwatch]::StartNew()
Add-Type -Path '$clientDll'
`$q = [Seedance.Client.Journal.JournalQuery]::new(); `$q.Pending = `$true
`$n = [Seedance.Client.Journal.TaskJournal]::Open('$listPath').Read().Find(`$q).Count
`$sw.Elapsed.TotalSeconds
"@
    $pwsh = @(Get-PwshCommand)
    $coldRuns = foreach ($run in 1..3) { [double](& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $child | Select-Object -Last 1) }
    $query = [Seedance.Client.Journal.JournalQuery]::new(); $query.Pending = $true
    $pending = 0
    $listTimes = foreach ($run in 1..7) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $pending = [Seedance.Client.Journal.TaskJournal]::Open($listPath).Read().Find($query).Count
        $sw.Elapsed.TotalSeconds
    }
    $readTimes = foreach ($run in 1..7) { $sw = [Diagnostics.Stopwatch]::StartNew(); $null = [IO.File]::ReadAllBytes($listPath); $sw.Elapsed.TotalSeconds }

    # Appends on that journal, alternated with raw appends of the same bytes to a copy of it.
    $rawPath = Join-Path $work 'raw.jsonl'
    Copy-Item $listPath $rawPath
    $journal = [Seedance.Client.Journal.TaskJournal]::Open($listPath)
    $null = $journal.Read()
    # The bytes of the created record the journal appends below, as it writes them.
    $appendIntent = $journal.ReserveCreate((New-Request 0), 'append-bench', 1, $null, $false)
    $line = [Text.Encoding]::UTF8.GetBytes('{"v":1,"type":"created","time":"' + (Get-JournalTime) + '","intent":"' + $appendIntent.IntentId + '","task":"task_1","name":"append-bench"}' + "`n")
    $append = [Collections.Generic.List[double]]::new(); $raw = [Collections.Generic.List[double]]::new()
    foreach ($n in 1..$Appends) {
        $sw = [Diagnostics.Stopwatch]::StartNew(); $journal.RecordCreated($appendIntent, 'task_1'); $append.Add($sw.Elapsed.TotalMilliseconds)
        $sw = [Diagnostics.Stopwatch]::StartNew(); Add-RawLine $rawPath $line; $raw.Add($sw.Elapsed.TotalMilliseconds)
    }

    # A create's journal work, as New-SeedanceTask does it: the check before ShouldProcess (no lock), the atomic name
    # and daily-limit check with its intent, then the created record.
    $create = [Collections.Generic.List[double]]::new(); $rawPair = [Collections.Generic.List[double]]::new()
    foreach ($n in 1..([Math]::Max(1, [int]($Appends / 4)))) {
        $request = New-Request $n
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = $journal.CheckCreate("bench-$n", 1e12)
        $reservation = $journal.ReserveCreate($request, "bench-$n", 200, 1e12, $false)
        $journal.RecordCreated($reservation, "task_bench_$n")
        $create.Add($sw.Elapsed.TotalMilliseconds)
        $sw = [Diagnostics.Stopwatch]::StartNew(); Add-RawLine $rawPath $line; Add-RawLine $rawPath $line; $rawPair.Add($sw.Elapsed.TotalMilliseconds)
    }

    $r = [ordered]@{
        Records = $recordCount; FileMiB = [Math]::Round($fileBytes / 1MB, 2); Pending = $pending
        ListFirstInProcessSeconds = (Get-Median $coldRuns); ListSeconds = (Get-Median $listTimes); RawReadSeconds = (Get-Median $readTimes)
        AppendMs = (Get-Median $append); AppendP95Ms = (Get-P95 $append); RawAppendMs = (Get-Median $raw); RawAppendP95Ms = (Get-P95 $raw)
        CreateMs = (Get-Median $create); CreateP95Ms = (Get-P95 $create); RawTwoAppendsMs = (Get-Median $rawPair)
    }
    $rows = @(
        [pscustomobject]@{ Measure = "List $($r.Records) records ($($r.FileMiB) MiB) -Pending, first in a new process"; Value = '{0:0.000} s' -f $r.ListFirstInProcessSeconds; Baseline = 'raw read {0:0.000} s' -f $r.RawReadSeconds; Target = '< 0.5 s'; Met = $r.ListFirstInProcessSeconds -lt 0.5 }
        [pscustomobject]@{ Measure = '... fresh instance in a warm process'; Value = '{0:0.000} s' -f $r.ListSeconds; Baseline = ''; Target = '< 0.5 s'; Met = $r.ListSeconds -lt 0.5 }
        [pscustomobject]@{ Measure = 'Append one record (lock, one write, Flush(true))'; Value = '{0:0.000} ms (p95 {1:0.00})' -f $r.AppendMs, $r.AppendP95Ms; Baseline = 'raw flushed append {0:0.000} ms (p95 {1:0.00})' -f $r.RawAppendMs, $r.RawAppendP95Ms; Target = '< 2 ms'; Met = $r.AppendMs -lt 2 }
        [pscustomobject]@{ Measure = 'A create: check, reserve (name + daily limit, intent), created'; Value = '{0:0.000} ms (p95 {1:0.00})' -f $r.CreateMs, $r.CreateP95Ms; Baseline = '2 raw appends {0:0.000} ms' -f $r.RawTwoAppendsMs; Target = '< 2 ms per append'; Met = $r.CreateMs -lt 4 }
    )
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
    if ($OutFile) { $r | ConvertTo-Json | Set-Content -Path $OutFile }
    $r | ConvertTo-Json -Compress
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
