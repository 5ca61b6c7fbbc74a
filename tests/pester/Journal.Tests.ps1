#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The task journal wired into the cmdlets (issue 8): a killed runbook resumes from Get-SeedanceTask -Pending with
# every file and no extra create; a named CSV run again pays nothing more; a create whose outcome is unknown blocks
# its Name (PossibleDuplicate) until -Force; -MaxCredits and the daily limit hold, also for two processes racing; a
# torn last line, 'off' and an unwritable journal behave as documented; files and folders are owner-only;
# Get-SeedanceUsage counts; -TaskId completes from the journal.
#
# Everything runs against the emulator; counts come from its /_emulator/stats, never from timings. Where a process
# must start fresh (a warning said once per process, a kill -9), the test runs a child pwsh.

BeforeAll {
    . (Join-Path $PSScriptRoot 'JournalSandbox.ps1')
}

AfterAll {
    Exit-JournalSandbox
}

Describe 'The task journal' {
    BeforeEach { Enter-JournalTest }

    AfterEach { Exit-JournalTest }

    Context 'a crashed batch resumes' {
        It 'kill -9 after the creates: Get-SeedanceTask -Pending | Wait | Save finishes it with every file and no extra create' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $folder = New-JournalFolder
            $runbook = Start-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
1..4 | ForEach-Object { [pscustomobject]@{ Name = "crash-`$_"; Prompt = "crash row `$_ #duration:4" } } |
    New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.2 | Save-SeedanceVideo -Path '$folder' | Out-Null
'FINISHED'
"@
            # Killed (SIGKILL: no cleanup, no warning, nothing flushed but what was written) once all four are paid.
            Wait-Until { (Get-Stats).tasksCreated -ge 4 } -TimeoutSeconds 90 | Should -BeTrue
            $runbook.Process.Kill()
            $killed = Wait-ChildPwsh -Child $runbook -TimeoutSeconds 30
            $killed.StdOut | Should -Not -Match 'FINISHED'
            $killed.ExitCode | Should -Not -Be 0
            $before = @(Get-ChildItem -LiteralPath $folder -Filter *.mp4).Count
            $createsBefore = (Get-Stats).createRequests

            $resume = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -TimeoutSeconds 120 -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$pending = @(Get-SeedanceTask -Pending)
`$files = @(Get-SeedanceTask -Pending | Wait-SeedanceTask -PollInterval 0.2 | Save-SeedanceVideo -Path '$folder')
[pscustomobject]@{ Pending = `$pending.Count; PendingNames = @(`$pending.Name); Files = @(`$files.Name); After = @(Get-SeedanceTask -Pending).Count; Errors = `$Error.Count } | ConvertTo-Json -Compress
"@
            $report = Read-ChildJson $resume
            $report.Errors | Should -Be 0 -Because $resume.StdErr
            $report.Pending | Should -BeGreaterThan 0 -Because 'the kill left paid tasks unsaved'
            ($report.Pending + $before) | Should -Be 4
            @(Get-ChildItem -LiteralPath $folder -Filter *.mp4 | Sort-Object Name).Name | Should -Be @('crash-1.mp4', 'crash-2.mp4', 'crash-3.mp4', 'crash-4.mp4')
            $report.After | Should -Be 0
            $stats = Get-Stats
            $stats.createRequests | Should -Be $createsBefore -Because 'resuming creates nothing'
            $stats.tasksCreated | Should -Be 4
            # The journal holds what a resume needs, and never the key.
            Get-Content -LiteralPath $journal -Raw | Should -Not -Match ([regex]::Escape((Get-TestApiKey)))
        }

        It 'kill -9 while a row waits for a free slot: the row was never taken, so a re-run creates it (no PossibleDuplicate) and -Pending does not list it' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            # No free slot at all: every create is answered 429 (not taken, not billed) and waits.
            $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 0
            try {
                $createsBefore = (Get-Stats).createRequests
                $tasksBefore = (Get-Stats).tasksCreated
                $runbook = Start-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'waits for a slot, then killed' -Name 'killed-in-wait' | Out-Null
'FINISHED'
"@
                # Killed once the journal says it waits, and it has knocked at least twice (so a re-send happened, too).
                Wait-Until { (Test-Path -LiteralPath $journal) -and (Get-Content -LiteralPath $journal -Raw) -match '"slotWait".*"waiting":true' -and (Get-Stats).createRequests -ge $createsBefore + 2 } -TimeoutSeconds 60 | Should -BeTrue
                Wait-Until { (Get-Content -LiteralPath $journal -Raw) -match '(?s)"waiting":false.*"waiting":true' } -TimeoutSeconds 30 | Should -BeTrue
                $runbook.Process.Kill()
                $killed = Wait-ChildPwsh -Child $runbook -TimeoutSeconds 30
                $killed.StdOut | Should -Not -Match 'FINISHED'
            }
            finally { $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 }
            (Get-Stats).tasksCreated | Should -Be $tasksBefore -Because 'every create was answered 429'

            $rerun = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$pending = @(Get-SeedanceTask -Pending)
`$task = New-SeedanceTask -Prompt 'waits for a slot, then killed' -Name 'killed-in-wait'
[pscustomobject]@{ Pending = `$pending.Count; TaskId = `$task.TaskId; Errors = @(`$Error | ForEach-Object { "`$(`$_.FullyQualifiedErrorId): `$_" }) } | ConvertTo-Json -Compress
"@
            $report = Read-ChildJson $rerun
            $report.Errors | Should -BeNullOrEmpty
            $report.Pending | Should -Be 0 -Because 'a create that was only waiting for a slot when its process died was never taken'
            $report.TaskId | Should -Match '^task_'
            (Get-Stats).tasksCreated | Should -Be ($tasksBefore + 1)
        }

        It 're-running a named CSV creates nothing, and a half-finished one creates only the missing rows' {
            $null = Use-NewJournal
            $folder = New-JournalFolder
            $csv = Join-Path $folder 'jobs.csv'
            @('Name,Prompt,Duration', 'fox,A red fox in fresh snow,4', 'whale,A whale at dusk,4', 'owl,An owl at night,4', 'cat,A cat on a wall,4') | Set-Content -LiteralPath $csv
            $videos = Join-Path $folder 'videos'

            $first = @(Import-Csv -LiteralPath $csv | Select-Object -First 2 | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $videos)
            $first | Should -HaveCount 2
            (Get-Stats).tasksCreated | Should -Be 2

            $second = @(Import-Csv -LiteralPath $csv | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $videos -ErrorVariable problems)
            $problems | Should -BeNullOrEmpty
            (Get-Stats).tasksCreated | Should -Be 4 -Because 'only the two missing rows were created'
            @($second.Name | Sort-Object) | Should -Be @('cat.mp4', 'fox.mp4', 'owl.mp4', 'whale.mp4')
            $written = @{}; Get-ChildItem -LiteralPath $videos | ForEach-Object { $written[$_.Name] = $_.LastWriteTimeUtc }

            $third = @(Import-Csv -LiteralPath $csv | New-SeedanceTask -Verbose 4>&1 -ErrorVariable problems |
                    Tee-Object -Variable stream | Where-Object { $_ -is [Seedance.Client.Models.SeedanceTask] } |
                    Wait-SeedanceTask | Save-SeedanceVideo -Path $videos -ErrorVariable +problems)
            $problems | Should -BeNullOrEmpty
            $stats = Get-Stats
            $stats.tasksCreated | Should -Be 4 -Because 'a finished batch run again pays nothing'
            $stats.createRequests | Should -Be 4
            $third | Should -HaveCount 4 -Because 'the files already saved are handed on'
            @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'already has task task_\w+ .* nothing created' }) | Should -HaveCount 4
            Get-ChildItem -LiteralPath $videos | ForEach-Object { $_.LastWriteTimeUtc | Should -Be $written[$_.Name] -Because "$($_.Name) was not downloaded again" }
        }

        It 'two rows of one Name in one batch make one task' {
            $null = Use-NewJournal
            $tasks = @('same row, first', 'same row, second' | ForEach-Object { [pscustomobject]@{ Name = 'twice'; Prompt = $_ } } | New-SeedanceTask -WarningVariable warned)
            $tasks | Should -HaveCount 2
            $tasks[1].TaskId | Should -Be $tasks[0].TaskId
            (Get-Stats).tasksCreated | Should -Be 1
            ($warned -join "`n") | Should -Match "Row 'twice' differs from the request its task"
        }
    }

    Context 'a Name is a key within its batch (issue 18)' {
        # The batch is the folder New-SeedanceTask runs in unless -Batch names one: a fresh folder's CSV never matches
        # another project's tasks; a runbook that starts in a new folder each run gives -Batch.
        It 'the same Names in a fresh folder create their own tasks and say so naming the other batch; a re-run in either folder creates nothing and says so with the folder' {
            $null = Use-NewJournal
            $projectA = New-JournalFolder; $projectB = New-JournalFolder
            $rows = @([pscustomobject]@{ Name = 'fox'; Prompt = 'a fox' }, [pscustomobject]@{ Name = 'cat'; Prompt = 'a cat' })
            Push-Location -LiteralPath $projectA
            try { $inA = @($rows | New-SeedanceTask -Duration 4 -WarningVariable saidA) } finally { Pop-Location }
            $saidA | Should -BeNullOrEmpty
            Push-Location -LiteralPath $projectB
            try {
                # -WhatIf already says which Names another batch has, and that they would be created anew.
                $null = @($rows | New-SeedanceTask -Duration 4 -WhatIf -WarningVariable previewB)
                @($previewB) | Should -HaveCount 1
                "$($previewB[0])" | Should -Match ([regex]::Escape("2 rows have Names with tasks in another batch ($projectA): fox, cat; they would be created anew in this batch ($projectB)"))
                $inB = @($rows | New-SeedanceTask -Duration 4 -WarningVariable saidB)
                (Get-Stats).tasksCreated | Should -Be 4 -Because 'the Names of another folder are not this folder''s'
                # Created anew, and paid: never without a word (the same CSV run from the wrong folder).
                @($saidB) | Should -HaveCount 1
                "$($saidB[0])" | Should -Match ([regex]::Escape("2 rows have Names with tasks in another batch ($projectA): fox, cat; they were created anew in this batch ($projectB), and paid. To use those tasks instead, run in that folder or pass -Batch"))
                @($inB.TaskId | Where-Object { $_ -in $inA.TaskId }) | Should -BeNullOrEmpty
                $inB[0].Batch | Should -Be (Get-Location).ProviderPath

                $again = @($rows | New-SeedanceTask -Duration 4 -WarningVariable saidAgain)
                (Get-Stats).tasksCreated | Should -Be 4
                @($again.TaskId) | Should -Be @($inB.TaskId)
                @($saidAgain) | Should -HaveCount 1
                "$($saidAgain[0])" | Should -Match ([regex]::Escape("2 rows already have tasks from $((Get-Date).ToString('yyyy-MM-dd')) in $projectB") + '.*: fox, cat; nothing created for them')
            }
            finally { Pop-Location }
        }

        It '-Batch names the batch wherever the command runs, and is kept on the task' {
            $null = Use-NewJournal
            Push-Location -LiteralPath (New-JournalFolder)
            try { $first = New-SeedanceTask 'a labelled fox' -Name 'fox' -Batch 'spring-campaign' -Duration 4 } finally { Pop-Location }
            Push-Location -LiteralPath (New-JournalFolder)
            try { $second = New-SeedanceTask 'a labelled fox' -Name 'fox' -Batch 'spring-campaign' -Duration 4 -WarningVariable said } finally { Pop-Location }
            $second.TaskId | Should -Be $first.TaskId
            (Get-Stats).tasksCreated | Should -Be 1
            "$said" | Should -Match "in spring-campaign.*: fox; nothing created for it"
            $first.Batch | Should -Be 'spring-campaign'
            (Get-SeedanceTask -Batch 'spring-campaign').TaskId | Should -Be $first.TaskId
        }

        It 'an intent of 0.1.0 (no batch) matches a Name in any batch: old journals keep their re-runs free' {
            $null = Use-NewJournal
            $real = New-SeedanceTask 'an old fox' -Duration 4
            # A journal as 0.1.0 wrote it: that task, its intent without a batch.
            $journal = Use-NewJournal
            @(
                '{"v":1,"type":"intent","time":"2026-12-01T10:00:00.000Z","intent":"old1","name":"fox","credits":80,"pid":1,"host":"old","request":{"model":"seedance-20","prompt":"an old fox","ratio":"16:9","duration":4,"name":"fox"}}'
                ('{"v":1,"type":"created","time":"2026-12-01T10:00:01.000Z","intent":"old1","task":"' + $real.TaskId + '","name":"fox"}')
            ) | Set-Content -LiteralPath $journal
            Push-Location -LiteralPath (New-JournalFolder)
            try { $again = New-SeedanceTask 'an old fox' -Name 'fox' -Duration 4 -WarningVariable said } finally { Pop-Location }
            $again.TaskId | Should -Be $real.TaskId
            (Get-Stats).tasksCreated | Should -Be 1
            "$said" | Should -Match 'fox; nothing created for it'
        }

        It 'Get-SeedanceTask -Pending lists this folder''s batch, says how many other batches have pending tasks, and -Batch * lists them all' {
            $null = Use-NewJournal
            $elsewhere = New-JournalFolder; $here = New-JournalFolder
            Push-Location -LiteralPath $elsewhere
            try { $other = New-SeedanceTask 'another project #duration:30' -Name 'fox' } finally { Pop-Location }
            Push-Location -LiteralPath $here
            try {
                $mine = New-SeedanceTask 'this project #duration:30' -Name 'fox'
                $pending = @(Get-SeedanceTask -Pending -WarningVariable said)
                @($pending.TaskId) | Should -Be @($mine.TaskId)
                "$said" | Should -Match ([regex]::Escape("1 pending task of other batches is not listed ($elsewhere)"))
                "$said" | Should -Match ([regex]::Escape('-Batch *'))
                @(Get-SeedanceTask -Pending -Batch * -WarningVariable saidAll).TaskId | Should -Contain $other.TaskId
                $saidAll | Should -BeNullOrEmpty
            }
            finally { Pop-Location }
        }
    }

    Context 'a create whose outcome is unknown' {
        It 'a lost answer: the Name is PossibleDuplicate (nothing sent) until -Force, and the create is listed with its request' {
            $null = Use-NewJournal
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
            { New-SeedanceTask -Prompt 'lost @1' -Image 'https://a.example/1.png' -Name 'lost-row' -AdditionalInput @{ seed = 42 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CreateOutcomeUnknown,*'
            (Get-Stats).tasksCreated | Should -Be 1 -Because 'the service did take it'

            $listed = @(Get-SeedanceTask -Status OutcomeUnknown)
            $listed | Should -HaveCount 1
            $listed[0] | Should -BeOfType ([Seedance.Client.Models.SeedanceUncertainCreate])
            $listed[0].Status | Should -Be 'OutcomeUnknown'
            $listed[0].Name | Should -Be 'lost-row'
            $listed[0].Request.Prompt | Should -Be 'lost @1'
            @(Get-SeedanceTask -Pending).Name | Should -Contain 'lost-row'

            $out = New-SeedanceTask -Prompt 'lost @1' -Image 'https://a.example/1.png' -Name 'lost-row' -ErrorVariable refused -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'
            $refused[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $refused[0].Exception | Should -BeOfType ([Seedance.Client.PossibleDuplicateException])
            $refused[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
            (Get-Stats).createRequests | Should -Be 1 -Because 'a possible duplicate is never sent'

            # Sent again on purpose, from the listing: the same request (materials and additional inputs too).
            $again = Get-SeedanceTask -Status OutcomeUnknown -Name 'lost-*' | New-SeedanceTask -Force
            $again.Name | Should -Be 'lost-row'
            $sent = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $again.TaskId).request
            @($sent.inputs.urls) | Should -Be @('https://a.example/1.png')
            $sent.inputs.seed | Should -Be 42
            (Get-Stats).createRequests | Should -Be 2

            # The row now has its task: it is used, and the uncertain create no longer needs a resume.
            $reused = New-SeedanceTask -Prompt 'lost @1' -Image 'https://a.example/1.png' -Name 'lost-row' -Force
            $reused.TaskId | Should -Be $again.TaskId
            (Get-Stats).createRequests | Should -Be 2
            @(Get-SeedanceTask -Pending | Where-Object { $_ -is [Seedance.Client.Models.SeedanceUncertainCreate] }) | Should -BeNullOrEmpty
            @(Get-SeedanceTask -Status OutcomeUnknown) | Should -HaveCount 1 -Because 'it stays in the history: it may be billed'
        }

        It 'a 5xx answer is an unknown outcome (PossibleDuplicate next time); a 4xx is refused (the row can be sent again)' {
            $null = Use-NewJournal
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'status'; status = 503; count = 1 }
            $null = New-SeedanceTask -Prompt 'five hundred' -Name 'row-5xx' -ErrorVariable first -ErrorAction SilentlyContinue
            $first[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
            $null = New-SeedanceTask -Prompt 'five hundred' -Name 'row-5xx' -ErrorVariable second -ErrorAction SilentlyContinue
            $second[0].FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'

            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'status'; status = 400; count = 1 }
            $null = New-SeedanceTask -Prompt 'four hundred' -Name 'row-4xx' -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRequest,*'
            $task = New-SeedanceTask -Prompt 'four hundred' -Name 'row-4xx'
            $task.TaskId | Should -Match '^task_'
            (Get-Stats).createRequests | Should -Be 3 -Because 'the possible duplicate was not sent'
            @(Get-SeedanceTask -Status OutcomeUnknown).Name | Should -Be @('row-5xx')
        }

        It 'Ctrl+C while waiting for a free slot: the create is journaled as never sent, so the Name is free again' {
            $null = Use-NewJournal
            # No slot at all: a limit of the tasks running now would free one as soon as an earlier test's task ends.
            $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 0
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($ModulePath)
                    Import-Module $ModulePath
                    New-SeedanceTask -Prompt 'waits for a slot' -Name 'stopped-row'
                }).AddArgument((Get-TestModulePath))
            try {
                $handle = $ps.BeginInvoke()
                Wait-Until { (Get-Stats).createRequests -ge 1 } -TimeoutSeconds 30 | Should -BeTrue
                $ps.Stop()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            }
            finally { $ps.Dispose() }
            (Get-Stats).tasksCreated | Should -Be 0
            @(Get-SeedanceTask -Status OutcomeUnknown) | Should -BeNullOrEmpty -Because 'a 429 is not taken, and nothing was sent after it'

            $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50
            (New-SeedanceTask -Prompt 'waits for a slot' -Name 'stopped-row').TaskId | Should -Match '^task_'
        }

        It 'Get-SeedanceTask -Pending | Wait-SeedanceTask names an uncertain create in a warning and waits for the rest' {
            $null = Use-NewJournal
            $task = New-SeedanceTask -Prompt 'a sure one' -Name 'sure-row'
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
            try { $null = New-SeedanceTask -Prompt 'an uncertain one' -Name 'unsure-row' -WarningAction SilentlyContinue } catch { }
            $done = @(Get-SeedanceTask -Pending | Wait-SeedanceTask -PollInterval 0.1 -WarningVariable said -WarningAction SilentlyContinue -ErrorVariable problems)
            $problems | Should -BeNullOrEmpty -Because 'an uncertain create binds, it is no error'
            $done.TaskId | Should -Be @($task.TaskId)
            @($said | Where-Object { "$_" -match "Not waited for: the create of row 'unsure-row'" -and "$_" -match 'New-SeedanceTask -Force' }) | Should -HaveCount 1
        }

        It 'an uploaded local file is journaled as the request sends it: its URL in the intent, no record of its own' {
            Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
            $journal = Use-NewJournal
            $image = New-MediaFile -Path (Join-Path (New-JournalFolder) 'cat.png') -Format png
            $null = New-SeedanceTask -Prompt 'the cat in @1' -Image $image.FullName -Name 'uploaded-row'
            $records = @(Get-Content -LiteralPath $journal | ConvertFrom-Json)
            @($records | Where-Object type -EQ 'uploaded') | Should -BeNullOrEmpty -Because 'nothing reads such a record'
            $intent = @($records | Where-Object type -EQ 'intent')[0]
            @($intent.request.images) | Should -HaveCount 1
            $intent.request.images[0] | Should -Match '^http://127\.0\.0\.1:\d+/uploads/' -Because 'the journaled request is the one sent'
            $intent.request.images[0] | Should -Not -Be $image.FullName
        }
    }

    Context 'budgets' {
        It '-MaxCredits refuses the create that would go over (BudgetExceeded, QuotaExceeded), nothing sent; -WhatIf shows what is left' {
            $null = Use-NewJournal
            $out = @(1..4 | ForEach-Object { "max credits row $_" } | New-SeedanceTask -Duration 5 -MaxCredits 500 -ErrorVariable refused -ErrorAction SilentlyContinue -Verbose 4>&1)
            # What ShouldProcess says (and -WhatIf shows) before each create: what is left after it.
            @(@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Performing the operation' }).Message |
                ForEach-Object { $_ -replace '.*-MaxCredits 500: (\d+) left after it.*', '$1' }) | Should -Be @('300', '100')
            $out = @($out | Where-Object { $_ -is [Seedance.Client.Models.SeedanceTask] })
            $out | Should -HaveCount 2
            $refused | Should -HaveCount 2
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'BudgetExceeded,*'
            $refused[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
            $refused[0].Exception.Kind | Should -Be 'MaxCredits'
            $refused[0].Exception.Message | Should -Match 'costs 200 credits, and -MaxCredits is 500 and this command has spent 400'
            "$($refused[0].TargetObject)" | Should -Be 'max credits row 3' -Because 'the refused row is the target'
            (Get-Stats).createRequests | Should -Be 2
        }

        It 'the daily limit counts every journaled create of the last 24 hours, names spent, limit and price, and -WhatIf shows what is left' {
            $null = Use-NewJournal
            $env:SEEDANCE_DAILY_CREDIT_LIMIT = '500'
            $made = @(New-SeedanceTask -Prompt 'daily one' -Duration 5; New-SeedanceTask -Prompt 'daily two' -Duration 5 -Verbose 4>&1)
            @($made | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'daily credit limit 500: 100 left after it' }) | Should -HaveCount 1
            @($made | Where-Object { $_ -is [Seedance.Client.Models.SeedanceTask] }) | Should -HaveCount 2

            $null = New-SeedanceTask -Prompt 'daily three' -Duration 5 -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'BudgetExceeded,*'
            $refused[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
            $refused[0].Exception.Message | Should -Match 'costs 200 credits, and the daily credit limit is 500 credits and 400 were spent'
            ($refused[0].Exception.Spent, $refused[0].Exception.Limit, $refused[0].Exception.Credits) | Should -Be @(400, 500, 200)
            (Get-Stats).createRequests | Should -Be 2

            # A setting of the process wins over the environment, as every setting does.
            Set-SeedanceConfiguration -DailyCreditLimit 1000
            (Get-SeedanceConfiguration).DailyCreditLimitSource | Should -Be 'Process'
            (New-SeedanceTask -Prompt 'daily three' -Duration 5).TaskId | Should -Match '^task_'
        }

        It '-WhatIf shows the budget left and what the journal knows of the Name, and sends nothing (child pwsh, host output)' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $environment = Get-ChildEnvironment $journal
            $environment.SEEDANCE_DAILY_CREDIT_LIMIT = '1000'
            $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$made = New-SeedanceTask -Prompt 'what if, made' -Name 'wi-made' -Duration 5
New-SeedanceTask -Prompt 'what if, new' -Name 'wi-new' -Duration 5 -MaxCredits 300 -WhatIf
New-SeedanceTask -Prompt 'what if, made' -Name 'wi-made' -Duration 5 -WhatIf
'{"done":true}'
'@
            $null = Read-ChildJson $result
            $result.StdOut | Should -Match ([regex]::Escape('What if: Performing the operation "Create Seedance task costing 200 credits ($1.00); -MaxCredits 300: 100 left after it; row ''wi-new'' has no task in the journal yet; daily credit limit 1000: 600 left after it"'))
            $result.StdOut | Should -Match 'What if: Performing the operation "Use task task_\w+ \(\w+\) that the task journal has for it; nothing is created" on target "row ''wi-made''"'
            (Get-Stats).createRequests | Should -Be 1
        }

        It '-WhatIf adds up: each row says what is left after it, refuses what the real run would, and one line totals the command (issue 18)' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $environment = Get-ChildEnvironment $journal
            $environment.SEEDANCE_DAILY_CREDIT_LIMIT = '1000'
            $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
'wi a', 'wi b', 'wi c' | New-SeedanceTask -Duration 5 -MaxCredits 500 -WhatIf -ErrorVariable refused -ErrorAction SilentlyContinue
[pscustomobject]@{ Refused = @($refused | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.TargetObject }) } | ConvertTo-Json -Compress
'@
            $said = @($result.StdOut -split "`r?`n" | Where-Object { $_ -match '^What if: ' })
            $said | Should -HaveCount 3
            $said[0] | Should -Match ([regex]::Escape('-MaxCredits 500: 300 left after it; daily credit limit 1000: 800 left after it"'))
            $said[1] | Should -Match ([regex]::Escape('-MaxCredits 500: 100 left after it; daily credit limit 1000: 600 left after it"'))
            # The third row is refused under -WhatIf as the real run would refuse it, and the last line totals the command.
            $said[2] | Should -BeExactly 'What if: 2 tasks would be created, 400 credits ($2.00) in all.'
            (Read-ChildJson $result).Refused | Should -Be @('BudgetExceeded,Seedance.Commands.NewSeedanceTaskCommand|wi c')
            (Get-Stats).createRequests | Should -Be 0
        }

        It 'a daily limit that is no number, or with the journal off, stops before any create' {
            $null = Use-NewJournal
            $env:SEEDANCE_DAILY_CREDIT_LIMIT = 'lots'
            { 'a row' | New-SeedanceTask -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDailyCreditLimit,*'
            (Get-SeedanceConfiguration -WarningVariable said -WarningAction SilentlyContinue) | Out-Null
            $said | Should -Match 'SEEDANCE_DAILY_CREDIT_LIMIT'
            $env:SEEDANCE_DAILY_CREDIT_LIMIT = '1000'
            $env:SEEDANCE_JOURNAL_PATH = 'off'
            $refused = { 'a row' | New-SeedanceTask -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'DailyLimitNeedsJournal,*' -PassThru
            # The advice is for a journal that is off: turn it on or drop the limit (not "turn the journal off").
            $refused.ErrorDetails.RecommendedAction | Should -Match '-JournalPath <path>.*-DailyCreditLimit \$null'
            $refused.ErrorDetails.RecommendedAction | Should -Not -Match "turn the journal off"
            (Get-Stats).createRequests | Should -Be 0
        }

        It 'two processes racing a daily limit never exceed it together' {
            Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $images = New-JournalFolder
            foreach ($n in 1..12) { $null = New-MediaFile -Path (Join-Path $images "race-$n.png") -Format png -Seed $n }
            # Each row uploads a local image between the check before ShouldProcess (no lock) and the reservation under
            # the lock, and the uploads are slow: both processes are then past the first check with the same credits
            # spent. Only the check made again under the lock, with the intent written in the same step, holds the limit.
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/uploads/'; method = 'PUT'; kind = 'slow'; delayMs = 300; count = -1 }
            $startTicks = [DateTime]::UtcNow.AddSeconds(10).Ticks
            $script = @'
Import-Module $env:SEEDANCE_TEST_MODULE
$null = New-SeedanceTask -Prompt 'warm up' -WhatIf 6>$null
while ([DateTime]::UtcNow.Ticks -lt [long]$env:START_TICKS) { Start-Sleep -Milliseconds 5 }
$first = [DateTime]::UtcNow
$rows = 1..6 | ForEach-Object { [pscustomobject]@{ Prompt = "race $env:RACER row $_ @1"; Image = Join-Path $env:IMAGES "race-$([int]$env:RACER * 6 + $_ - 6).png" } }
$made = @($rows | New-SeedanceTask -Duration 5 -ErrorVariable refused -ErrorAction SilentlyContinue)
[pscustomobject]@{ Made = $made.Count; Refused = @($refused | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' }).Count; Other = @($refused | Where-Object { $_.FullyQualifiedErrorId -notlike 'BudgetExceeded,*' } | ForEach-Object { "$_" }); First = $first.Ticks; Last = [DateTime]::UtcNow.Ticks } | ConvertTo-Json -Compress
'@
            $children = foreach ($racer in 1, 2) {
                $environment = Get-ChildEnvironment $journal
                $environment.SEEDANCE_DAILY_CREDIT_LIMIT = '1000'
                $environment.START_TICKS = $startTicks
                $environment.RACER = $racer
                $environment.IMAGES = $images
                Start-ChildPwsh -Script $script -Environment $environment
            }
            $reports = @($children | ForEach-Object { Read-ChildJson (Wait-ChildPwsh -Child $_ -TimeoutSeconds 180) })

            @($reports.Other) | Should -BeNullOrEmpty
            ($reports | Measure-Object -Property Made -Sum).Sum | Should -Be 5 -Because '1000 credits hold five tasks of 200'
            ($reports | Measure-Object -Property Refused -Sum).Sum | Should -Be 7
            (Get-Stats).tasksCreated | Should -Be 5
            # They really raced: each started before the other finished.
            $reports[0].First | Should -BeLessThan $reports[1].Last
            $reports[1].First | Should -BeLessThan $reports[0].Last
        }
    }

    Context 'rows without a Name (issue 16)' {
        It 'a re-run of identical unnamed rows is announced once per command, with the age and the earlier tasks, and sent again' {
            $null = Use-NewJournal
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Prompt = "unnamed row $_"; Duration = 4 } }
            $first = @($rows | New-SeedanceTask -WarningVariable firstWarnings)
            @($firstWarnings | Where-Object { "$_" -match 'no Name' }) | Should -HaveCount 0
            $before = (Get-Stats).tasksCreated

            $second = @($rows | New-SeedanceTask -WarningVariable secondWarnings)

            (Get-Stats).tasksCreated | Should -Be ($before + 3) -Because 'nothing ties an unnamed row to its task: it is sent again'
            $said = @($secondWarnings | Where-Object { "$_" -match 'no Name' })
            $said | Should -HaveCount 1
            "$($said[0])" | Should -Match '^3 rows match tasks created less than a minute ago'
            foreach ($task in $first) { "$($said[0])" | Should -Match ([regex]::Escape($task.TaskId)) }
            "$($said[0])" | Should -Match 'Name column'
            $second | Should -HaveCount 3
        }
    }

    Context 'listing, filters and usage, without any request' {
        It 'lists journaled tasks newest first by -Status, -Name (wildcards), -Since and -Pending, and asks the service nothing' {
            $null = Use-NewJournal
            $made = @(1..3 | ForEach-Object { [pscustomobject]@{ Name = "list-$_"; Prompt = "list row $_$(if ($_ -eq 2) { ' #fail' })" } } | New-SeedanceTask)
            $null = $made | Wait-SeedanceTask -PollInterval 0.1 -ErrorAction SilentlyContinue
            $null = $made[0] | Get-SeedanceTask | Save-SeedanceVideo -Path (New-JournalFolder)
            Reset-EmulatorStats -Emulator $script:Emulator

            @(Get-SeedanceTask).TaskId | Should -Be @($made[2].TaskId, $made[1].TaskId, $made[0].TaskId)
            @(Get-SeedanceTask -Status Fail).Name | Should -Be @('list-2')
            @(Get-SeedanceTask -Status Success, Fail -Name 'LIST-[13]').Name | Should -Be @('list-3', 'list-1')
            @(Get-SeedanceTask -Pending).Name | Should -Be @('list-3') -Because 'list-1 is saved and list-2 failed'
            @(Get-SeedanceTask -Since (Get-Date).AddMinutes(5)) | Should -BeNullOrEmpty
            $one = Get-SeedanceTask -Name 'list-3'
            ($one.Prompt, $one.Duration, $one.Status) | Should -Be @('list row 3', 5, 'Success')
            $stats = Get-Stats
            $stats.recordInfoRequests | Should -Be 0
            $stats.createRequests | Should -Be 0
        }

        It 'Get-SeedanceTask -TaskId records what it reads and fills in Name and Prompt; Save names the file after the row' {
            $null = Use-NewJournal
            $task = New-SeedanceTask -Prompt 'named file' -Name 'Quarterly: intro/v2'
            $null = $task | Wait-SeedanceTask -PollInterval 0.1
            $read = Get-SeedanceTask -TaskId $task.TaskId
            ($read.Name, $read.Prompt) | Should -Be @('Quarterly: intro/v2', 'named file')
            (Get-SeedanceTask -Name 'Quarterly*').Status | Should -Be 'Success'
            $file = Save-SeedanceVideo -TaskId $task.TaskId -Path (New-JournalFolder)
            $file.Name | Should -Be 'Quarterly_ intro_v2.mp4' -Because 'a Name is made safe for the file system'
            @(Get-SeedanceTask -Pending) | Should -BeNullOrEmpty
        }

        It '-TaskId completes from the journal: newest first, with the prompt excerpt as tooltip (Get, Wait and Save)' {
            $null = Use-NewJournal
            $made = @(1..3 | ForEach-Object { New-SeedanceTask -Prompt "completion prompt number $_" -Name "complete-$_" })
            foreach ($command in 'Get-SeedanceTask -TaskId ', 'Wait-SeedanceTask -TaskId ', 'Save-SeedanceVideo -TaskId ') {
                $matches = (TabExpansion2 -inputScript $command -cursorColumn $command.Length).CompletionMatches
                @($matches | Select-Object -First 3).CompletionText | Should -Be @($made[2].TaskId, $made[1].TaskId, $made[0].TaskId) -Because $command
                $matches[0].ToolTip | Should -Match 'completion prompt number 3'
                $matches[0].ListItemText | Should -Match 'complete-3'
            }
            $prefix = $made[1].TaskId.Substring(0, 12)
            $input = "Get-SeedanceTask -TaskId $prefix"
            @((TabExpansion2 -inputScript $input -cursorColumn $input.Length).CompletionMatches.CompletionText) | Should -Contain $made[1].TaskId
            $input = 'Get-SeedanceTask -TaskId complete-2'
            @((TabExpansion2 -inputScript $input -cursorColumn $input.Length).CompletionMatches.CompletionText) | Should -Be @($made[1].TaskId) -Because 'a row Name finds its id'
        }
    }

    Context 'a journal that cannot be used, or is off' {
        It 'cannot be written: a terminating error naming the path before any create (the emulator sees none)' -Skip:$IsWindows {
            $folder = New-UnwritableFolder
            if ($null -eq $folder) { Set-ItResult -Skipped -Because 'no unwritable folder can be had here'; return }
            try {
                $path = Join-Path $folder.Path 'seedance/journal.jsonl'
                $env:SEEDANCE_JOURNAL_PATH = $path
                $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "blocked-$_"; Prompt = "blocked row $_" } }
                $thrown = $null
                try { $rows | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path (New-JournalFolder) } catch { $thrown = $_ }
                $thrown | Should -Not -BeNullOrEmpty
                $thrown.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*'
                $thrown.CategoryInfo.Category | Should -Be 'WriteError'
                $thrown.TargetObject | Should -Be $path
                $thrown.ErrorDetails.Message | Should -Match ([regex]::Escape($path))
                $stats = Get-Stats
                $stats.createRequests | Should -Be 0
                $stats.uploadRequests | Should -Be 0

                # Wait and Save can do their work without it: a warning, then the same result as ever.
                $task = Wait-SeedanceTask -TaskId demo_task_t2v_success -WarningVariable said -WarningAction SilentlyContinue
                $task.Status | Should -Be 'Success'
                $said | Should -Match 'without recording in the task journal'
            }
            finally { Remove-UnwritableFolder $folder }
        }

        It 'a relative SEEDANCE_JOURNAL_PATH is InvalidJournalPath before any create' {
            $env:SEEDANCE_JOURNAL_PATH = 'relative/journal.jsonl'
            { New-SeedanceTask -Prompt 'nowhere' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidJournalPath,*'
            (Get-SeedanceConfiguration).JournalPath | Should -Be 'relative/journal.jsonl'
            (Get-Stats).createRequests | Should -Be 0
        }

        It 'Set-SeedanceConfiguration -JournalPath resolves a relative path, opens the journal, and Get-SeedanceConfiguration shows it' {
            $folder = New-JournalFolder
            Push-Location $folder
            try { Set-SeedanceConfiguration -JournalPath './mine' }
            finally { Pop-Location }
            $configuration = Get-SeedanceConfiguration
            $configuration.JournalPath | Should -Be (Join-Path $folder 'mine')
            $configuration.JournalPathSource | Should -Be 'Process'
            Test-Path -LiteralPath (Join-Path $folder 'mine') -PathType Leaf | Should -BeTrue
            ($configuration | Out-String) | Should -Match 'JournalPath\s+: .*mine'
            $unwritable = New-UnwritableFolder
            if ($unwritable) {
                try { { Set-SeedanceConfiguration -JournalPath (Join-Path $unwritable.Path 'x/journal.jsonl') } | Should -Throw -ErrorId 'JournalUnavailable,*' }
                finally { Remove-UnwritableFolder $unwritable }
                (Get-SeedanceConfiguration).JournalPath | Should -Be (Join-Path $folder 'mine') -Because 'a failed call changes nothing'
            }
        }

        It '''off'': tasks are created, nothing is written, one warning per process, and listing says it cannot' {
            $data = New-JournalFolder
            $environment = Get-ChildEnvironment 'off'
            $environment.XDG_DATA_HOME = $data
            $result = Invoke-ChildPwsh -Environment $environment -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$made = @(New-SeedanceTask -Prompt 'off one' -Name 'off-row' -WarningVariable +said; New-SeedanceTask -Prompt 'off two' -Name 'off-row' -WarningVariable +said)
$null = $made | Wait-SeedanceTask -PollInterval 0.1 -WarningVariable +said
$listing = try { Get-SeedanceTask -ErrorAction Stop; 'listed' } catch { $_.FullyQualifiedErrorId }
[pscustomobject]@{ Made = @($made.TaskId | Select-Object -Unique).Count; Warnings = @($said | ForEach-Object { "$_" }); Listing = $listing; Path = (Get-SeedanceConfiguration).JournalPath } | ConvertTo-Json -Compress
'@
            $report = Read-ChildJson $result
            $report.Made | Should -Be 2 -Because 'without the journal a Name is no row key'
            @($report.Warnings | Where-Object { $_ -match 'task journal is off' }) | Should -HaveCount 1
            $report.Listing | Should -BeLike 'JournalOff,*'
            $report.Path | Should -Be 'off'
            @(Get-ChildItem -LiteralPath $data -Recurse -Force) | Should -BeNullOrEmpty -Because 'nothing is written to the default place'
        }

        It 'a torn last line (a crash mid-write) is one warning per process, never fatal; the next record starts on a line of its own' {
            $journal = Use-NewJournal
            $task = New-SeedanceTask -Prompt 'before the crash' -Name 'torn-1'
            [IO.File]::AppendAllText($journal, '{"v":1,"type":"created","intent":"abc","ta')
            $result = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$listed = @(Get-SeedanceTask -WarningVariable +said)
$again = @(Get-SeedanceTask -WarningVariable +said)
$made = New-SeedanceTask -Prompt 'after the crash' -Name 'torn-2' -WarningVariable +said
$after = @(Get-SeedanceTask -WarningVariable +said)
[pscustomobject]@{ Listed = @($listed.Name); After = @($after.Name); Warnings = @($said | ForEach-Object { "$_" }); Made = $made.TaskId } | ConvertTo-Json -Compress
'@
            $report = Read-ChildJson $result
            @($report.Warnings) | Should -HaveCount 1
            $report.Warnings[0] | Should -Match 'unreadable line'
            $report.Listed | Should -Be @('torn-1')
            $report.After | Should -Be @('torn-2', 'torn-1')
            $lines = @(Get-Content -LiteralPath $journal)
            $lines | Where-Object { $_ -eq '{"v":1,"type":"created","intent":"abc","ta' } | Should -HaveCount 1 -Because 'the fragment keeps a line of its own'
            ($lines | Where-Object { $_ -match [regex]::Escape($report.Made) } | Select-Object -First 1) | Should -Match '^\{"v":1,"type":"created"'
            $task.TaskId | Should -BeIn @($lines | ForEach-Object { if ($_ -match '"task":"(task_\w+)"') { $Matches[1] } })
        }

        It 'the journal is 0600 and every folder it creates 0700' -Skip:$IsWindows {
            $root = New-JournalFolder
            $path = Join-Path $root 'a/b/journal.jsonl'
            $env:SEEDANCE_JOURNAL_PATH = $path
            $null = New-SeedanceTask -Prompt 'owner only'
            Get-UnixMode (Join-Path $root 'a') | Should -Be '700'
            Get-UnixMode (Join-Path $root 'a/b') | Should -Be '700'
            Get-UnixMode $path | Should -Be '600'
            Get-UnixMode "$path.lock" | Should -Be '600'
        }
    }

    Context 'a journal someone else could bend is refused (JournalInsecure), before any create' -Skip:$IsWindows {
        BeforeAll {
            function Assert-Insecure([string] $Journal, [string] $Target, [string] $Problem) {
                # New-SeedanceTask stops with JournalInsecure naming the path and the fix; the service sees no create.
                $env:SEEDANCE_JOURNAL_PATH = $Journal
                $job = Start-ThreadJob { param($m) Import-Module $m; try { New-SeedanceTask -Prompt 'never sent' -Name 'bent' } catch { $_ } } -ArgumentList (Get-TestModulePath)
                $done = Wait-Job $job -Timeout 60
                $done | Should -Not -BeNullOrEmpty -Because 'a FIFO or a device must never hang the command'
                $thrown = Receive-Job $job; Remove-Job $job -Force
                $thrown.FullyQualifiedErrorId | Should -BeLike 'JournalInsecure,*'
                $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
                $thrown.TargetObject | Should -Be $Target
                $thrown.Exception.Message | Should -Match ([regex]::Escape($Target))
                $thrown.Exception.Message | Should -Match $Problem
                $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
                (Get-Stats).createRequests | Should -Be 0
            }
        }

        It 'journal.jsonl as a symbolic link to another file: refused, the target untouched' {
            $folder = New-JournalFolder
            $target = Join-Path $folder 'elsewhere.txt'
            Set-Content -LiteralPath $target -Value 'precious'
            $journal = Join-Path $folder 'journal.jsonl'
            $null = New-Item -ItemType SymbolicLink -Path $journal -Target $target
            Assert-Insecure $journal $journal 'symbolic link'
            Get-Content -LiteralPath $target | Should -Be 'precious'
        }

        It 'a dangling .lock link: refused, its target not created' {
            $folder = New-JournalFolder
            $journal = Join-Path $folder 'journal.jsonl'
            $null = New-Item -ItemType SymbolicLink -Path "$journal.lock" -Target (Join-Path $folder 'planted')
            Assert-Insecure $journal "$journal.lock" 'symbolic link'
            Test-Path -LiteralPath (Join-Path $folder 'planted') | Should -BeFalse
        }

        It 'SEEDANCE_JOURNAL_PATH=/dev/null: refused, not silently off' {
            Assert-Insecure '/dev/null' '/dev/null' 'character device'
        }

        It 'a FIFO as the journal: refused at once, no hang' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            & mkfifo $journal
            Assert-Insecure $journal $journal 'FIFO'
        }

        It 'a journal folder writable by other users: refused' {
            $folder = New-JournalFolder
            & chmod 0777 $folder
            Assert-Insecure (Join-Path $folder 'journal.jsonl') $folder 'other users can write it'
        }

        It 'a journal <Which> owned by another user: refused' -Skip:((& id -u) -ne '0') -ForEach @(@{ Which = 'folder' }, @{ Which = 'file' }) {
            $folder = New-JournalFolder
            $journal = Join-Path $folder 'journal.jsonl'
            Set-Content -LiteralPath $journal -Value '{"v":1,"type":"created","time":"2026-12-01T00:00:00.000Z","intent":"x","task":"task_planted","name":"bent"}'
            $target = if ($Which -eq 'folder') { $folder } else { $journal }
            & chown 65534:65534 $target
            try { Assert-Insecure $journal $target 'belongs to user id 65534' }
            finally { & chown -R 0:0 $folder }
        }
    }

    Context 'the report of an early end' {
        It 'names only this batch''s tasks and the folder the user is in, with a command that runs from any later session (issue 18)' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $here = New-JournalFolder
            $result = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$other = New-SeedanceTask 'another project, still pending #duration:30'
Set-Location -LiteralPath '$here'
`$mine = @('early end quick #duration:0.1', 'early end slow #duration:5' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Select-Object -First 1)
[pscustomobject]@{ Other = `$other.TaskId; Done = `$mine[0].TaskId } | ConvertTo-Json -Compress
"@
            $ids = Read-ChildJson $result
            $said = (($result.StdOut + $result.StdErr) -split "`r?`n" | Where-Object { $_ -notmatch '^\{' }) -join "`n"   # not the report line
            $said | Should -Match ([regex]::Escape($journal))
            $said | Should -Not -Match 'Get-SeedanceTask -Pending'
            $said | Should -Not -Match ([regex]::Escape($ids.Other)) -Because 'a task of another batch is not this batch''s to finish here'
            $said | Should -Match ([regex]::Escape("Save-SeedanceVideo -Path '$here'"))
        }

        It 'a re-run says, without -Verbose, which rows already had tasks and created nothing for them (issue 18)' {
            $journal = Join-Path (New-JournalFolder) 'journal.jsonl'
            $result = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$rows = @([pscustomobject]@{ Prompt = 'a fox'; Name = 'fox' }, [pscustomobject]@{ Prompt = 'a cat'; Name = 'cat' })
$null = $rows | New-SeedanceTask -Duration 4
$again = @($rows + [pscustomobject]@{ Prompt = 'a dog'; Name = 'dog' } | New-SeedanceTask -Duration 4 -WarningVariable said -WarningAction SilentlyContinue)
[pscustomobject]@{ Said = @($said | ForEach-Object { "$_" }); Emitted = $again.Count } | ConvertTo-Json -Compress
'@
            $report = Read-ChildJson $result
            $report.Emitted | Should -Be 3
            $today = (Get-Date).ToString('yyyy-MM-dd')
            @($report.Said) | Should -HaveCount 1
            $report.Said[0] | Should -Match ([regex]::Escape("2 rows already have tasks from $today in ") + '.+' + [regex]::Escape(' (not saved yet): fox, cat; nothing created for them'))
        }
    }

    Context 'a journal lost or made read-only under a running command (issue 16)' -Skip:$IsWindows {
        BeforeAll {
            function Lock-TestFile([string[]] $Path) {
                # Read-only for this process for real: chattr +i as root (mode bits do not bind root), else mode 0400.
                $root = (& id -u) -eq '0'
                foreach ($file in $Path) { if ($root) { & chattr +i $file } else { & chmod 0400 $file } }
                $Path | Where-Object { Test-Path -LiteralPath $_ } | ForEach-Object {
                    try { [IO.File]::OpenWrite($_).Dispose(); throw "'$_' is still writable" } catch [UnauthorizedAccessException], [IO.IOException] { }
                }
            }

            function Unlock-TestFile([string[]] $Path) {
                foreach ($file in $Path) { if ((& id -u) -eq '0') { & chattr -i $file 2>$null } else { & chmod 0600 $file } }
            }
        }

        It 'deleted mid-batch: said once, this process''s records written again, and no row is paid twice then or in a re-run' {
            $journal = Use-NewJournal
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "lost-$_"; Prompt = "lost row $_" } }
            $first = @($rows[0..1] | New-SeedanceTask)
            Remove-Item -LiteralPath $journal
            $before = (Get-Stats).tasksCreated

            $all = @($rows | New-SeedanceTask -WarningVariable said -WarningAction SilentlyContinue)

            (Get-Stats).tasksCreated | Should -Be ($before + 1) -Because 'rows 1 and 2 have their tasks: only row 3 is created'
            @($all.TaskId) | Should -HaveCount 3
            @($all.TaskId[0..1]) | Should -Be @($first.TaskId)
            $lost = @($said | Where-Object { "$_" -match 'deleted or replaced' })
            $lost | Should -HaveCount 1
            "$($lost[0])" | Should -Match ([regex]::Escape($journal))
            foreach ($task in $first) {
                @(Get-Content -LiteralPath $journal | Where-Object { $_ -match '"type":"created"' -and $_ -match $task.TaskId }) | Should -HaveCount 1
            }

            # Another process finds all three rows in the file: a re-run creates nothing.
            $result = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$again = @(1..3 | ForEach-Object { [pscustomobject]@{ Name = "lost-$_"; Prompt = "lost row $_" } } | New-SeedanceTask)
[pscustomobject]@{ Ids = @($again.TaskId) } | ConvertTo-Json -Compress
'@
            (Read-ChildJson $result).Ids | Should -Be @($all.TaskId)
            (Get-Stats).tasksCreated | Should -Be ($before + 1)
        }

        It 'replaced by an older copy: said once, only the records the copy lacks are written again' {
            $journal = Use-NewJournal
            $one = New-SeedanceTask -Prompt 'kept row' -Name 'swap-1'
            Copy-Item -LiteralPath $journal -Destination "$journal.old"
            $two = New-SeedanceTask -Prompt 'row the copy lacks' -Name 'swap-2'
            Move-Item -LiteralPath "$journal.old" -Destination $journal -Force

            $three = New-SeedanceTask -Prompt 'third row' -Name 'swap-3' -WarningVariable said -WarningAction SilentlyContinue

            @($said | Where-Object { "$_" -match 'deleted or replaced' }) | Should -HaveCount 1
            $records = @(Get-Content -LiteralPath $journal | ConvertFrom-Json)
            foreach ($name in 'swap-1', 'swap-2', 'swap-3') {
                @($records | Where-Object { $_.type -eq 'intent' -and $_.name -eq $name }) | Should -HaveCount 1 -Because "$name is journaled once"
            }
            (Get-SeedanceTask -Name 'swap-2').TaskId | Should -Be $two.TaskId
            $null = New-SeedanceTask -Prompt 'fourth row' -Name 'swap-4' -WarningVariable more -WarningAction SilentlyContinue
            @($more | Where-Object { "$_" -match 'deleted or replaced' }) | Should -HaveCount 0 -Because 'it is said once'
        }

        It 'read-only: said at once, naming the journal; -Pending reads it, Wait and Save go on, New-SeedanceTask creates nothing' {
            $journal = Use-NewJournal
            $made = New-SeedanceTask -Prompt 'read-only row' -Name 'ro-1'
            $out = New-JournalFolder
            Lock-TestFile $journal, "$journal.lock"
            try {
                $creates = (Get-Stats).createRequests
                $result = Invoke-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$pending = @(Get-SeedanceTask -Pending -WarningVariable +said)
`$saved = @(`$pending | Wait-SeedanceTask -PollInterval 0.1 -WarningVariable +said | Save-SeedanceVideo -Path '$out' -WarningVariable +said)
`$create = try { New-SeedanceTask -Prompt 'never sent' -Name 'ro-2' -ErrorAction Stop; 'created' } catch { `$_.FullyQualifiedErrorId + '|' + `$_.TargetObject + '|' + `$_.Exception.Message }
[pscustomobject]@{ Pending = @(`$pending.TaskId); Saved = @(`$saved.Name); Said = @(`$said | ForEach-Object { "`$_" }); Create = `$create } | ConvertTo-Json -Compress
"@
                $report = Read-ChildJson $result
                $report.Pending | Should -Be @($made.TaskId)
                $report.Saved | Should -Be @('ro-1.mp4')
                $readOnly = @($report.Said | Where-Object { $_ -match 'read-only' })
                $readOnly.Count | Should -BeGreaterThan 0 -Because "Wait and Save say that nothing is recorded.`n$($report.Said -join "`n")"
                $readOnly[0] | Should -Match ([regex]::Escape($journal))
                @($report.Said | Where-Object { $_ -match 'held by another process' }) | Should -HaveCount 0 -Because 'nothing waits for a lock'
                $report.Create | Should -BeLike "JournalUnavailable,*|$journal|*read-only*"
                (Get-Stats).createRequests | Should -Be $creates
            }
            finally { Unlock-TestFile $journal, "$journal.lock" }
        }

        It 'made read-only between two rows: the next row ends the command with the journal''s own error, and is not sent' {
            $journal = Use-NewJournal
            $null = New-SeedanceTask -Prompt 'opens the journal' -Name 'mid-0'
            $creates = (Get-Stats).createRequests
            $thrown = $null
            try {
                # Streamed: row 1 is created before the second row (and the lock) is made.
                try {
                    $null = 1..2 | ForEach-Object {
                        if ($_ -eq 2) { Lock-TestFile $journal, "$journal.lock" }
                        [pscustomobject]@{ Name = "mid-$_"; Prompt = "mid row $_" }
                    } | New-SeedanceTask
                }
                catch { $thrown = $_ }
            }
            finally { Unlock-TestFile $journal, "$journal.lock" }
            $thrown | Should -Not -BeNullOrEmpty -Because 'a create that cannot be recorded ends the command'
            $thrown.FullyQualifiedErrorId | Should -BeLike 'JournalUnavailable,*'
            $thrown.TargetObject | Should -Be $journal
            (Get-Stats).createRequests | Should -Be ($creates + 1) -Because 'row 1 was sent before the lock, row 2 never'
        }
    }
}
