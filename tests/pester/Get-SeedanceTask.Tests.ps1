#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceTask against the emulator: by id, many ids (input order), by property name, unknown ids, demo tasks.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Get-SeedanceTask' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'gets a task by id with what recordInfo reports' {
        $created = New-SeedanceTask 'get me' -Duration 4
        $task = Get-SeedanceTask -TaskId $created.TaskId

        $task | Should -HaveCount 1
        $task.GetType().FullName | Should -Be 'Seedance.Client.Models.SeedanceTask'
        $task.TaskId | Should -Be $created.TaskId
        $task.Model | Should -Be 'seedance-20'
        $task.Status | Should -BeIn @('Waiting', 'Generating', 'Success')
        $task.CreditsUsed | Should -Be 160
        $task.CreatedAt | Should -Not -BeNullOrEmpty
        (Get-EmulatorStats -Emulator $script:Emulator).recordInfoByTask.($created.TaskId) | Should -Be 1
    }

    It 'accepts the id positionally and through the -Id alias' {
        (Get-SeedanceTask 'demo_task_t2v_success').TaskId | Should -Be 'demo_task_t2v_success'
        (Get-SeedanceTask -Id 'demo_task_i2v_success').TaskId | Should -Be 'demo_task_i2v_success'
    }

    It 'keeps unknown fields the service sends' {
        $task = Get-SeedanceTask 'demo_task_t2v_success'
        $task.AdditionalFields.Keys | Should -Contain 'region'
        $task.AdditionalFields['region'] | Should -Match 'emulator'
    }

    It 'returns several ids in input order even when the first answer is the slowest' {
        $ids = 'demo_task_t2v_success', 'demo_task_fail_text_moderation', 'demo_task_i2v_success', 'demo_task_fail_face_detected', 'demo_task_fail_server_error'
        # The first recordInfo the emulator sees waits 800 ms: with concurrent lookups it finishes last.
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/recordInfo'; kind = 'slow'; delayMs = 800; count = 1 }

        $tasks = Get-SeedanceTask -TaskId $ids
        $tasks.TaskId | Should -Be $ids
        (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests | Should -Be 5
    }

    It 'keeps input order for piped ids too' {
        $ids = 'demo_task_fail_server_error', 'demo_task_t2v_success', 'demo_task_fail_face_detected'
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/recordInfo'; kind = 'slow'; delayMs = 600; count = 1 }
        ($ids | Get-SeedanceTask).TaskId | Should -Be $ids
    }

    It 'binds TaskId by property name from objects (the output of New-SeedanceTask, CSV rows)' {
        $created = 'by property one', 'by property two' | New-SeedanceTask
        $tasks = $created | Get-SeedanceTask
        $tasks.TaskId | Should -Be $created.TaskId

        $rows = @([pscustomobject]@{ TaskId = 'demo_task_i2v_success' }, [pscustomobject]@{ Id = 'demo_task_t2v_success' })
        ($rows | Get-SeedanceTask).TaskId | Should -Be @('demo_task_i2v_success', 'demo_task_t2v_success')
    }

    It 'writes a non-terminating TaskNotFound error for an unknown id and still returns the others' {
        $tasks = Get-SeedanceTask -TaskId 'demo_task_t2v_success', 'task_does_not_exist', 'demo_task_i2v_success' -ErrorVariable errors -ErrorAction SilentlyContinue

        $tasks.TaskId | Should -Be @('demo_task_t2v_success', 'demo_task_i2v_success')
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'task_does_not_exist'
    }

    It 'does not stop the script on an unknown id (non-terminating)' {
        $after = $false
        Get-SeedanceTask 'task_missing_again' -ErrorAction SilentlyContinue
        $after = $true
        $after | Should -BeTrue
        { Get-SeedanceTask 'task_missing_again' -ErrorAction Stop } | Should -Throw -ErrorId 'TaskNotFound,*'
    }

    It 'gives one line per unknown id, the base-URI advice once per command (issue 18)' {
        $null = Get-SeedanceTask 'task_nope_1', 'task_nope_2', 'task_nope_3' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 3
        foreach ($e in $errors) {
            $e.FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
            "Get-SeedanceTask: $($e.ErrorDetails.Message)".Length | Should -BeLessOrEqual 80 -Because $e.ErrorDetails.Message
            $e.Exception.Message | Should -Match '404'   # the service's own words stay on the exception
        }
        $errors[0].ErrorDetails.Message | Should -Be 'No task with id task_nope_1 (404).'
        @($errors | Where-Object { $_.ErrorDetails.RecommendedAction }) | Should -HaveCount 1
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'Set-SeedanceConfiguration -BaseUri'
    }

    It 'asks "did you mean -Name fox?" when the id is a Name the journal knows (issue 18)' {
        $null = New-SeedanceTask 'a named fox' -Name 'fox-by-name' -Duration 4
        $null = Get-SeedanceTask 'fox-by-name' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
        $errors[0].ErrorDetails.Message | Should -Be 'No task with id fox-by-name (404). Did you mean -Name fox-by-name?'
    }

    It '<Command> -TaskId also gives one line per unknown id, the advice once, and "did you mean -Name fox?" (issue 18)' -ForEach @(
        @{ Command = 'Wait-SeedanceTask'; Name = 'cat-w' }
        @{ Command = 'Save-SeedanceVideo'; Name = 'cat-s' }
    ) {
        $null = New-SeedanceTask 'a named cat' -Name $Name -Duration 4
        $ids = 'task_gone_1', $Name, 'task_gone_2'
        if ($Command -eq 'Wait-SeedanceTask') { $null = Wait-SeedanceTask -TaskId $ids -PollInterval 0.1 -ErrorVariable errors -ErrorAction SilentlyContinue }
        else { $null = Save-SeedanceVideo -TaskId $ids -Path (New-TestFolder -Prefix 'seedance-notfound') -ErrorVariable errors -ErrorAction SilentlyContinue }
        $errors | Should -HaveCount 3
        foreach ($e in $errors) {
            $e.FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
            "$($Command): $($e.ErrorDetails.Message)".Length | Should -BeLessOrEqual 80 -Because $e.ErrorDetails.Message
        }
        @($errors | Where-Object { $_.ErrorDetails.RecommendedAction }) | Should -HaveCount 1
        @($errors.ErrorDetails.Message) | Should -Contain "No task with id $Name (404). Did you mean -Name $($Name)?"
        @($errors.ErrorDetails.Message) | Should -Contain 'No task with id task_gone_1 (404).'
    }

    It 'never echoes the API key held in a task id (as it is, in upper case, percent-encoded three times, JSON-escaped): in no text of the error' {
        $cases = @(Get-KeyCarryingTaskId)
        $null = Get-SeedanceTask -TaskId $cases.TaskId -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount $cases.Count
        $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'TaskNotFound,*' }
        @($errors.ErrorDetails.Message) | Should -Contain 'No task with id task_*** (404).'
        foreach ($e in $errors) { Assert-KeyAbsent $e $cases.Shown }
    }

    It 'never echoes the stored key either when SEEDANCE_API_KEY is the one in use (an old key typed into a task id)' {
        # A process of its own: the stored key is read once per process.
        $config = New-TestFolder -Prefix 'seedance-storedkey'
        $stored = 'sk-stored-' + [guid]::NewGuid().ToString('N')
        $store = Invoke-ChildPwsh -Environment @{ XDG_CONFIG_HOME = $config; SEEDANCE_API_KEY = $null } -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Set-SeedanceApiKey -PlainTextApiKey '$stored' -Scope CurrentUser
"@
        $store.ExitCode | Should -Be 0 -Because $store.StdErr
        $result = Invoke-ChildPwsh -Environment @{ XDG_CONFIG_HOME = $config; SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri } -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Import-Module '$(Join-Path $PSScriptRoot 'TestHelpers.psm1')'
`$null = Get-SeedanceTask -TaskId 'task_$stored' -ErrorVariable errors -ErrorAction SilentlyContinue
`$errors[0].FullyQualifiedErrorId
Get-ErrorRecordText `$errors[0]
"@
        Remove-Item -LiteralPath $config -Recurse -Force -ErrorAction SilentlyContinue
        $result.StdOut | Should -Match 'TaskNotFound,'
        $result.StdOut | Should -Match ([regex]::Escape('task_***'))
        $result.StdOut + $result.StdErr | Should -Not -Match ([regex]::Escape($stored))
    }

    It 'lists a journaled task with every field the live task had: Seed, LastFrameImage, CompletedAt (issue 18)' {
        $live = New-SeedanceTask 'a journaled fox' -Name 'fox-fields' -Duration 4 | Wait-SeedanceTask -PollInterval 0.1
        $live.Seed | Should -Not -BeNullOrEmpty
        $listed = Get-SeedanceTask -Name 'fox-fields'
        $listed | Should -HaveCount 1
        foreach ($property in 'TaskId', 'Name', 'Prompt', 'Seed', 'LastFrameImage', 'CompletedAt', 'VideoUrl', 'Width', 'Height', 'CreditsUsed', 'Status') {
            $listed.$property | Should -Be $live.$property -Because "the journal saw $property"
        }
    }

    It '-Name <Tab> completes the Names the journal knows, unquoted (issue 18)' {
        $null = New-SeedanceTask 'a completed cat' -Name 'cat-complete' -Duration 4
        $matches = (TabExpansion2 'Get-SeedanceTask -Name cat-comp').CompletionMatches
        @($matches.CompletionText) | Should -Be @('cat-complete')
        $matches[0].ToolTip | Should -Match 'a completed cat'
    }

    It 'refuses an empty id without a request' {
        $out = Get-SeedanceTask -TaskId ' ' -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EmptyTaskId,*'
        (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests | Should -Be 0
    }

    Context 'the demo tasks' {
        It '<TaskId> is <Status><Because>' -ForEach @(
            @{ TaskId = 'demo_task_t2v_success'; Status = 'Success'; Code = $null; Width = 1280; Height = 720; Because = '' }
            @{ TaskId = 'demo_task_i2v_success'; Status = 'Success'; Code = $null; Width = 720; Height = 1280; Because = '' }
            @{ TaskId = 'demo_task_fail_text_moderation'; Status = 'Fail'; Code = '2038'; Because = ' with code 2038' }
            @{ TaskId = 'demo_task_fail_face_detected'; Status = 'Fail'; Code = 'face_detected'; Because = ' with code face_detected' }
            @{ TaskId = 'demo_task_fail_server_error'; Status = 'Fail'; Code = '500'; Because = ' with code 500' }
        ) {
            $task = Get-SeedanceTask -TaskId $TaskId
            $task.Status | Should -Be $Status
            $task.IsFinished | Should -BeTrue
            if ($Status -eq 'Success') {
                $task.Videos | Should -HaveCount 1
                $task.Videos[0].Url | Should -BeLike "$($script:Emulator.FilesBaseUri)/*"
                $task.Videos[0].Width | Should -Be $Width
                $task.Videos[0].Height | Should -Be $Height
                $task.Error | Should -BeNullOrEmpty
            }
            else {
                $task.Videos | Should -HaveCount 0
                $task.Error.Code | Should -Be $Code
                $task.Error.Message | Should -Not -BeNullOrEmpty
            }
        }

        It 'keeps a null completeTime on the server-error failure' {
            (Get-SeedanceTask 'demo_task_fail_server_error').CompletedAt | Should -BeNullOrEmpty
        }
    }
}
