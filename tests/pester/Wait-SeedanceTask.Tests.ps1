#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Wait-SeedanceTask against the emulator: objects and ids, failures, -Timeout, -Any, unknown states, Ctrl+C.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.2 -GeneratingSeconds 0.5
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:ChildEnvironment = @{
        SEEDANCE_API_KEY  = (Get-TestApiKey)
        SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
        XDG_CONFIG_HOME   = $script:Sandbox.ConfigDir
    }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Wait-SeedanceTask' {
    Context 'waiting until tasks finish' {
        It 'waits for piped task objects and emits each finished task' {
            $created = 'wait one', 'wait two' | New-SeedanceTask
            $done = $created | Wait-SeedanceTask -PollInterval 0.1

            $done | Should -HaveCount 2
            ($done.TaskId | Sort-Object) | Should -Be ($created.TaskId | Sort-Object)
            $done | ForEach-Object {
                $_.Status | Should -Be 'Success'
                $_.IsFinished | Should -BeTrue
                $_.Videos | Should -HaveCount 1
                $_.CompletedAt | Should -Not -BeNullOrEmpty
            }
            # What only the creator knew is carried over from the piped objects.
            ($done | Where-Object TaskId -EQ $created[0].TaskId).Prompt | Should -Be 'wait one'
            ($done | Where-Object TaskId -EQ $created[0].TaskId).Duration | Should -Be 5
        }

        It 'carries the row''s Name and -Batch over from the piped object (the service echoes neither)' {
            $created = New-SeedanceTask -Prompt 'wait in a batch' -Name 'wait-batch-1' -Batch 'other-batch'
            $done = $created | Wait-SeedanceTask -PollInterval 0.1
            $done.Name | Should -Be 'wait-batch-1'
            $done.Batch | Should -Be 'other-batch'
        }

        It 'waits for task ids given as strings (-TaskId, piped, and the -Id alias)' {
            $ids = @(('id one', 'id two', 'id three' | New-SeedanceTask).TaskId)

            $byParameter = Wait-SeedanceTask -TaskId $ids[0] -PollInterval 0.1
            $byParameter.TaskId | Should -Be $ids[0]
            $byParameter.Status | Should -Be 'Success'

            $piped = $ids[1] | Wait-SeedanceTask -PollInterval 0.1
            $piped.TaskId | Should -Be $ids[1]
            $piped.Status | Should -Be 'Success'

            (Wait-SeedanceTask -Id $ids[2] -PollInterval 0.1).Status | Should -Be 'Success'
        }

        It 'binds TaskId by property name (e.g. CSV rows of ids)' {
            $id = (New-SeedanceTask 'by property').TaskId
            $done = [pscustomobject]@{ TaskId = $id } | Wait-SeedanceTask -PollInterval 0.1
            $done.TaskId | Should -Be $id
            $done.Status | Should -Be 'Success'
        }

        It 'emits an already finished task at once, without polling it' {
            $finished = Get-SeedanceTask 'demo_task_t2v_success'
            Reset-EmulatorStats -Emulator $script:Emulator
            $done = $finished | Wait-SeedanceTask
            $done.TaskId | Should -Be 'demo_task_t2v_success'
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests | Should -Be 0
        }

        It 'waits once for a task given twice' {
            $task = New-SeedanceTask 'twice'
            $done = $task, $task | Wait-SeedanceTask -PollInterval 0.1
            $done | Should -HaveCount 1
        }

        It 'emits tasks in completion order, not input order' {
            $slow = New-SeedanceTask 'the slow one #duration:2'
            $fast = New-SeedanceTask 'the fast one'
            $done = $slow, $fast | Wait-SeedanceTask -PollInterval 0.1
            $done.TaskId | Should -Be @($fast.TaskId, $slow.TaskId)
        }
    }

    Context 'failed tasks' {
        It 'never echoes the API key held in a task id (as it is, in upper case, percent-encoded three times, JSON-escaped): in no text of the error' {
            $cases = @(Get-KeyCarryingTaskId)
            $null = Wait-SeedanceTask -TaskId $cases.TaskId -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount $cases.Count
            $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'TaskNotFound,*' }
            @($errors.ErrorDetails.Message) | Should -Contain 'No task with id task_*** (404).'
            foreach ($e in $errors) { Assert-KeyAbsent $e $cases.Shown }
        }

        It 'never shows the API key held in a task id in its progress bars' {
            # The progress stream of a runspace of its own keeps every record drawn (Pester's own shows none). The key's
            # task is answered (404) only after 4 s, so the real task's answers draw it on a line of its own meanwhile.
            $real = New-SeedanceTask 'a progress row'
            $keyId = "task_$(Get-TestApiKey)"
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = "/api/v1/jobs/recordInfo?taskId=$keyId"; kind = 'slow'; delayMs = 4000; count = -1 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Wait-SeedanceTask -TaskId `$args[0], `$args[1] -PollInterval 0.5 -ErrorAction SilentlyContinue").AddArgument($real.TaskId).AddArgument($keyId)
                $null = $ps.Invoke()
                $bars = @($ps.Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }) -join "`n"
            }
            finally { $ps.Dispose(); Clear-EmulatorFault -Emulator $script:Emulator }
            $bars | Should -Match ([regex]::Escape('task_***')) -Because 'the key''s task was drawn on its own line'
            $bars | Should -Not -Match ([regex]::Escape((Get-TestApiKey)))
        }

        It 'writes a non-terminating TaskFailed error for a #fail:2038 task, with the task as TargetObject' {
            $bad = New-SeedanceTask 'forbidden words #fail:2038'
            $good = New-SeedanceTask 'an honest prompt'
            $done = $bad, $good | Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue

            $done.TaskId | Should -Be $good.TaskId
            $errors | Should -HaveCount 1
            $record = $errors[0]
            $record.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $record.TargetObject.GetType().FullName | Should -Be 'Seedance.Client.Models.SeedanceTask'
            $record.TargetObject.TaskId | Should -Be $bad.TaskId
            $record.TargetObject.Status | Should -Be 'Fail'
            $record.TargetObject.Error.Code | Should -Be '2038'
            $message = "$record"
            $message | Should -Match '2038'
            $message | Should -Match ([regex]::Escape($record.TargetObject.Error.Message))
            $message | Should -Match 'violates'
            $message | Should -Match ([regex]::Escape($bad.TaskId))
        }

        It 'a <Directive> failure carries its class (<Class>), the service''s own words, and the class''s advice' -ForEach @(
            @{ Directive = '#fail:500'; Class = 'Transient'; Words = 'Generation failed. Please try again.'; Advice = 'sending the same request again is safe' }
            @{ Directive = '#fail:1001'; Class = 'Transient'; Words = 'Service temporarily unavailable. Please try again later.'; Advice = 'sending the same request again is safe' }
            @{ Directive = '#fail:500.download'; Class = 'Input'; Words = 'Failed to download your reference video'; Advice = 'change what the message names' }
            @{ Directive = '#fail:1001.sensitive'; Class = 'Input'; Words = 'may contain sensitive content'; Advice = 'change what the message names' }
            @{ Directive = '#fail:asset_review_failed'; Class = 'Input'; Words = 'Reference image 1 failed review'; Advice = 'change what the message names' }
            @{ Directive = '#fail:InvalidParameter'; Class = 'Input'; Words = 'Audio cannot be the only reference.'; Advice = 'change what the message names' }
            @{ Directive = '#fail:2038'; Class = 'Input'; Words = 'Your input text violates platform rules'; Advice = 'change what the message names' }
            @{ Directive = '#fail:1001.review'; Class = 'OutputModeration'; Words = 'The generated video did not pass review'; Advice = 'may pass on another try or may not' }
            @{ Directive = '#fail:1001.copyright'; Class = 'OutputModeration'; Words = 'may violate platform or copyright rules'; Advice = 'may pass on another try or may not' }
            @{ Directive = '#fail'; Class = 'Unknown'; Words = 'Task execution failed'; Advice = 'did not say whether trying again can help' }
        ) {
            $bad = New-SeedanceTask "classified $Directive"
            $null = $bad | Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors | Should -HaveCount 1
            $errors[0].TargetObject.FailureClass | Should -BeExactly $Class
            $errors[0].TargetObject.ErrorMessage | Should -Match ([regex]::Escape($Words))
            $errors[0].Exception.FailureClass | Should -BeExactly $Class
            $errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Advice))
            "$($errors[0])" | Should -Match ([regex]::Escape($Words))
        }

        It 'handles the string error shape (#fail): TaskFailed with the service text' {
            $bad = New-SeedanceTask 'plain failure #fail'
            $null = $bad | Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $errors[0].TargetObject.TaskId | Should -Be $bad.TaskId
            $errors[0].TargetObject.Error.Code | Should -BeNullOrEmpty
            $errors[0].TargetObject.Error.Message | Should -Be 'Task execution failed'
            "$($errors[0])" | Should -Match 'Task execution failed'
        }

        It 'reports an already failed demo task as TaskFailed (from Get-SeedanceTask)' {
            $null = Get-SeedanceTask 'demo_task_fail_face_detected' | Wait-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            "$($errors[0])" | Should -Match 'face_detected'
        }

        It 'can be made terminating with -ErrorAction Stop' {
            $bad = New-SeedanceTask 'stop on failure #fail:500'
            { $bad | Wait-SeedanceTask -PollInterval 0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'TaskFailed,*'
        }

        It 'writes a TaskNotFound error for an unknown id and still waits for the others' {
            $good = New-SeedanceTask 'next to a missing one'
            $done = Wait-SeedanceTask -TaskId 'task_nobody_knows', $good.TaskId -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue
            $done.TaskId | Should -Be $good.TaskId
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'unknown states' {
        It 'keeps waiting through an unknown status (#status:queued_for_review) and does not fail' {
            $odd = New-SeedanceTask 'odd state #status:queued_for_review #duration:2'
            # While it runs, the unknown word is kept as StatusText and maps to Unknown.
            Start-Sleep -Milliseconds 300
            $midway = Get-SeedanceTask $odd.TaskId
            $midway.StatusText | Should -Be 'queued_for_review'
            $midway.Status | Should -Be 'Unknown'
            $midway.IsFinished | Should -BeFalse

            $done = $odd | Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable errors
            $errors | Should -HaveCount 0
            $done.TaskId | Should -Be $odd.TaskId
            $done.Status | Should -Be 'Success'
        }
    }

    Context '-Timeout and -Any' {
        It 'writes WaitTimeout for a task still running at -Timeout, with the task as TargetObject, while others complete' {
            $slow = New-SeedanceTask 'too slow #duration:60'
            $fast = New-SeedanceTask 'quick enough'
            $done = $slow, $fast | Wait-SeedanceTask -Timeout 3 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue

            $done.TaskId | Should -Be $fast.TaskId
            $done.Status | Should -Be 'Success'
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
            $errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $errors[0].TargetObject.GetType().FullName | Should -Be 'Seedance.Client.Models.SeedanceTask'
            $errors[0].TargetObject.TaskId | Should -Be $slow.TaskId
            $errors[0].TargetObject.IsFinished | Should -BeFalse
            "$($errors[0])" | Should -Match ([regex]::Escape($slow.TaskId))
        }

        It 'lets the timed-out tasks be waited for again from -ErrorVariable' {
            $slow = New-SeedanceTask 'resume later #duration:1.5'
            $null = $slow | Wait-SeedanceTask -Timeout 0 -PollInterval 0.1 -ErrorVariable timedOut -ErrorAction SilentlyContinue
            $timedOut | Should -HaveCount 1
            $done = $timedOut.TargetObject | Wait-SeedanceTask -PollInterval 0.1
            $done.TaskId | Should -Be $slow.TaskId
            $done.Status | Should -Be 'Success'
        }

        It 'returns after the first finished task with -Any, without errors for the others' {
            $slow = New-SeedanceTask 'any slow #duration:60'
            $fast = New-SeedanceTask 'any fast'
            $done = $slow, $fast | Wait-SeedanceTask -Any -PollInterval 0.1 -ErrorVariable errors

            $done | Should -HaveCount 1
            $done.TaskId | Should -Be $fast.TaskId
            $errors | Should -HaveCount 0
            (Get-SeedanceTask $slow.TaskId).IsFinished | Should -BeFalse
        }
    }

    Context 'Ctrl+C' {
        It 'stops promptly on PowerShell.Stop() and warns with the ids still running (in-process runspace)' {
            $slow = New-SeedanceTask 'stop me #duration:60'
            $other = New-SeedanceTask 'stop me too #duration:60'
            Reset-EmulatorStats -Emulator $script:Emulator

            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($ModulePath, $BaseUri, $Key, $Ids)
                        Import-Module $ModulePath
                        Set-SeedanceConfiguration -BaseUri $BaseUri -Scope Runspace
                        Set-SeedanceApiKey -Scope Runspace -PlainTextApiKey $Key
                        Wait-SeedanceTask -TaskId $Ids -PollInterval 0.2
                    }).AddArgument((Get-TestModulePath)).AddArgument($script:Emulator.ApiBaseUri).AddArgument((Get-TestApiKey)).AddArgument(@($slow.TaskId, $other.TaskId))
                $handle = $ps.BeginInvoke()
                # Stop once the wait is really polling.
                Wait-Until { (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests -ge 2 } -TimeoutSeconds 20 | Should -BeTrue
                Start-Sleep -Milliseconds 500

                $stopwatch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $stopwatch.Stop()

                $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $handle.IsCompleted | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $warning = ($ps.Streams.Warning | ForEach-Object Message) -join "`n"
                $warning | Should -Match ([regex]::Escape($slow.TaskId))
                $warning | Should -Match ([regex]::Escape($other.TaskId))
                $warning | Should -Match 'still running'
            }
            finally { $ps.Dispose() }

            # The tasks were only left, not cancelled: they are still running on the service.
            (Get-SeedanceTask $slow.TaskId).IsFinished | Should -BeFalse
        }

        It 'stops promptly on a real SIGINT to a child pwsh and prints the still-running id' -Skip:$IsWindows {
            $slow = New-SeedanceTask 'interrupt me #duration:60'
            Reset-EmulatorStats -Emulator $script:Emulator

            $child = Start-ChildPwsh -Environment $script:ChildEnvironment -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Wait-SeedanceTask -TaskId '$($slow.TaskId)' -PollInterval 0.2
'NOT-STOPPED'
"@
            try {
                Wait-Until { (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests -ge 2 } -TimeoutSeconds 30 | Should -BeTrue
                Test-InterruptIgnored -ProcessId $child.Pid | Should -BeFalse -Because 'a child that ignores SIGINT (inherited from a launcher that ignored it) never sees it; see Get-InterruptDefaultPrefix'
                & kill -s INT $child.Pid
                $stopwatch = [Diagnostics.Stopwatch]::StartNew()
                # Under the 60 s the task takes, so an exit proves the wait ended and did not run to the task's end; generous
                # because a loaded machine (a full suite on two cores) has been seen slow to deliver and act on the signal.
                $exited = $child.Process.WaitForExit(40000)
                $stopwatch.Stop()
            }
            finally { $result = Wait-ChildPwsh -Child $child -TimeoutSeconds 10 }

            $exited | Should -BeTrue -Because 'the task would take 60 s; Ctrl+C must end the wait at once'
            $result.TimedOut | Should -BeFalse
            $allOutput = ($result.StdOut + $result.StdErr)
            $allOutput | Should -Not -Match 'NOT-STOPPED'
            # The host wraps long lines: compare without whitespace.
            ($allOutput -replace '\s', '') | Should -Match ([regex]::Escape($slow.TaskId))
            ($allOutput -replace '\s', '') | Should -Match 'stillrunning'
        }
    }
}

