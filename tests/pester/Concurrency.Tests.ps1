#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Many tasks at once: Wait-SeedanceTask waits on a batch with one bounded polling loop and emits in completion order,
# Get-SeedanceTask looks ids up concurrently in input order, Save-SeedanceVideo downloads several files at once.
#
# Everything here is proved from behaviour: output order, and the emulator's request logs. No test asserts that
# something was fast. Concurrency is read from the logs like this: the emulator logs a request's time when it has
# been answered, and a `slow` fault holds every answer back for D ms; so k answers logged less than D ms apart were
# all in flight at once (each began at least D ms before it ended, i.e. before the first of them ended), and a client
# that never has more than N in flight can never produce N + 1 such answers. See Get-MaxCountInWindow.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0 -GeneratingSeconds 0.5 -ArgumentList '--max-running', '1000'
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-DownloadFolder {
        $folder = New-TestFolder -Prefix 'seedance-many'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-NowMs { ([DateTimeOffset]::UtcNow - [DateTimeOffset]::UnixEpoch).TotalMilliseconds }

    # The emulator's own view of a task: when it completes (epoch ms) and its raw status.
    function Get-CompleteTimeMs($Emulator, [string] $TaskId) { [double](Get-EmulatorTask -Emulator $Emulator -TaskId $TaskId).completeTime }
    function Get-EmulatorStatus($Emulator, [string] $TaskId) { [string](Get-EmulatorTask -Emulator $Emulator -TaskId $TaskId).status }

    # Answer times (epoch ms) of the recordInfo requests in the log, and the task id each asked about.
    function Get-RecordInfoAnswers($Emulator) {
        @((Get-EmulatorStats -Emulator $Emulator).apiRequests | Where-Object path -Like '*/jobs/recordInfo' | ForEach-Object {
                [pscustomobject]@{ At = ConvertTo-EpochMilliseconds $_.time; TaskId = ($_.query -replace '^\?taskId=', '') }
            })
    }

    function Get-FileGets($Emulator) {
        @((Get-EmulatorStats -Emulator $Emulator).fileRequests | Where-Object method -EQ 'GET' | ForEach-Object {
                [pscustomobject]@{ At = ConvertTo-EpochMilliseconds $_.time; Path = $_.path; Range = $_.range; Status = $_.status; Aborted = $_.aborted }
            })
    }

    # A fresh runspace that talks to $Emulator, for what only a PowerShell instance shows (progress records, Stop()).
    function New-SeedanceRunspace([scriptblock] $Script, [object[]] $Arguments = @(), $Emulator = $script:Emulator) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $BaseUri, $Key)
                Import-Module $ModulePath
                Set-SeedanceConfiguration -BaseUri $BaseUri -Scope Runspace
                Set-SeedanceApiKey -Scope Runspace -PlainTextApiKey $Key
            }).AddArgument((Get-TestModulePath)).AddArgument($Emulator.ApiBaseUri).AddArgument((Get-TestApiKey))
        $null = $ps.AddStatement().AddScript($Script)
        foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
        $ps
    }

    # The records of the batch bar of a wait.
    function Get-BatchProgress($Records) {
        @($Records | Where-Object Activity -EQ 'Seedance tasks')
    }

    function Get-UnclosedActivityIds($Records) {
        # Every activity id whose last record is not Completed is a bar left on the screen.
        @($Records | Group-Object ActivityId | Where-Object { $_.Group[-1].RecordType -ne 'Completed' } | ForEach-Object Name)
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Wait-SeedanceTask with many tasks' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    Context 'one polling loop for the whole batch' {
        It 'emits each task as soon as it finishes: the short ones while the first (long) one still generates' {
            $long = New-SeedanceTask 'order long #duration:3'
            $short = @('order a #duration:0.2', 'order b #duration:0.7', 'order c #duration:1.2' | New-SeedanceTask)
            $seen = [System.Collections.Generic.List[object]]::new()

            @($long; $short) | Wait-SeedanceTask -PollInterval 0.1 | ForEach-Object {
                $seen.Add([pscustomobject]@{ TaskId = $_.TaskId; Status = [string]$_.Status; SeenAt = Get-NowMs })
            }

            # Completion order as the emulator defines it (createTime + waiting + generating), not input order.
            $byCompletion = @(@($long; $short) | Sort-Object { Get-CompleteTimeMs $script:Emulator $_.TaskId } | ForEach-Object TaskId)
            $seen.TaskId | Should -Be $byCompletion
            $seen.TaskId | Should -Be @($short.TaskId + $long.TaskId)
            $seen.Status | Should -Be @('Success', 'Success', 'Success', 'Success')
            # Each short task reached the next command before the long one (the first input) had even finished, so
            # the wait neither waited for the tasks one after another nor held output back until the end.
            $longDone = Get-CompleteTimeMs $script:Emulator $long.TaskId
            foreach ($early in ($seen | Select-Object -First 3)) { $early.SeenAt | Should -BeLessThan $longDone }
        }

        It 'lets a downstream Save-SeedanceVideo download the first finished video while another task still generates' {
            $folder = New-DownloadFolder
            $long = New-SeedanceTask 'pipeline long #duration:3'
            $short = New-SeedanceTask 'pipeline short #duration:0.2'

            $files = @($long, $short | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder)

            $files.Name | Should -Be @("$($short.TaskId).mp4", "$($long.TaskId).mp4")
            $gets = Get-FileGets $script:Emulator
            $gets | Should -HaveCount 2
            $gets[0].Path | Should -Be "/files/$($short.TaskId).mp4"
            # The short task's file was already downloaded (its GET answered) before the long task completed, and
            # the long task was still being polled after it.
            $gets[0].At | Should -BeLessThan (Get-CompleteTimeMs $script:Emulator $long.TaskId)
            $lastLongPoll = (Get-RecordInfoAnswers $script:Emulator | Where-Object TaskId -EQ $long.TaskId | Select-Object -Last 1).At
            $gets[0].At | Should -BeLessThan $lastLongPoll
        }

        It 'never has more than -ThrottleLimit status requests in flight (10 tasks, -ThrottleLimit 2)' {
            $ids = @(1..10 | ForEach-Object { "throttled $_ #duration:3" } | New-SeedanceTask | ForEach-Object TaskId)
            Reset-EmulatorStats -Emulator $script:Emulator
            # Every answer takes at least 300 ms. By id, all ten are due at once, so an unbounded loop would send ten.
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/recordInfo'; kind = 'slow'; delayMs = 300; count = -1 }
            try { $done = @(Wait-SeedanceTask -TaskId $ids -ThrottleLimit 2 -PollInterval 0.1) }
            finally { Clear-EmulatorFault -Emulator $script:Emulator }

            $done | Should -HaveCount 10
            $done | ForEach-Object { $_.Status | Should -Be 'Success' }
            $answers = Get-RecordInfoAnswers $script:Emulator
            # All ten were due at once (ids only are read at once), so the bound below was really exercised.
            $answers.Count | Should -BeGreaterThan 10
            # Three answers less than 300 ms apart would mean three requests in flight at once (see the top of the file).
            Get-MaxCountInWindow -Times $answers.At -WindowMs 250 | Should -Be 2
        }

        It 'keeps the requests per task close to generation time / -PollInterval + 2' {
            # Generation takes 2 s (no waiting phase); at one read per 0.5 s that is 4 reads, + 2 for the edges.
            $tasks = @(1..4 | ForEach-Object { "interval $_ #waiting:0 #duration:2" } | New-SeedanceTask)
            Reset-EmulatorStats -Emulator $script:Emulator

            $done = @($tasks | Wait-SeedanceTask -PollInterval 0.5)

            $done | Should -HaveCount 4
            $byTask = (Get-EmulatorStats -Emulator $script:Emulator).recordInfoByTask
            foreach ($task in $tasks) {
                $count = [int]$byTask.($task.TaskId)
                $count | Should -BeLessOrEqual 6 -Because "2 s / 0.5 s + 2 (task $($task.TaskId))"
            }
        }
    }

    Context '-Timeout and -Any' {
        It 'leaves tasks running at -Timeout (like Wait-Job): a WaitTimeout per task, each waitable again from -ErrorVariable' {
            $slow = @('timeout a #duration:4', 'timeout b #duration:4' | New-SeedanceTask)
            $fast = New-SeedanceTask 'timeout fast #duration:0.2'

            $out = @(@($slow; $fast) | Wait-SeedanceTask -Timeout 1 -PollInterval 0.1 -ErrorVariable timedOut -ErrorAction SilentlyContinue)

            $out.TaskId | Should -Be @($fast.TaskId)
            $timedOut | Should -HaveCount 2
            foreach ($record in $timedOut) {
                $record.FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
                $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
                $record.TargetObject.GetType().FullName | Should -Be 'Seedance.Client.Models.SeedanceTask'
                $record.TargetObject.IsFinished | Should -BeFalse
            }
            ($timedOut.TargetObject.TaskId | Sort-Object) | Should -Be ($slow.TaskId | Sort-Object)
            # Not cancelled: the service still has them running...
            foreach ($task in $slow) { Get-EmulatorStatus $script:Emulator $task.TaskId | Should -Be 'generating' }

            # ...and a later wait picks them up from the error records and sees them through.
            $later = @($timedOut.TargetObject | Wait-SeedanceTask -PollInterval 0.1)
            ($later.TaskId | Sort-Object) | Should -Be ($slow.TaskId | Sort-Object)
            $later | ForEach-Object { $_.Status | Should -Be 'Success' }
            foreach ($task in $slow) { Get-EmulatorStatus $script:Emulator $task.TaskId | Should -Be 'success' }
        }

        It 'returns after the first task ends with -Any and stops polling the others' {
            $slow = @('any a #duration:30', 'any b #duration:30' | New-SeedanceTask)
            $fast = New-SeedanceTask 'any fast #duration:0.2'

            $out = @(@($slow; $fast) | Wait-SeedanceTask -Any -PollInterval 0.1 -ErrorVariable errors)

            $out.TaskId | Should -Be @($fast.TaskId)
            $errors | Should -HaveCount 0
            # Nothing keeps polling once the command has returned.
            Reset-EmulatorStats -Emulator $script:Emulator
            Start-Sleep -Milliseconds 600
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests | Should -Be 0
            foreach ($task in $slow) { Get-EmulatorStatus $script:Emulator $task.TaskId | Should -Be 'generating' }
        }

        It 'returns at once with -Any when a piped task is already finished, without polling the running ones' {
            $finished = Get-SeedanceTask 'demo_task_t2v_success'
            $running = New-SeedanceTask 'any with a finished one #duration:30'
            Reset-EmulatorStats -Emulator $script:Emulator

            $out = @($finished, $running | Wait-SeedanceTask -Any -Timeout 10 -PollInterval 0.1 -ErrorVariable errors)

            $out.TaskId | Should -Be @('demo_task_t2v_success')
            $errors | Should -HaveCount 0
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoByTask.($running.TaskId) | Should -BeNullOrEmpty
        }
    }

    Context 'progress' {
        It 'shows one batch bar with finished/total and a line per task, and closes every bar, also after a failed task' {
            # Durations count from the create: each must outlast the wait's runspace start on a loaded machine, or a task is
            # done before its line is drawn (0.3 s failed so in a run beside another full suite).
            $ids = @('progress ok #duration:3', 'progress fails #fail #duration:3.5', 'progress later #duration:4' | New-SeedanceTask | ForEach-Object TaskId)
            $ps = New-SeedanceRunspace -Script {
                param($Ids)
                Wait-SeedanceTask -TaskId $Ids -PollInterval 0.1
            } -Arguments (, $ids)
            try {
                $out = @($ps.Invoke())
                $records = @($ps.Streams.Progress)
                $errors = @($ps.Streams.Error)
            }
            finally { $ps.Dispose() }

            $out | Should -HaveCount 2
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'

            $batch = Get-BatchProgress $records
            $batch | Should -Not -BeNullOrEmpty
            $batchId = $batch[0].ActivityId
            @($batch | ForEach-Object ActivityId | Sort-Object -Unique) | Should -Be @($batchId)
            $batch[0].ParentActivityId | Should -Be -1
            $running = @($batch | Where-Object RecordType -EQ 'Processing')
            $running[0].StatusDescription | Should -Match '^0 of 3 finished'
            $running[-1].StatusDescription | Should -Match '^3 of 3 finished, 1 failed'

            # A line per task, under the batch bar.
            foreach ($id in $ids) {
                $lines = @($records | Where-Object { $_.Activity -eq $id -and $_.RecordType -eq 'Processing' })
                $lines | Should -Not -BeNullOrEmpty -Because "task $id has its own line"
                $lines | ForEach-Object { $_.ParentActivityId | Should -Be $batchId }
            }
            @($records | Where-Object { $_.RecordType -eq 'Processing' -and $_.ParentActivityId -eq $batchId } | ForEach-Object ActivityId | Sort-Object -Unique) | Should -HaveCount 3

            Get-UnclosedActivityIds $records | Should -HaveCount 0
            $records[-1].RecordType | Should -Be 'Completed'
        }

        It 'shows only the batch bar for many tasks, and closes it' {
            $ids = @(1..12 | ForEach-Object { "progress many $_ #duration:0.3" } | New-SeedanceTask | ForEach-Object TaskId)
            $ps = New-SeedanceRunspace -Script { param($Ids) Wait-SeedanceTask -TaskId $Ids -PollInterval 0.1 } -Arguments (, $ids)
            try {
                $out = @($ps.Invoke())
                $records = @($ps.Streams.Progress)
            }
            finally { $ps.Dispose() }

            $out | Should -HaveCount 12
            $batch = Get-BatchProgress $records
            @($records | ForEach-Object ActivityId | Sort-Object -Unique) | Should -Be @($batch[0].ActivityId)
            @($batch | Where-Object RecordType -EQ 'Processing')[-1].StatusDescription | Should -Match '^12 of 12 finished'
            Get-UnclosedActivityIds $records | Should -HaveCount 0
            # Issue 18: PowerShell draws 'Activity [status]' and cuts what does not fit; at 80 columns the counts and
            # the clock all stay visible, and the counts come first.
            foreach ($record in @($batch | Where-Object RecordType -EQ 'Processing')) {
                "$($record.Activity) [$($record.StatusDescription)]".Length | Should -BeLessOrEqual 78 -Because $record.StatusDescription
                # 'of N' counts the tasks that have arrived so far (the ids reach the wait one by one), 12 once all have.
                $record.StatusDescription | Should -Match '^\d+ of \d+ finished, \d+ failed, \d+ running, \d\d:\d\d:\d\d$'
            }
        }

        It 'closes every bar when a failed task ends the command (-ErrorAction Stop)' {
            $ids = @('stop ok #duration:0.2', 'stop fails #fail:500 #duration:0.5', 'stop long #duration:30' | New-SeedanceTask | ForEach-Object TaskId)
            $ps = New-SeedanceRunspace -Script { param($Ids) Wait-SeedanceTask -TaskId $Ids -PollInterval 0.1 -ErrorAction Stop } -Arguments (, $ids)
            try {
                $failure = $null
                try { $null = $ps.Invoke() } catch { $failure = $_ }
                $records = @($ps.Streams.Progress)
            }
            finally { $ps.Dispose() }

            "$failure" | Should -Match '500'
            @($records | Where-Object RecordType -EQ 'Processing') | Should -Not -BeNullOrEmpty
            Get-UnclosedActivityIds $records | Should -HaveCount 0
        }
    }

    Context 'Ctrl+C' {
        It 'stops promptly on Stop() and names every task not saved: those still running, and the one already emitted as finished' {
            $fast = New-SeedanceTask 'ctrl-c fast #duration:0.2'
            $slow = @(1..4 | ForEach-Object { "ctrl-c slow $_ #duration:60" } | New-SeedanceTask)
            $ids = @($fast.TaskId) + $slow.TaskId
            $ps = New-SeedanceRunspace -Script { param($Ids) Wait-SeedanceTask -TaskId $Ids -PollInterval 0.1 } -Arguments (, $ids)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            try {
                $handle = $ps.BeginInvoke($noInput, $output)
                # Stop once the fast one has come out, while the others are being polled.
                Wait-Until { $output.Count -ge 1 } -TimeoutSeconds 30 | Should -BeTrue

                # Promptly: the invocation has ended (not just Stop() returned) well before the 60 s tasks would.
                $stopwatch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $ended = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(5))
                $stopwatch.Stop()

                $ended | Should -BeTrue
                $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $warning = ($ps.Streams.Warning | ForEach-Object Message) -join "`n"
            }
            finally { $ps.Dispose() }

            $output[0].TaskId | Should -Be $fast.TaskId
            foreach ($task in $slow) { $warning | Should -Match "$([regex]::Escape($task.TaskId)) \(still running\)" }
            # Emitted, but never saved: still a paid video the user must hear of.
            $warning | Should -Match "$([regex]::Escape($fast.TaskId)) \(finished, success\)"
            @($ps.Streams.Warning) | Should -HaveCount 1
            # Left running, not cancelled.
            foreach ($task in $slow) { Get-EmulatorStatus $script:Emulator $task.TaskId | Should -Be 'generating' }
        }
    }
}

