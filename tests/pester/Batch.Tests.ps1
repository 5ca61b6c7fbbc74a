#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A batch at the account's limit: New-SeedanceTask waits for a free slot instead of failing rows, Wait-SeedanceTask
# streams (each task waited on as it arrives, the first file saved while later rows are still being created),
# whatever ends a pipeline early names every paid task it has not saved, Save-SeedanceVideo -Path means a folder as
# users mean it, and CSV rows are read as users write them.
#
# Nothing here asserts a duration: order and counts come from the emulator's logs (times it logged answers, tasks
# it created) and from what the commands wrote.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.4
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:CreatePath = '/api/v1/jobs/createTask'
    $script:Folders = [System.Collections.Generic.List[string]]::new()
    $script:ChildEnvironment = @{
        SEEDANCE_API_KEY  = Get-TestApiKey
        SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
        XDG_CONFIG_HOME   = $script:Sandbox.ConfigDir
    }

    function New-BatchFolder {
        $folder = New-TestFolder -Prefix 'seedance-batch'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-Stats { Get-EmulatorStats -Emulator $script:Emulator }

    function Set-FreeSlots([int] $Free) {
        # The account's limit, counting the long tasks earlier tests left running: $Free slots are free now.
        $running = (Get-EmulatorAccount -Emulator $script:Emulator).running
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning ($running + $Free)
    }

    function New-Rows([int] $Count, [string] $Label, [string] $Directive = '') {
        1..$Count | ForEach-Object { [pscustomobject]@{ Name = "$Label-$_"; Prompt = "$Label row $_ $Directive".Trim() } }
    }

    function New-BatchRunspace {
        # A runspace that talks to the emulator: what only a PowerShell instance shows (progress, warnings written
        # to the host, Stop()).
        param([scriptblock] $Script, [object[]] $Arguments = @())
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $BaseUri, $Key)
                Import-Module $ModulePath
                Set-SeedanceConfiguration -BaseUri $BaseUri
                Set-SeedanceApiKey -Scope Process -PlainTextApiKey $Key
            }).AddArgument((Get-TestModulePath)).AddArgument($script:Emulator.ApiBaseUri).AddArgument((Get-TestApiKey))
        $null = $ps.AddStatement().AddScript($Script)
        foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
        $ps
    }

    function Invoke-Batch {
        # Runs $Script in a fresh runspace; returns every stream, and the terminating error's record, if any.
        param([scriptblock] $Script, [object[]] $Arguments = @())
        $ps = New-BatchRunspace -Script $Script -Arguments $Arguments
        try {
            $terminating = $null
            $output = @()
            try { $output = @($ps.Invoke()) }
            catch {
                $e = $_.Exception
                while ($e -and -not ($e -is [System.Management.Automation.IContainsErrorRecord] -and $e -isnot [System.Management.Automation.MethodInvocationException])) { $e = $e.InnerException }
                $terminating = if ($e) { $e.ErrorRecord } else { $_ }
            }
            # A cmdlet's terminating error ends its statement, not the script: then it is the last error written.
            if (-not $terminating -and $ps.Streams.Error.Count -gt 0) { $terminating = $ps.Streams.Error[$ps.Streams.Error.Count - 1] }
            [pscustomobject]@{
                Output      = $output
                Errors      = @($ps.Streams.Error)
                Warnings    = @($ps.Streams.Warning | ForEach-Object Message)
                Verbose     = @($ps.Streams.Verbose | ForEach-Object Message)
                Progress    = @($ps.Streams.Progress)
                Terminating = $terminating
            }
        }
        finally { $ps.Dispose() }
    }

    function Get-CreatedIds {
        # Ids of the tasks the emulator created since the last reset (not the seeded demo tasks).
        @(Get-EmulatorTask -Emulator $script:Emulator | Where-Object { -not $_.isDemo } | ForEach-Object taskId)
    }

    function Assert-NamesEvery {
        # One warning for the pipeline, naming each of $Ids.
        param([string[]] $Warnings, [string[]] $Ids)
        $report = @($Warnings | Where-Object { $_ -match 'paid Seedance task' })
        $report | Should -HaveCount 1
        foreach ($id in $Ids) { $report[0] | Should -Match ([regex]::Escape($id)) }
        $report[0] | Should -Match 'Wait-SeedanceTask -TaskId'
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'A batch at the account''s limit' {
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 -Credits 1000000
    }

    Context 'waiting for a free slot' {
        It '12 rows against a 3-slot account: 12 files, 12 tasks created, 0 errors, and the wait shown' {
            Set-FreeSlots 3
            $folder = New-BatchFolder
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                param($Rows, $Folder)
                $Rows | New-SeedanceTask -Verbose | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $Folder
            } -Arguments (New-Rows 12 'slot'), $folder

            $result.Terminating | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 0
            $result.Output | Should -HaveCount 12
            @(Get-ChildItem -LiteralPath $folder -Filter *.mp4) | Should -HaveCount 12
            $stats = Get-Stats
            @(Get-CreatedIds | Where-Object { $_ -notin $known }) | Should -HaveCount 12
            # The account really was full: some creates were refused and sent again, none was lost or doubled.
            $stats.createRequests | Should -BeGreaterThan 12
            $waits = @($result.Verbose | Where-Object { $_ -match '^createTask: 429 .*waiting for a free slot, try \d+ in' })
            $waits | Should -HaveCount ($stats.createRequests - 12)
            $slotBars = @($result.Progress | Where-Object Activity -EQ 'Creating Seedance task')
            @($slotBars | Where-Object StatusDescription -Match '^Waiting for a free slot: (\d+) of \1 running') | Should -Not -BeNullOrEmpty
            $slotBars[-1].RecordType | Should -Be 'Completed'
        }

        It '-SlotTimeout bounds the wait: RateLimited (LimitsExceeded) for that row, nothing created' {
            Set-FreeSlots 1
            $blocker = New-SeedanceTask 'holds the only slot #duration:30'
            Reset-EmulatorStats -Emulator $script:Emulator

            $out = New-SeedanceTask 'no room' -SlotTimeout 2 -ErrorVariable errors -ErrorAction SilentlyContinue

            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'RateLimited,*'
            $errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $errors[0].TargetObject.Prompt | Should -Be 'no room'
            (Get-Stats).tasksCreated | Should -Be 0
            (Get-Stats).createRequests | Should -BeGreaterThan 1
            $blocker.TaskId | Should -Match '^task_'
        }

        It 'two processes sharing a 3-slot account both finish all their rows' {
            Set-FreeSlots 3
            $folders = @(New-BatchFolder; New-BatchFolder)
            $known = @(Get-CreatedIds)
            $children = foreach ($n in 0, 1) {
                Start-ChildPwsh -Environment $script:ChildEnvironment -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$ErrorActionPreference = 'Stop'
1..6 | ForEach-Object { "process $n row `$_" } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path '$($folders[$n])' | Out-Null
'DONE'
"@
            }
            $results = foreach ($child in $children) { Wait-ChildPwsh -Child $child -TimeoutSeconds 120 }

            foreach ($n in 0, 1) {
                $results[$n].TimedOut | Should -BeFalse
                $results[$n].ExitCode | Should -Be 0 -Because $results[$n].StdErr
                $results[$n].StdOut | Should -Match 'DONE'
                @(Get-ChildItem -LiteralPath $folders[$n] -Filter *.mp4) | Should -HaveCount 6
            }
            @(Get-CreatedIds | Where-Object { $_ -notin $known }) | Should -HaveCount 12
            (Get-Stats).createRequests | Should -BeGreaterThan 12 -Because 'the two shared three slots'
        }
    }

    Context 'streaming' {
        It 'saves the first file before the last create is answered' {
            $folder = New-BatchFolder
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'slow'; delayMs = 600; count = -1 }
            $files = @(New-Rows 6 'stream' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder)

            $files | Should -HaveCount 6
            $lastCreateAnswered = @((Get-Stats).apiRequests | Where-Object path -EQ $script:CreatePath | ForEach-Object { ConvertTo-EpochMilliseconds $_.time }) |
                Measure-Object -Maximum | ForEach-Object Maximum
            $firstFile = $files | ForEach-Object { ConvertTo-EpochMilliseconds $_.LastWriteTimeUtc } | Measure-Object -Minimum | ForEach-Object Minimum
            $firstFile | Should -BeLessThan $lastCreateAnswered
        }

        It 'Ctrl+C stops every poll and every create at once, also while the upstream still creates' {
            Set-FreeSlots 2
            $ps = New-BatchRunspace -Script {
                param($Rows)
                $Rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1
            } -Arguments (, @(New-Rows 5 'stop-polls' '#duration:60'))
            try {
                $handle = $ps.BeginInvoke()
                # Two tasks created (and polled by Wait), the third waiting for a slot.
                Wait-Until { (Get-Stats).recordInfoRequests -ge 6 -and (Get-Stats).createRequests -ge 3 } -TimeoutSeconds 30 | Should -BeTrue
                $ps.Stop()
                $stoppedAt = ConvertTo-EpochMilliseconds ([DateTimeOffset]::UtcNow)
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(5)) | Should -BeTrue
                Start-Sleep -Milliseconds 1500
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose() }

            # Requests the emulator answered well after the stop: none (one in flight at the stop may end just after).
            $late = @((Get-Stats).apiRequests | Where-Object { (ConvertTo-EpochMilliseconds $_.time) -gt $stoppedAt + 300 })
            $late | Should -HaveCount 0
            Assert-NamesEvery -Warnings $warnings -Ids @(Get-CreatedIds | Where-Object { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $_).request.inputs.prompt -like 'stop-polls*' })
        }

        It 'Select-Object -First 1 returns with the first finished task, stops polling the rest, and names them' {
            $result = Invoke-Batch -Script {
                'first fast', 'first slow #duration:60', 'first slower #duration:60' | New-SeedanceTask |
                    Wait-SeedanceTask -PollInterval 0.1 | Select-Object -First 1
            }
            $returnedAt = ConvertTo-EpochMilliseconds ([DateTimeOffset]::UtcNow)

            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $result.Output[0].Prompt | Should -Be 'first fast'
            $slow = @(Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.request.inputs.prompt -like 'first slow*' })
            # Returned while the others still generate: it did not wait for them.
            $slow | ForEach-Object { $_.status | Should -Be 'generating' }
            Start-Sleep -Milliseconds 1000
            @((Get-Stats).apiRequests | Where-Object { $_.path -like '*/recordInfo' -and (ConvertTo-EpochMilliseconds $_.time) -gt $returnedAt + 300 }) | Should -HaveCount 0
            Assert-NamesEvery -Warnings $result.Warnings -Ids $slow.taskId
        }

        It 'after Select-Object -First 1 the warning goes to the warning stream, where -WarningVariable and redirection take it, not past them to the host' {
            $known = @(Get-CreatedIds)
            $result = Invoke-ChildPwsh -Environment $script:ChildEnvironment -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$first = 'selected fast', 'selected slow #duration:60' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 -WarningVariable kept 3>`$null | Select-Object -First 1
"FIRST=`$(`$first.TaskId)"
"KEPT=`$kept"
"@
            $result.ExitCode | Should -Be 0 -Because $result.StdErr
            $slow = @(Get-CreatedIds | Where-Object { $_ -notin $known -and $result.StdOut -notmatch "FIRST=$_" })
            $slow | Should -HaveCount 1
            $kept = @($result.StdOut -split "`r?`n" | Where-Object { $_ -like 'KEPT=*' })
            $kept[0] | Should -Match ([regex]::Escape($slow[0])) -Because 'the report reached the warning stream (-WarningVariable)'
            $result.StdOut + $result.StdErr | Should -Not -Match 'WARNING: The pipeline ended' -Because '3>$null silenced it: nothing went past it to the host'
        }
    }

    Context 'every paid id handed back when the pipeline ends early' {
        It 'when Save-SeedanceVideo got none of the tasks, the warning says so and its command saves into that -Path' {
            $folder = New-BatchFolder
            $result = Invoke-Batch -Script {
                param($Folder)
                'no input slow #duration:30' | New-SeedanceTask | Wait-SeedanceTask -Timeout 1 -PollInterval 0.05 -ErrorAction Stop | Save-SeedanceVideo -Path $Folder
            } -Arguments $folder
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
            $report = @($result.Warnings | Where-Object { $_ -match 'paid Seedance task' })
            $report | Should -HaveCount 1
            $report[0] | Should -Match 'Save-SeedanceVideo got none of them'
            $report[0] | Should -Match "Save-SeedanceVideo -Path '$([regex]::Escape($folder))'$"
        }

        It 'with a one-file -Path, the warning''s command saves into that file''s folder, not where the pipeline ran' {
            $folder = New-BatchFolder
            $result = Invoke-Batch -Script {
                param($Folder)
                'one file slow #duration:30' | New-SeedanceTask | Wait-SeedanceTask -Timeout 1 -PollInterval 0.05 -ErrorAction Stop | Save-SeedanceVideo -Path (Join-Path $Folder 'final.mp4')
            } -Arguments $folder
            $report = @($result.Warnings | Where-Object { $_ -match 'paid Seedance task' })
            $report | Should -HaveCount 1
            $report[0] | Should -Match "Save-SeedanceVideo -Path '$([regex]::Escape($folder))'$"
        }

        It 'after Select-Object -First 2 the warning leaves out every task saved before it was written' {
            $folder = New-BatchFolder
            $result = Invoke-Batch -Script {
                param($Folder)
                'first two a', 'first two b', 'first two c', 'first two d', 'first two slow #duration:30' | New-SeedanceTask |
                    Wait-SeedanceTask -PollInterval 0.05 | Save-SeedanceVideo -Path $Folder | Select-Object -First 2
                # What the pipeline had saved when it ended: every file is in place by now.
                Get-ChildItem -LiteralPath $Folder -Filter *.mp4 | ForEach-Object BaseName
            } -Arguments $folder
            $saved = @($result.Output | Where-Object { $_ -is [string] })
            $saved.Count | Should -BeGreaterOrEqual 2
            $report = @($result.Warnings | Where-Object { $_ -match 'paid Seedance task' })
            $report | Should -HaveCount 1
            $slow = @(Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.request.inputs.prompt -like 'first two slow*' })
            $report[0] | Should -Match ([regex]::Escape($slow[0].taskId))
            foreach ($id in $saved) { $report[0] | Should -Not -Match ([regex]::Escape($id)) }
        }

        It 'a 402 on row 6: InsufficientCredits, and the five paid tasks named in one warning and on the error' {
            $null = Set-EmulatorAccount -Emulator $script:Emulator -Credits 1000
            $folder = New-BatchFolder
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                param($Rows, $Folder)
                $Rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $Folder
            } -Arguments (New-Rows 8 'credits' '#duration:30'), $folder

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 5
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
            @($result.Terminating.Exception.Data['SeedanceUnsavedTaskIds'] | Sort-Object) | Should -Be @($paid | Sort-Object)
            Assert-NamesEvery -Warnings $result.Warnings -Ids $paid
        }

        It 'CreateOutcomeUnknown on row 4: the three paid tasks and the uncertain create are named' {
            $known = @(Get-CreatedIds)
            $control = $script:Emulator.ControlUri
            $result = Invoke-Batch -Script {
                param($Control)
                1..5 | ForEach-Object {
                    if ($_ -eq 4) {
                        # The service takes the 4th create, but its answer is lost.
                        $rule = @{ path = '/api/v1/jobs/createTask'; kind = 'drop'; process = $true; count = 1 } | ConvertTo-Json
                        $null = Invoke-RestMethod -Method Post -Uri "$Control/faults" -Body $rule -ContentType 'application/json' -NoProxy
                    }
                    "unknown row $_ #duration:30"
                } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1
            } -Arguments $control

            $created = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $created | Should -HaveCount 4 -Because 'the 4th was created, its id never reached us'
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'CreateOutcomeUnknown,*'
            $named = @($result.Terminating.Exception.Data['SeedanceUnsavedTaskIds'])
            $named | Should -HaveCount 3
            $named | ForEach-Object { $_ | Should -BeIn $created }
            Assert-NamesEvery -Warnings $result.Warnings -Ids $named
            $result.Warnings -join "`n" | Should -Match "A create for prompt 'unknown row 4 #duration:30' was sent but its answer never came"
        }

        It 'a bad CSV cell under $ErrorActionPreference = Stop: the rows already paid are named' {
            $known = @(Get-CreatedIds)
            $rows = @(New-Rows 3 'stop-cell' '#duration:30') + [pscustomobject]@{ Name = 'bad'; Prompt = 'bad cell'; Duration = 'abc' }
            $result = Invoke-Batch -Script {
                param($Rows)
                $ErrorActionPreference = 'Stop'
                $Rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1
            } -Arguments (, $rows)

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 3
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'InvalidDuration,*'
            @($result.Terminating.Exception.Data['SeedanceUnsavedTaskIds'] | Sort-Object) | Should -Be @($paid | Sort-Object)
            Assert-NamesEvery -Warnings $result.Warnings -Ids $paid
        }

        It 'a terminating error in Save (-ErrorAction Stop on a failed download): the unsaved tasks are named' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/files/'; kind = 'status'; status = 404; count = -1 }
            $folder = New-BatchFolder
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                param($Rows, $Folder)
                $Rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $Folder -ErrorAction Stop
            } -Arguments (New-Rows 3 'save-stop'), $folder

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'VideoNotFound,*'
            $paid.Count | Should -BeGreaterOrEqual 1
            Assert-NamesEvery -Warnings $result.Warnings -Ids $paid
        }

        It 'a failed task under Wait -ErrorAction Stop: the others, finished or not, are named' {
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                'wait-stop slow #duration:30', 'wait-stop fails #fail' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 -ErrorAction Stop
            }

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 2
            $result.Terminating.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            Assert-NamesEvery -Warnings $result.Warnings -Ids $paid
            $result.Warnings -join "`n" | Should -Match 'still running'
        }

        It 'an error in another command upstream: the pipeline''s paid tasks are still named, once' {
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                1..5 | ForEach-Object { if ($_ -eq 4) { throw 'the CSV reader broke' }; "upstream row $_ #duration:30" } |
                    New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1
            }

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 3
            "$($result.Terminating)" | Should -Match 'the CSV reader broke'
            Assert-NamesEvery -Warnings $result.Warnings -Ids $paid
        }

        It 'Ctrl+C while New-SeedanceTask waits for a slot: the tasks created so far are named' {
            Set-FreeSlots 2
            $known = @(Get-CreatedIds)
            $ps = New-BatchRunspace -Script {
                param($Rows)
                $Rows | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path ([IO.Path]::GetTempPath())
            } -Arguments (, @(New-Rows 4 'ctrl-c-create' '#duration:60'))
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 3 } -TimeoutSeconds 30 | Should -BeTrue
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(5)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose() }

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 2
            Assert-NamesEvery -Warnings $warnings -Ids $paid
        }

        It 'nothing is reported when the pipeline ends normally' {
            $folder = New-BatchFolder
            $result = Invoke-Batch -Script {
                param($Folder)
                'normal end' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $Folder
            } -Arguments $folder
            $result.Output | Should -HaveCount 1
            $result.Warnings | Should -HaveCount 0
        }
    }

    Context 'no paid id lost in the corners' {
        It 'Ctrl+C after a task failed: the warning names the failed task apart, with its class, and leaves it out of the command that finishes' {
            $known = @(Get-CreatedIds)
            $ps = New-BatchRunspace -Script { 'ledger refused #fail:2038', 'ledger long #duration:60' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 }
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { $ps.Streams.Error.Count -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose() }

            $tasks = @(Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.taskId -notin $known })
            $failedId = ($tasks | Where-Object { $_.request.inputs.prompt -like 'ledger refused*' }).taskId
            $longId = ($tasks | Where-Object { $_.request.inputs.prompt -like 'ledger long*' }).taskId
            $report = ($warnings | Where-Object { $_ -match 'paid Seedance task' }) -join "`n"
            $report | Should -Match ('before 1 paid Seedance task\(s\) were saved: ' + [regex]::Escape($longId))
            $report | Should -Match ('1 task\(s\) failed at the service .*' + [regex]::Escape($failedId) + ' \(Input: error 2038')
            ($report -split 'Finish them with: ')[1] | Should -Not -Match ([regex]::Escape($failedId))
        }

        It 'Ctrl+C while a create is on its way waits for its answer (#answerdelay:2), records the id and names it' {
            $known = @(Get-CreatedIds)
            $ps = New-BatchRunspace -Script { 'answer late #answerdelay:2 #duration:60' | New-SeedanceTask | Wait-SeedanceTask }
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                Start-Sleep -Milliseconds 300
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose() }

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 1
            Assert-NamesEvery -Warnings $warnings -Ids $paid
            ($warnings -join "`n") | Should -Not -Match 'answer never came'
            (Get-SeedanceTask -TaskId $paid[0] -ErrorAction Stop).Prompt | Should -Be 'answer late #answerdelay:2 #duration:60' -Because 'the journal recorded the id with its request'
            @(Get-SeedanceTask -Status OutcomeUnknown | Where-Object Prompt -eq 'answer late #answerdelay:2 #duration:60') | Should -HaveCount 0
        }

        It 'Ctrl+C while a create is on its way says at once that the stop waits for its answer, before that answer comes' {
            # Found by a trial: nothing was shown during the up-to-10 s wait, only the final warning about 12 s after the INT.
            $ps = New-BatchRunspace -Script { 'answer later #answerdelay:5 #duration:60' | New-SeedanceTask | Wait-SeedanceTask }
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                Start-Sleep -Milliseconds 300
                $stopping = $ps.BeginStop($null, $null)
                Wait-Until { @($ps.Streams.Warning | Where-Object Message -Match '^Stopping: waiting').Count -ge 1 } -TimeoutSeconds 4 | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Stopping' -Because 'the line comes when the grace starts, not after it'
                $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
                # The invocation too: the stop's handle can be set while PowerShell's batch work item (AddStatement) still
                # runs, and disposing the runspace under it threw on a pool thread and ended the whole Pester process
                # (seen once in a full run: 'runspace is not in the Opened state', 0 Pester results).
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose() }
            $warnings[0] | Should -Be 'Stopping: waiting up to 10 s for the answer to 1 create already sent, so its task is not lost.'
            @($warnings | Where-Object { $_ -match '^Stopping' }) | Should -HaveCount 1
            ($warnings -join "`n") | Should -Match 'paid Seedance task'
        }

        It 'Ctrl+C while a create is on its way names that create as uncertain once the grace (SEEDANCE_CREATE_STOP_GRACE) is over' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'slow'; delayMs = 20000; count = 1 }
            $env:SEEDANCE_CREATE_STOP_GRACE = '0.5'
            $ps = New-BatchRunspace -Script { 'answer pending' | New-SeedanceTask | Wait-SeedanceTask }
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                Start-Sleep -Milliseconds 300
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message)
            }
            finally { $ps.Dispose(); $env:SEEDANCE_CREATE_STOP_GRACE = $null }
            ($warnings -join "`n") | Should -Match "A create for prompt 'answer pending' was sent but its answer never came"
        }

        It 'the uncertain create''s advice names its -Batch, so the command it gives lists it from any folder' {
            # Found by a new-user trial: a row of a -Batch label was advised 'Get-SeedanceTask -Status OutcomeUnknown',
            # which lists the current folder's batch and so showed nothing.
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'slow'; delayMs = 20000; count = 1 }
            $env:SEEDANCE_CREATE_STOP_GRACE = '0.5'
            $ps = New-BatchRunspace -Script { New-SeedanceTask 'labelled and pending' -Name 'promo-x' -Batch "promo 'spring'" | Wait-SeedanceTask }
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                Start-Sleep -Milliseconds 300
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue
                $warnings = @($ps.Streams.Warning | ForEach-Object Message) -join "`n"
            }
            finally { $ps.Dispose(); $env:SEEDANCE_CREATE_STOP_GRACE = $null }
            $warnings | Should -Match ([regex]::Escape("Get-SeedanceTask -Status OutcomeUnknown -Batch 'promo ''spring''' lists the uncertain creates"))
            $advised = [scriptblock]::Create(([regex]::Match($warnings, "Get-SeedanceTask -Status OutcomeUnknown -Batch '(?:[^']|'')*'")).Value)
            @(& $advised | Where-Object Prompt -EQ 'labelled and pending') | Should -HaveCount 1 -Because 'the advised command finds the create it names'
        }

        It 'Ctrl+C on a ForEach-Object -Parallel batch still names every paid task (standard error, the runspaces'' host drops it)' -Skip:$IsWindows {
            $known = @(Get-CreatedIds)
            $child = Start-ChildPwsh -Environment $script:ChildEnvironment -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
    Import-Module `$env:SEEDANCE_TEST_MODULE
    "parallel row `$_ #duration:60" | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.2
}
'NOT-STOPPED'
"@
            try {
                Wait-Until { @(Get-CreatedIds | Where-Object { $_ -notin $known }).Count -ge 2 -and (Get-Stats).recordInfoRequests -ge 4 } -TimeoutSeconds 60 | Should -BeTrue
                Test-InterruptIgnored -ProcessId $child.Pid | Should -BeFalse -Because 'a child that ignores SIGINT (inherited from a launcher that ignored it) never sees it; see Get-InterruptDefaultPrefix'
                & kill -s INT $child.Pid
                $null = $child.Process.WaitForExit(40000)   # what is asserted is the names, not the speed: a loaded machine gets time to unwind its runspaces
            }
            finally { $result = Wait-ChildPwsh -Child $child -TimeoutSeconds 10 }

            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })
            $paid | Should -HaveCount 2
            $all = ($result.StdOut + $result.StdErr) -replace '\s', ''
            $all | Should -Not -Match 'NOT-STOPPED'
            foreach ($id in $paid) { $all | Should -Match $id }
        }

        It 'Wait -Any names the paid tasks it did not wait for, also those that came in after it was satisfied' {
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script { 'any first #duration:0.1', 'any later 1 #duration:30', 'any later 2 #duration:30' | New-SeedanceTask | Wait-SeedanceTask -Any -PollInterval 0.05 }
            $others = @(Get-CreatedIds | Where-Object { $_ -notin $known -and $_ -notin $result.Output.TaskId })
            $result.Output | Should -HaveCount 1
            $others | Should -HaveCount 2
            $warning = @($result.Warnings | Where-Object { $_ -match '^-Any returned' })
            $warning | Should -HaveCount 1
            foreach ($id in $others) { $warning[0] | Should -Match $id }
        }

        It 'with $WarningPreference = SilentlyContinue, an early end still names the unsaved tasks (to the host)' {
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                $WarningPreference = 'SilentlyContinue'
                'quiet fast', 'quiet slow #duration:30' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 | Select-Object -First 1
            }
            $slow = @(Get-CreatedIds | Where-Object { $_ -notin $known -and $_ -notin $result.Output.TaskId })
            Assert-NamesEvery -Warnings $result.Warnings -Ids $slow
        }

        It 'a nested Save that fails inside a try/catch does not end the batch; the one warning names only the task not saved' {
            $folder = New-BatchFolder
            $known = @(Get-CreatedIds)
            $result = Invoke-Batch -Script {
                param($Folder)
                $n = 0
                'nested 1', 'nested 2', 'nested 3 #duration:1' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 | ForEach-Object {
                    $n++
                    if ($n -eq 1) { Set-Content -LiteralPath (Join-Path $Folder "$($_.TaskId).mp4") -Value 'in the way' }
                    try { $_ | Save-SeedanceVideo -Path $Folder -ErrorAction Stop } catch { "caught $($_.FullyQualifiedErrorId)" }
                }
            } -Arguments $folder
            $paid = @(Get-CreatedIds | Where-Object { $_ -notin $known })

            # The caught FileExists is not the end of the batch: the other files were saved, and the one warning (at
            # the end, since a nested command cannot tell whether the script goes on) names only the task not saved.
            @($result.Output | Where-Object { $_ -is [string] -and $_ -like 'caught FileExists*' }) | Should -HaveCount 1
            $saved = @($result.Output | Where-Object { $_ -is [System.IO.FileInfo] })
            $saved | Should -HaveCount 2
            $paid | Should -HaveCount 3
            $notSaved = @($paid | Where-Object { $_ -notin $saved.TaskId })
            Assert-NamesEvery -Warnings $result.Warnings -Ids $notSaved
            foreach ($id in $saved.TaskId) { $result.Warnings[0] | Should -Not -Match $id }
        }

        It 'an object without a Prompt property is refused (PromptMissing), not sent with its text as the prompt (<Case>)' -ForEach @(
            @{ Case = 'a CSV read with the wrong delimiter'; Hint = "Import-Csv -Delimiter ';'" }
            @{ Case = 'a hashtable'; Hint = 'pscustomobject' }
            @{ Case = 'a misspelt column'; Hint = "Name the column with the prompt 'Prompt'" }
        ) {
            $row = switch ($Case) {
                'a CSV read with the wrong delimiter' { $csv = Join-Path (New-BatchFolder) 'semi.csv'; Set-Content -LiteralPath $csv -Value 'Prompt;Duration', 'a fox;8'; Import-Csv -LiteralPath $csv }
                'a hashtable' { @{ Prompt = 'a fox'; Duration = 8 } }
                'a misspelt column' { [pscustomobject]@{ Promt = 'a fox' } }
            }
            $out = $row | New-SeedanceTask -ErrorVariable problems -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PromptMissing,*'
            $problems[0].ErrorDetails.Message | Should -Match ([regex]::Escape($Hint))
            (Get-Stats).createRequests | Should -Be 0
        }

        It 'an existing file as -Path is refused before anything upstream is created' {
            $file = Join-Path (New-BatchFolder) 'final.mp4'
            Set-Content -LiteralPath $file -Value 'keep me'
            $failure = $null
            try { 'never made' | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path $file } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            (Get-Stats).createRequests | Should -Be 0
            Get-Content -LiteralPath $file | Should -Be 'keep me'
        }

        It 'errors about a task name it in the message, not only in TargetObject' {
            Get-SeedanceTask -TaskId 'task_nope' -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].ErrorDetails.Message | Should -Match '\btask_nope\b'   # one line: 'No task with id task_nope (404).'
        }

        It 'the warning ends with a command that runs as pasted, saving into the batch''s folder' {
            $folder = New-BatchFolder
            $result = Invoke-Batch -Script {
                param($Folder)
                'paste fast', 'paste slow #duration:30' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 | Save-SeedanceVideo -Path $Folder | Select-Object -First 1
            } -Arguments $folder
            $command = ($result.Warnings -join "`n") -replace '(?s)^.*Finish them with: ', ''
            $command | Should -Match "Save-SeedanceVideo -Path '$([regex]::Escape($folder))'$"
            { [scriptblock]::Create($command) } | Should -Not -Throw
        }
    }

    Context 'Save-SeedanceVideo -Path' {
        BeforeAll { $script:Done = Get-SeedanceTask 'demo_task_t2v_success', 'demo_task_i2v_success' }

        It 'a missing path without an extension is a folder, created, with one <taskId>.mp4 per task' {
            $path = Join-Path (New-BatchFolder) 'videos'
            $files = @($script:Done | Save-SeedanceVideo -Path $path)
            (Get-Item -LiteralPath $path).PSIsContainer | Should -BeTrue
            @($files.Name | Sort-Object) | Should -Be @('demo_task_i2v_success.mp4', 'demo_task_t2v_success.mp4')
        }

        It 'a missing path ending with a separator is a folder, even with a dot in its name' {
            $path = Join-Path (New-BatchFolder) 'clips.v2/'
            $files = @($script:Done | Save-SeedanceVideo -Path $path)
            $files | Should -HaveCount 2
            (Get-Item -LiteralPath $path).PSIsContainer | Should -BeTrue
        }

        It 'an existing folder with a dot in its name is a folder' {
            $path = Join-Path (New-BatchFolder) 'my.videos'
            $null = New-Item -ItemType Directory -Path $path
            @($script:Done | Save-SeedanceVideo -Path $path) | Should -HaveCount 2
        }

        It 'takes -LiteralPath and -PSPath as built-in cmdlets do' {
            $folder = New-BatchFolder
            (Save-SeedanceVideo -InputObject $script:Done[0] -LiteralPath (Join-Path $folder 'a')).Directory.Name | Should -Be 'a'
            (Save-SeedanceVideo -InputObject $script:Done[0] -PSPath (Join-Path $folder 'b')).Directory.Name | Should -Be 'b'
        }

        It 'emits FileInfo objects that carry the TaskId and Prompt of their task' {
            $task = New-SeedanceTask 'tie me back' | Wait-SeedanceTask -PollInterval 0.1
            $file = $task | Save-SeedanceVideo -Path (New-BatchFolder)
            $file | Should -BeOfType [System.IO.FileInfo]
            $file.TaskId | Should -Be $task.TaskId
            $file.Prompt | Should -Be 'tie me back'
            $file.PSPath | Should -Not -BeNullOrEmpty
        }

        It 'a folder that cannot be created fails before any task is created upstream' {
            $blocker = Join-Path (New-BatchFolder) 'a-file'
            Set-Content -LiteralPath $blocker -Value 'x'
            $failure = $null
            try { 'never paid' | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path (Join-Path $blocker 'videos') } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'DestinationFolderNotCreated,*'
            (Get-Stats).createRequests | Should -Be 0
        }

        It '-WhatIf creates no folder' {
            $path = Join-Path (New-BatchFolder) 'not-yet'
            $null = $script:Done | Save-SeedanceVideo -Path $path -WhatIf
            Test-Path -LiteralPath $path | Should -BeFalse
            @((Get-Stats).fileRequests) | Should -HaveCount 0
        }
    }

    Context 'what the user sees' {
        It 'Wait -Verbose names each task and its state change' {
            $result = Invoke-Batch -Script { 'verbose states' | New-SeedanceTask -Name 'row-v' | Wait-SeedanceTask -PollInterval 0.05 -Verbose }
            $task = $result.Output[0]
            $lines = @($result.Verbose | Where-Object { $_ -like "Task $($task.TaskId)*" })
            $lines[-1] | Should -Be "Task $($task.TaskId) ('row-v'): generating -> success."
        }

        It 'Save -Verbose logs bytes, time and rate of each file' {
            $result = Invoke-Batch -Script { param($Folder) Get-SeedanceTask demo_task_t2v_success | Save-SeedanceVideo -Path $Folder -Verbose } -Arguments (New-BatchFolder)
            $result.Verbose | Should -Contain ($result.Verbose | Where-Object { $_ -match "^Saved demo_task_t2v_success to '.*': [\d,]+ bytes in [\d.]+ s \([\d.]+ MiB/s\)\.$" } | Select-Object -First 1)
            @($result.Verbose | Where-Object { $_ -match '^Saved demo_task_t2v_success' }) | Should -HaveCount 1
        }

        It 'the download bar counts only the files holding a slot (6 files, 4 at once: 4 downloading), in MiB' {
            $tasks = @(New-Rows 6 'bar' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1)
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/files/'; kind = 'slow'; delayMs = 1500; count = -1 }
            $result = Invoke-Batch -Script { param($Tasks, $Folder) $Tasks | Save-SeedanceVideo -Path $Folder -ThrottleLimit 4 } -Arguments $tasks, (New-BatchFolder)

            $result.Output | Should -HaveCount 6
            $batch = @($result.Progress | Where-Object { $_.Activity -eq 'Saving Seedance videos' -and $_.RecordType -eq 'Processing' })
            @($batch | Where-Object StatusDescription -Match '^0 of 6 saved, 4 downloading, [\d.]+ MiB at [\d.]+ MiB/s$') | Should -Not -BeNullOrEmpty
            @($batch | Where-Object StatusDescription -Match ', [5-9] downloading') | Should -HaveCount 0
        }
    }

    Context 'CSV rows as real users write them' {
        It 'a cell with several URLs (<Case>) is several URLs' -ForEach @(
            @{ Case = 'semicolons'; Cell = 'https://a.example/1.png;https://a.example/2.png' }
            @{ Case = 'a comma before http'; Cell = 'https://a.example/1.png, https://a.example/2.png' }
            @{ Case = 'spaces'; Cell = 'https://a.example/1.png https://a.example/2.png' }
            @{ Case = 'newlines'; Cell = "https://a.example/1.png`nhttps://a.example/2.png`n" }
        ) {
            $csv = Join-Path (New-BatchFolder) 'urls.csv'
            @([pscustomobject]@{ Prompt = "urls $Case"; Image = $Cell }) | Export-Csv -LiteralPath $csv
            $task = Import-Csv -LiteralPath $csv | New-SeedanceTask
            @((Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request.inputs.urls) | Should -Be @('https://a.example/1.png', 'https://a.example/2.png')
        }

        It 'a comma inside a URL stays part of it' {
            $task = [pscustomobject]@{ Prompt = 'comma url'; Image = 'https://a.example/w_1,h_2/cat.png' } | New-SeedanceTask
            @((Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request.inputs.urls) | Should -Be @('https://a.example/w_1,h_2/cat.png')
        }

        It 'a cell with one bad URL among good ones refuses the row before sending' {
            $row = [pscustomobject]@{ Prompt = 'one bad url'; Image = 'https://a.example/1.png;ftp://a.example/2.png' }
            $out = $row | New-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMaterialUrl,*'
            (Get-Stats).createRequests | Should -Be 0
        }

        It 'blank Model, Ratio, Duration and Mode cells mean the defaults' {
            $csv = Join-Path (New-BatchFolder) 'blank.csv'
            Set-Content -LiteralPath $csv -Value @('Prompt,Model,Ratio,Duration,Mode,Image', 'all defaults,,,,,')
            $task = Import-Csv -LiteralPath $csv | New-SeedanceTask
            $request = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request
            $request.model | Should -Be 'seedance-20'
            $request.inputs.ratio | Should -Be '16:9'
            $request.inputs.duration | Should -Be '5s'
            $request.inputs.PSObject.Properties.Name | Should -Not -Contain 'mode'
        }

        It 'a per-row error carries the row as its TargetObject and names it in the message' {
            $rows = @([pscustomobject]@{ Name = 'r1'; Prompt = 'a good row' }, [pscustomobject]@{ Name = 'r2'; Prompt = 'a bad ratio row'; Ratio = '5:4' })
            $out = @($rows | New-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $out[0].Name | Should -Be 'r1'
            $errors | Should -HaveCount 1
            [object]::ReferenceEquals($errors[0].TargetObject.PSObject.BaseObject, $rows[1].PSObject.BaseObject) -or $errors[0].TargetObject.Name -eq 'r2' | Should -BeTrue
            $errors[0].TargetObject.Name | Should -Be 'r2'
            $errors[0].ErrorDetails.Message | Should -Match "row 'r2', prompt 'a bad ratio row'"
        }

        It 'a refused request piped back sends the same request (<Case>)' -ForEach @(
            @{ Case = 'typed parameters' }, @{ Case = 'a CSV row' }
        ) {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'status'; status = 500; count = 1 }
            # One Name per case: the task journal makes a Name a row key.
            $rowName = 'resend-row-' + $Case.Replace(' ', '-')
            $parameters = @{
                Prompt = 'resend @1 @2 @3'; Duration = '8'; Ratio = '9:16'; Name = $rowName
                Image = 'https://a.example/1.png', 'https://a.example/2.png'; Video = 'https://a.example/dance.mp4'
                CallbackUri = 'https://hooks.example/seedance'
            }
            if ($Case -eq 'typed parameters') { $parameters.AdditionalInput = @{ seed = 42 } }
            $null = if ($Case -eq 'a CSV row') {
                [pscustomobject]@{ Prompt = $parameters.Prompt; Duration = '8'; Ratio = '9:16'; Name = $rowName; Image = ($parameters.Image -join ';'); Video = $parameters.Video; CallbackUri = $parameters.CallbackUri } |
                    New-SeedanceTask -ErrorVariable refused -ErrorAction SilentlyContinue
            }
            else { New-SeedanceTask @parameters -ErrorVariable refused -ErrorAction SilentlyContinue }
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'

            # A 5xx to a create may have made the task (the journal records its outcome as unknown), so sending the
            # row again is a decision: -Force.
            $task = $refused[0].TargetObject | New-SeedanceTask -Force
            $task.Name | Should -Be $rowName
            $request = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request
            @($request.inputs.urls) | Should -Be $parameters.Image
            @($request.inputs.videoUrls) | Should -Be @($parameters.Video)
            $request.inputs.duration | Should -Be '8s'
            $request.inputs.ratio | Should -Be '9:16'
            $request.callBackUrl | Should -Be $parameters.CallbackUri
            if ($Case -eq 'typed parameters') { $request.inputs.seed | Should -Be 42 }
        }

        It 'an uncertain create sent again carries every input of its request (<Case>)' -ForEach @(
            @{ Case = 'piped' }, @{ Case = 'through Export-Csv and Import-Csv' }
        ) {
            # Audio, resolution, seed and generate_audio too: a property the uncertain create left out would be a paid
            # video made without it (audio was dropped; an exported row had 'System.String[]' for its URLs and its
            # inputs were dropped without a word).
            Set-SeedanceConfiguration -RequestShape Kinovi
            try {
                Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'status'; status = 500; count = 1 }
                $rowName = 'uncertain-all-inputs-' + $Case.Replace(' ', '-')
                $null = New-SeedanceTask -Prompt 'all inputs @1 @2 @3' -Name $rowName -Duration 6 -Image 'https://a.example/1.png', 'https://a.example/2.png' `
                    -Audio 'https://a.example/a.mp3' -OutputResolution 1080p -Seed 42 -GenerateAudio false -ErrorAction SilentlyContinue
                $uncertain = Get-SeedanceTask -Status OutcomeUnknown | Where-Object Name -EQ $rowName
                $uncertain | Should -HaveCount 1
                $task = if ($Case -eq 'piped') { $uncertain | New-SeedanceTask -Force -WarningAction SilentlyContinue }
                else {
                    $csv = Join-Path (New-BatchFolder) 'uncertain.csv'
                    $uncertain | Export-Csv -LiteralPath $csv -NoTypeInformation
                    Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.'
                    Import-Csv -LiteralPath $csv | New-SeedanceTask -Force -WarningAction SilentlyContinue
                }
                $task.Name | Should -Be $rowName
                $request = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request
                @($request.inputs.imageUrls) | Should -Be @('https://a.example/1.png', 'https://a.example/2.png')
                @($request.inputs.audioUrls) | Should -Be @('https://a.example/a.mp3')
                $request.inputs.outputResolution | Should -Be '1080p'
                $request.inputs.seed | Should -Be 42
                $request.inputs.generate_audio | Should -BeFalse
                $request.inputs.duration | Should -Be 6
            }
            finally { Set-SeedanceConfiguration -RequestShape Host }
        }

        It 'an -AdditionalInput CSV cell is read as a JSON object, and other text is refused, never dropped' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'json inputs'; Duration = '5'; AdditionalInputs = '{"seed": 7}' }
                [pscustomobject]@{ Prompt = 'bad inputs'; Duration = '5'; AdditionalInputs = 'seed=7' }
            )
            $created = $rows | New-SeedanceTask -ErrorVariable refused -ErrorAction SilentlyContinue
            @($created) | Should -HaveCount 1
            (Get-EmulatorTask -Emulator $script:Emulator -TaskId $created.TaskId).request.inputs.seed | Should -Be 7
            $refused | Should -HaveCount 1
            "$($refused[0])" | Should -Match 'JSON object'
        }
    }
}