Describe 'Wait-SeedanceTask -RetryFailed (issue 16: resubmitting failed tasks)' {
    BeforeAll {
        $script:RetryFolders = [System.Collections.Generic.List[string]]::new()
        $script:SavedJournalPath = $env:SEEDANCE_JOURNAL_PATH
        function Get-Created { (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated }

        # A prompt the emulator has never seen: '#failfirst:N' counts the creates of one exact prompt.
        function New-RetryPrompt([string] $Directive) { "retry $([guid]::NewGuid().ToString('N').Substring(0, 8)) $Directive" }

        # The README's batch line with -RetryFailed; errors collected, the run goes on.
        function Invoke-RetryBatch([object[]] $Rows, [string] $Folder, [hashtable] $Wait = @{}) {
            $errors = $null
            $saved = @($Rows | New-SeedanceTask -ErrorVariable +errors -ErrorAction SilentlyContinue |
                    Wait-SeedanceTask -PollInterval 0.1 @Wait -ErrorVariable +errors -ErrorAction SilentlyContinue |
                    Save-SeedanceVideo -Path $Folder -ErrorVariable +errors -ErrorAction SilentlyContinue)
            [pscustomobject]@{ Saved = $saved; Errors = @($errors) }
        }

        function Get-JournalLines { @(Get-Content -LiteralPath $env:SEEDANCE_JOURNAL_PATH | ForEach-Object { $_ | ConvertFrom-Json }) }
    }

    BeforeEach {
        $script:Folder = New-TestFolder -Prefix 'seedance-retry'
        $script:RetryFolders.Add($script:Folder)
        $env:SEEDANCE_JOURNAL_PATH = Join-Path $script:Folder 'journal.jsonl'
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    AfterAll {
        $env:SEEDANCE_JOURNAL_PATH = $script:SavedJournalPath
        foreach ($folder in $script:RetryFolders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'resubmits a transient failure with the row''s request and saves the final attempt under the row''s name; a re-run of the CSV creates nothing' {
        $rows = @(
            [pscustomobject]@{ Name = 'fox'; Prompt = (New-RetryPrompt '#fail:500 #failfirst:1') }
            [pscustomobject]@{ Name = 'owl'; Prompt = (New-RetryPrompt '') }
        )
        $first = Invoke-RetryBatch $rows $script:Folder @{ RetryFailed = 2 }

        $first.Errors | Should -HaveCount 0
        Get-Created | Should -Be 3 -Because 'two rows and one resubmission'
        $fox = Get-Item -LiteralPath (Join-Path $script:Folder 'fox.mp4')
        $fox.Length | Should -BeGreaterThan 0
        $task = $first.Saved | Where-Object { $_.Name -eq 'fox.mp4' } | ForEach-Object Task
        $intents = @(Get-JournalLines | Where-Object { $_.type -eq 'intent' -and $_.name -eq 'fox' })
        $intents | Should -HaveCount 2
        $intents[1].retryOf | Should -Not -BeNullOrEmpty
        $intents[1].attempt | Should -Be 2
        $intents[1].request.prompt | Should -BeExactly $rows[0].Prompt
        (Get-EmulatorTask -Emulator $script:Emulator -TaskId $intents[1].retryOf).status | Should -Be 'fail'

        # The same CSV again: the row's task is the successful attempt (no create, no FailedBefore), already saved.
        Reset-EmulatorStats -Emulator $script:Emulator
        $again = Invoke-RetryBatch $rows $script:Folder @{ RetryFailed = 2 }
        $again.Errors | Should -HaveCount 0
        Get-Created | Should -Be 0
        @(Get-ChildItem -LiteralPath $script:Folder -Filter *.mp4).Name | Sort-Object | Should -Be @('fox.mp4', 'owl.mp4')
    }

    It 'emits the final attempt with its earlier attempts (ids and reasons)' {
        $task = [pscustomobject]@{ Name = 'hen'; Prompt = (New-RetryPrompt '#fail:500 #failfirst:2') } | New-SeedanceTask
        $done = $task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1

        $done.Status | Should -Be 'Success'
        $done.Name | Should -Be 'hen'
        $done.TaskId | Should -Not -Be $task.TaskId
        @($done.EarlierAttempts) | Should -HaveCount 2
        $done.EarlierAttempts[0].TaskId | Should -Be $task.TaskId
        $done.EarlierAttempts[0].Attempt | Should -Be 1
        $done.EarlierAttempts[1].Attempt | Should -Be 2
        $done.EarlierAttempts[1].FailureClass | Should -Be 'Transient'
        $done.EarlierAttempts[1].Error.Code | Should -Be '500'
        Get-Created | Should -Be 3
    }

    It 'stops after N resubmissions: the last failure is reported with every earlier attempt' {
        $task = [pscustomobject]@{ Name = 'yak'; Prompt = (New-RetryPrompt '#fail:500 #failfirst:9') } | New-SeedanceTask
        $out = @($task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $out | Should -HaveCount 0
        Get-Created | Should -Be 3 -Because 'the first task and two resubmissions, no more'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
        $errors[0].TargetObject.Name | Should -Be 'yak'
        @($errors[0].TargetObject.EarlierAttempts.TaskId) | Should -HaveCount 2
        $errors[0].TargetObject.EarlierAttempts[0].TaskId | Should -Be $task.TaskId

        # Counted from the journal: waiting for the last attempt again resubmits nothing more.
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = $errors[0].TargetObject.TaskId | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorAction SilentlyContinue
        Get-Created | Should -Be 0
    }

    It 'resubmits an output-moderation failure only with -RetryOutputModeration' {
        $prompt = New-RetryPrompt '#fail:1001.review #failfirst:1'
        $task = [pscustomobject]@{ Name = 'emu'; Prompt = $prompt } | New-SeedanceTask
        $null = $task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue
        Get-Created | Should -Be 1 -Because 'output moderation is not resubmitted without the switch'
        $errors | Should -HaveCount 1
        $errors[0].TargetObject.FailureClass | Should -Be 'OutputModeration'

        $done = $task | Wait-SeedanceTask -RetryFailed 2 -RetryOutputModeration -PollInterval 0.1
        Get-Created | Should -Be 2
        $done.Status | Should -Be 'Success'
        $done.Name | Should -Be 'emu'
    }

    It 'never resubmits an input failure' {
        $task = [pscustomobject]@{ Name = 'gnu'; Prompt = (New-RetryPrompt '#fail:2038') } | New-SeedanceTask
        $null = $task | Wait-SeedanceTask -RetryFailed 5 -RetryOutputModeration -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue
        Get-Created | Should -Be 1
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
    }

    It '-WhatIf says what would be resubmitted and what it costs, and sends nothing (child pwsh, host output)' {
        $prompt = New-RetryPrompt '#fail:500 #failfirst:1'
        $environment = $script:ChildEnvironment.Clone()
        $environment.SEEDANCE_JOURNAL_PATH = $env:SEEDANCE_JOURNAL_PATH
        $result = Invoke-ChildPwsh -Environment $environment -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$task = [pscustomobject]@{ Name = 'elk'; Prompt = '$prompt' } | New-SeedanceTask
`$task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
'ERRORS:' + ((`$failed | ForEach-Object FullyQualifiedErrorId) -join '|')
"@
        $text = $result.StdOut -replace '\s+', ' '
        $text | Should -Match "What if: Performing the operation `"Resubmit the failed task's request \(Transient failure: 500: .*\) as attempt 2 of at most 3, a new task costing 200 credits \(\`$1\.00\)"
        $text | Should -Match "on target `"task task_\w+ \(row 'elk'"
        $text | Should -Match 'ERRORS:TaskFailed,'
        Get-Created | Should -Be 1 -Because '-WhatIf sends no resubmission'
    }

    It 'a daily limit that is no number stops -RetryFailed before any resubmission, as it stops New-SeedanceTask' {
        $task = [pscustomobject]@{ Name = 'owl'; Prompt = (New-RetryPrompt '#fail:500 #failfirst:1') } | New-SeedanceTask
        $env:SEEDANCE_DAILY_CREDIT_LIMIT = 'lots'
        try {
            { $task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDailyCreditLimit,*'
            Get-Created | Should -Be 1 -Because 'a resubmission under a limit that was meant but unreadable would have no limit at all'
            # Waiting alone pays nothing: without -RetryFailed the same setting does not stop it.
            $null = $task | Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
        }
        finally {
            Remove-Item Env:SEEDANCE_DAILY_CREDIT_LIMIT -ErrorAction SilentlyContinue
        }

        # Nothing lost: with the setting fixed, the row is resubmitted.
        ($task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1).Status | Should -Be 'Success'
    }

    It 'a resubmission over -MaxCredits is refused (BudgetExceeded), the failed task is reported, and nothing is lost' {
        $task = [pscustomobject]@{ Name = 'ant'; Prompt = (New-RetryPrompt '#fail:500 #failfirst:1') } | New-SeedanceTask
        $null = $task | Wait-SeedanceTask -RetryFailed 2 -MaxCredits 100 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue

        Get-Created | Should -Be 1
        @($errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Be @('BudgetExceeded', 'TaskFailed')
        $errors[1].TargetObject.TaskId | Should -Be $task.TaskId

        # Nothing lost: the row can still be resubmitted later, within budget.
        $done = $task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1
        $done.Status | Should -Be 'Success'
        Get-Created | Should -Be 2
    }

    It 'a failed task whose journaled request holds the API key (a journal of an older version) is not resubmitted: RequestContainsApiKey, nothing sent, the key in no error' {
        $key = Get-TestApiKey
        $task = [pscustomobject]@{ Name = 'koi'; Prompt = (New-RetryPrompt 'KEYSLOT #fail:500 #failfirst:1') } | New-SeedanceTask
        # Versions before the key check journaled such a request as it was given.
        $text = [IO.File]::ReadAllText($env:SEEDANCE_JOURNAL_PATH)
        $text | Should -Match 'KEYSLOT'
        [IO.File]::WriteAllText($env:SEEDANCE_JOURNAL_PATH, $text.Replace('KEYSLOT', $key))

        $out = @($task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $out | Should -HaveCount 0
        Get-Created | Should -Be 1 -Because 'the resubmission was refused before anything was sent'
        @($errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Be @('RequestContainsApiKey', 'TaskFailed')
        $errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        foreach ($e in $errors) { Assert-KeyAbsent $e $key }
    }

    It 'a failed task whose request is not known cannot be resubmitted: ResubmitRequestUnknown, and the task is still reported' {
        $env:SEEDANCE_JOURNAL_PATH = 'off'
        $task = New-SeedanceTask (New-RetryPrompt '#fail:500 #failfirst:1') -WarningAction SilentlyContinue
        $null = $task | Wait-SeedanceTask -RetryFailed 2 -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        Get-Created | Should -Be 1
        @($errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Be @('ResubmitRequestUnknown', 'TaskFailed')
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject.TaskId | Should -Be $task.TaskId
    }
}