Describe 'Get-SeedanceTask with many ids' {
    BeforeAll {
        $script:ManyIds = @(1..30 | ForEach-Object { "lookup $_ #duration:60" } | New-SeedanceTask | ForEach-Object TaskId)
    }

    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }
    AfterEach { Clear-EmulatorFault -Emulator $script:Emulator }

    It 'looks <Case> up concurrently (at most -ThrottleLimit at once) and outputs them in input order' -ForEach @(
        @{ Case = 'ids given as -TaskId' }, @{ Case = 'piped ids' }
    ) {
        # The first request answered takes 900 ms, every other one 300 ms: answers come back out of input order.
        Add-EmulatorFault -Emulator $script:Emulator -Rule @(
            @{ path = '/api/v1/jobs/recordInfo'; kind = 'slow'; delayMs = 900; count = 1 },
            @{ path = '/api/v1/jobs/recordInfo'; kind = 'slow'; delayMs = 300; count = -1 })

        $out = if ($Case -eq 'piped ids') { @($script:ManyIds | Get-SeedanceTask -ThrottleLimit 8) } else { @(Get-SeedanceTask -TaskId $script:ManyIds -ThrottleLimit 8) }

        $out.TaskId | Should -Be $script:ManyIds
        $answers = Get-RecordInfoAnswers $script:Emulator
        $answers | Should -HaveCount 30
        # The service answered in another order than the input's, and the output was put back in input order.
        ($answers | Sort-Object At | ForEach-Object TaskId) | Should -Not -Be $script:ManyIds
        # Concurrent (answers < 300 ms apart were in flight together) but never more than 8 at once.
        $inFlight = Get-MaxCountInWindow -Times $answers.At -WindowMs 250
        $inFlight | Should -BeGreaterThan 1
        $inFlight | Should -BeLessOrEqual 8
    }
}

Describe 'Save-SeedanceVideo with many videos' {
    BeforeAll {
        # Synthetic 20 MB outputs (byte i is i % 251 after the headers) on an emulator of their own.
        $script:FileBytes = 20000000
        $script:BigEmulator = Start-TestEmulator -WaitingSeconds 0 -GeneratingSeconds 0.2 -ArgumentList '--output-bytes', "$script:FileBytes", '--max-running', '1000'
        $script:BigSandbox = Enter-TestSandbox -Emulator $script:BigEmulator
        $script:Videos = @(1..8 | ForEach-Object { "video $_" } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1)
        $script:Videos | Should -HaveCount 8
        $script:ChildEnvironment = @{
            SEEDANCE_API_KEY  = (Get-TestApiKey)
            XDG_CONFIG_HOME   = $script:BigSandbox.ConfigDir
        }
    }

    AfterAll {
        Exit-TestSandbox $script:BigSandbox
        Stop-TestEmulator $script:BigEmulator
    }

    BeforeEach { Reset-EmulatorStats -Emulator $script:BigEmulator }
    AfterEach { Clear-EmulatorFault -Emulator $script:BigEmulator }

    It 'downloads -ThrottleLimit files at once, never more, and saves each whole' {
        $folder = New-DownloadFolder
        # Every GET is answered 1 s late: 4 answers logged within 1 s of each other were all in flight together.
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; method = 'GET'; kind = 'slow'; delayMs = 1000; count = -1 }

        $files = @($script:Videos | Save-SeedanceVideo -Path $folder -ThrottleLimit 4)

        $files | Should -HaveCount 8
        ($files.Name | Sort-Object) | Should -Be ($script:Videos.TaskId | ForEach-Object { "$_.mp4" } | Sort-Object)
        foreach ($file in $files) { Test-SyntheticVideoContent -Path $file.FullName -Length $script:FileBytes | Should -BeTrue }
        $gets = Get-FileGets $script:BigEmulator
        $gets | Should -HaveCount 8
        Get-MaxCountInWindow -Times $gets.At -WindowMs 950 | Should -Be 4
        @(Get-ChildItem -LiteralPath $folder -Force -Filter '*.partial') | Should -HaveCount 0
    }

    It 'resumes a transfer cut off mid-file with a Range request and ends with the byte-correct file' {
        $folder = New-DownloadFolder
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; kind = 'truncate'; afterBytes = 7000000; count = 1 }

        $file = $script:Videos[0] | Save-SeedanceVideo -Path $folder -ErrorVariable errors

        $errors | Should -HaveCount 0
        $file.Length | Should -Be $script:FileBytes
        Test-SyntheticVideoContent -Path $file.FullName -Length $script:FileBytes | Should -BeTrue
        $gets = Get-FileGets $script:BigEmulator
        $gets[0].Aborted | Should -BeTrue
        $ranged = @($gets | Where-Object { $_.Range -match '^bytes=[1-9]\d*-$' })
        $ranged | Should -Not -BeNullOrEmpty
        $ranged[-1].Status | Should -Be 206
    }

    It 'fetches the task again when its video URL answers 404 once (expired URL), then saves it' {
        $folder = New-DownloadFolder
        $task = $script:Videos[1]
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; kind = 'status'; status = 404; count = 1 }

        $file = $task | Save-SeedanceVideo -Path $folder -ErrorVariable errors

        $errors | Should -HaveCount 0
        $file.Name | Should -Be "$($task.TaskId).mp4"
        Test-SyntheticVideoContent -Path $file.FullName -Length $script:FileBytes | Should -BeTrue
        (Get-EmulatorStats -Emulator $script:BigEmulator).recordInfoByTask.($task.TaskId) | Should -Be 1
        @(Get-FileGets $script:BigEmulator | ForEach-Object Status) | Should -Be @(404, 200)
    }

    It 'reports TaskNotSucceeded for a failed and a running task and still saves the others' {
        $folder = New-DownloadFolder
        $failed = Get-SeedanceTask 'demo_task_fail_text_moderation'
        $running = New-SeedanceTask 'still generating #duration:60'
        $good = $script:Videos[2], $script:Videos[3]

        $files = @($good[0], $failed, $running, $good[1] | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue)

        ($files.Name | Sort-Object) | Should -Be ($good.TaskId | ForEach-Object { "$_.mp4" } | Sort-Object)
        $errors | Should -HaveCount 2
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'TaskNotSucceeded,*' }
        $errors.TargetObject.TaskId | Should -Be @($failed.TaskId, $running.TaskId)
        @(Get-ChildItem -LiteralPath $folder -Force).Name | Sort-Object | Should -Be ($files.Name | Sort-Object)
    }

    It 'closes its progress bars when a failed download ends the command (-ErrorAction Stop)' {
        $folder = New-DownloadFolder
        $ids = @($script:Videos[0..2].TaskId)
        # The first is still transferring (held back) when the third fails for good.
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @(
            @{ path = "/files/$($ids[0])"; kind = 'slow'; delayMs = 1500; count = -1 },
            @{ path = "/files/$($ids[2])"; kind = 'status'; status = 404; count = -1 })
        $ps = New-SeedanceRunspace -Emulator $script:BigEmulator -Script {
            param($Ids, $Folder)
            Save-SeedanceVideo -TaskId $Ids -Path $Folder -ErrorAction Stop
        } -Arguments ($ids, $folder)
        try {
            $failure = $null
            try { $null = $ps.Invoke() } catch { $failure = $_ }
            $records = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }

        "$failure" | Should -Match '404'
        @($records | Where-Object RecordType -EQ 'Processing') | Should -Not -BeNullOrEmpty
        Get-UnclosedActivityIds $records | Should -HaveCount 0
        @(Get-ChildItem -LiteralPath $folder -Force -Filter '*.partial') | Should -HaveCount 0
    }

    It 'uses a -Path naming a file as is for one task, and refuses the second of two with PathIsSingleFile' {
        $folder = New-DownloadFolder
        $single = Join-Path $folder 'single.mp4'
        $one = $script:Videos[4] | Save-SeedanceVideo -Path $single
        $one.FullName | Should -Be $single
        Test-SyntheticVideoContent -Path $single -Length $script:FileBytes | Should -BeTrue

        $pair = Join-Path $folder 'pair.mp4'
        $two = @($script:Videos[5], $script:Videos[6] | Save-SeedanceVideo -Path $pair -ErrorVariable errors -ErrorAction SilentlyContinue)
        $two | Should -HaveCount 1
        $two[0].FullName | Should -Be $pair
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathIsSingleFile,*'
        $errors[0].TargetObject.TaskId | Should -Be $script:Videos[6].TaskId
        (@(Get-ChildItem -LiteralPath $folder -Force).Name | Sort-Object) | Should -Be @('pair.mp4', 'single.mp4')
        (@(Get-FileGets $script:BigEmulator).Path | Sort-Object) | Should -Be (@($script:Videos[4], $script:Videos[5]) | ForEach-Object { "/files/$($_.TaskId).mp4" } | Sort-Object)
    }

    It 'streams a large file to disk: the process peak memory grows by less than 50 MiB for a 300 MB video' {
        $bytes = 300MB
        $large = Start-TestEmulator -WaitingSeconds 0 -GeneratingSeconds 0.1 -ArgumentList '--output-bytes', "$bytes"
        $folder = New-DownloadFolder
        try {
            $environment = $script:ChildEnvironment.Clone()
            $environment.SEEDANCE_BASE_URI = $large.ApiBaseUri
            $result = Invoke-ChildPwsh -Environment $environment -TimeoutSeconds 120 -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SEEDANCE_TEST_MODULE
`$task = New-SeedanceTask 'large' | Wait-SeedanceTask -PollInterval 0.1
`$self = Get-Process -Id `$PID
`$self.Refresh(); `$before = `$self.PeakWorkingSet64
`$file = `$task | Save-SeedanceVideo -Path '$folder'
`$self.Refresh(); `$after = `$self.PeakWorkingSet64
'RESULT {0} {1}' -f `$file.Length, (`$after - `$before)
"@
        }
        finally { Stop-TestEmulator $large }

        $result.TimedOut | Should -BeFalse
        $line = @($result.StdOut -split "`n" | Where-Object { $_ -match '^RESULT ' })
        $line | Should -HaveCount 1 -Because "the child printed: $($result.StdOut) $($result.StdErr)"
        $fields = $line[0].Trim() -split ' '
        [long]$fields[1] | Should -Be $bytes
        ([long]$fields[2] / 1MB) | Should -BeLessThan 50 -Because 'the file is streamed through a small buffer, never held in memory'
    }
}
