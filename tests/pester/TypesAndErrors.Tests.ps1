#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The public types load normally, so type literals resolve in scripts and param() blocks, and failures are exceptions
# that catch [...] can name (task failed, wait timeout, create outcome unknown). And the errors a newcomer meets say
# what to do: a 404 on create (a wrong base URI), saving a failed task, an outcome-unknown create, and a plain string
# given to Set-SeedanceApiKey.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-types'
    $script:CreatePath = '/api/v1/jobs/createTask'
    function Get-Stats { Get-EmulatorStats -Emulator $script:Emulator }
}

AfterAll {
    Clear-SeedanceSession
    Exit-TestSandbox $script:Sandbox
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe 'Type literals' {
    It 'resolve right after Import-Module, in a fresh process, before any cmdlet ran' {
        $result = Invoke-ChildPwsh -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
"TASK=$([Seedance.Client.Models.SeedanceTask].FullName)"
"FAILED=$([Seedance.Client.TaskFailedException].FullName)"
"TIMEOUT=$([Seedance.Client.WaitTimeoutException].FullName)"
"UNKNOWN=$([Seedance.Client.CreateOutcomeUnknownException].FullName)"
"STATUS=$([Seedance.Client.Models.SeedanceTaskStatus]::Success)"
"CONTEXT=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Seedance.Client.Models.SeedanceTask].Assembly).Name)"
'@
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $result.StdOut | Should -Match 'TASK=Seedance\.Client\.Models\.SeedanceTask'
        $result.StdOut | Should -Match 'FAILED=Seedance\.Client\.TaskFailedException'
        $result.StdOut | Should -Match 'TIMEOUT=Seedance\.Client\.WaitTimeoutException'
        $result.StdOut | Should -Match 'UNKNOWN=Seedance\.Client\.CreateOutcomeUnknownException'
        $result.StdOut | Should -Match 'STATUS=Success'
        $result.StdOut | Should -Match 'CONTEXT=Default'
    }

    It 'types a script''s param() block: a task object binds, a string does not' {
        $script = Join-Path $script:Folder 'Use-Task.ps1'
        Set-Content -LiteralPath $script -Value @'
param([Parameter(Mandatory, ValueFromPipeline)] [Seedance.Client.Models.SeedanceTask[]] $Task)
process { foreach ($t in $Task) { "$($t.TaskId) is $($t.Status)" } }
'@
        Get-SeedanceTask 'demo_task_t2v_success' | & $script | Should -Be 'demo_task_t2v_success is Success'
        { & $script -Task (Get-Date) } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,Use-Task.ps1'
        # A bare id converts (through the constructor) to a task known only by its id, as Wait-SeedanceTask -TaskId makes.
        & $script -Task 'task_by_id' | Should -Be 'task_by_id is Unknown'
    }

    It 'every task the cmdlets emit -is [Seedance.Client.Models.SeedanceTask]' {
        New-SeedanceTask 'typed' | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
        Get-SeedanceTask 'demo_task_i2v_success' | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
    }
}

Describe 'Typed exceptions: catch [...] names the failure' {
    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        Set-SeedanceConfiguration -Reset
    }

    It 'a failed task is a [Seedance.Client.TaskFailedException] carrying the task and its code' {
        $caught = $null
        try { Get-SeedanceTask 'demo_task_fail_text_moderation' | Wait-SeedanceTask -ErrorAction Stop }
        catch [Seedance.Client.TaskFailedException] { $caught = $_.Exception }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Task.TaskId | Should -Be 'demo_task_fail_text_moderation'
        $caught.ErrorCode | Should -Be '2038'
        $caught.IsSafeToResubmit | Should -BeFalse
        $caught.FailureClass | Should -Be 'Input'
        $caught.Task.FailureClass | Should -Be 'Input'
    }

    It 'a failure the service says is its own (500) says it is safe to resubmit' {
        Get-SeedanceTask 'demo_task_fail_server_error' | Wait-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception | Should -BeOfType ([Seedance.Client.TaskFailedException])
        $errors[0].Exception.IsSafeToResubmit | Should -BeTrue
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'sending the same request again is safe'
        $errors[0].TargetObject.FailureClass | Should -Be 'Transient'
        $errors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable' -Because 'a transient failure is the service being unavailable, not bad data'
    }

    It "the service's failure code <Code> cannot pick the module's own row: <Category>" -ForEach @(
        @{ Code = 'Transient'; Category = 'InvalidData' }
        @{ Code = 'NoCode'; Category = 'InvalidData' }
        @{ Code = 'InvalidParameter'; Category = 'InvalidArgument' }
    ) {
        # The error map refines TaskFailed by cause; the module's causes (Transient, NoCode) and the service's codes are
        # apart, so a code the service sends cannot make its failure look transient (attack 7, G1).
        New-SeedanceTask "a code named like a cause #fail:$Code" | Wait-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].Exception.ErrorCode | Should -Be $Code
        $errors[0].Exception.IsSafeToResubmit | Should -BeFalse
        $errors[0].CategoryInfo.Category | Should -Be $Category
    }

    It 'a task still running at -Timeout is a [Seedance.Client.WaitTimeoutException] carrying the task' {
        $running = New-SeedanceTask 'a slow fox #duration:30'
        $caught = $null
        try { $running | Wait-SeedanceTask -Timeout 0 -ErrorAction Stop }
        catch [Seedance.Client.WaitTimeoutException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $caught.Exception.Task.TaskId | Should -Be $running.TaskId
        $caught.TargetObject.TaskId | Should -Be $running.TaskId
    }

    It 'a create whose answer was lost is a [Seedance.Client.CreateOutcomeUnknownException] carrying the request' {
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
        $caught = $null
        try { New-SeedanceTask 'answer lost' -Duration 4 }
        catch [Seedance.Client.CreateOutcomeUnknownException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Request.Prompt | Should -Be 'answer lost'
    }
}

Describe 'Errors a newcomer meets say what to do' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        Set-SeedanceConfiguration -Reset
    }

    It 'a 404 on create (a wrong base URI) is one terminating error that says to check the base URI, with the URL' {
        $wrong = $script:Emulator.ApiBaseUri.TrimEnd('/') -replace '/api/v1$', '/v1'
        Set-SeedanceConfiguration -BaseUri $wrong
        $caught = $null
        try { 'one', 'two' | New-SeedanceTask } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'ApiEndpointNotFound,*'
        $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $message = "$caught"
        $message | Should -Match ([regex]::Escape("$wrong/jobs/createTask"))
        $message | Should -Match 'base URI is probably wrong'
        $message | Should -Match 'Get-SeedanceConfiguration'
        $message | Should -Match 'Set-SeedanceConfiguration -BaseUri'
        $message | Should -Match 'Nothing was created'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Get-SeedanceConfiguration'
        (Get-Stats).tasksCreated | Should -Be 0
    }

    It 'saving a failed task shows the failure and suggests resubmitting' {
        Get-SeedanceTask 'demo_task_fail_text_moderation' | Save-SeedanceVideo -Path $script:Folder -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotSucceeded,*'
        $message = "$($errors[0])"
        $message | Should -Match 'it failed \(error 2038: Your input text violates platform rules\. Please modify and try again\.\)'
        $message | Should -Match 'Resubmit it with New-SeedanceTask'
        $errors[0].Exception | Should -BeOfType ([Seedance.Client.TaskFailedException])
        @(Get-ChildItem -LiteralPath $script:Folder -Filter *.mp4) | Should -HaveCount 0
    }

    It 'an error about one task names the task, and an error about one row names the row (ForRow)' {
        Get-SeedanceTask -TaskId 'task_never_made' -ErrorVariable aboutTask -ErrorAction SilentlyContinue
        $aboutTask | Should -HaveCount 1
        "$($aboutTask[0])" | Should -Match 'task_never_made'
        Push-Location -LiteralPath $script:Folder
        try { $null = New-SeedanceTask -Prompt 'a fox in the snow' -Image './no-such.png' -Name 'row-x' -ErrorVariable aboutRow -ErrorAction SilentlyContinue }
        finally { Pop-Location }
        $aboutRow[0].FullyQualifiedErrorId | Should -BeLike 'MaterialFileNotFound,*'
        "$($aboutRow[0])" | Should -Match "\(row 'row-x', prompt 'a fox in the snow'\)$"
    }

    It 'saving a task still running says to wait for it first' {
        $running = New-SeedanceTask 'still running #duration:30'
        $running | Save-SeedanceVideo -Path $script:Folder -ErrorVariable errors -ErrorAction SilentlyContinue
        "$($errors[0])" | Should -Match "Wait-SeedanceTask -TaskId $($running.TaskId) \| Save-SeedanceVideo"
    }

    It 'CreateOutcomeUnknown says how to check before resubmitting' {
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
        $caught = $null
        try { New-SeedanceTask 'did it get created?' -CallbackUri 'https://hooks.example.com/seedance' } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'CreateOutcomeUnknown,*'
        $message = "$caught"
        $message | Should -Match 'Before you submit it again, check whether it was created'
        $message | Should -Match 'task history'
        $message | Should -Match 'credit balance'
        $message | Should -Match 'POST the finished task to https://hooks\.example\.com/seedance'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Submit it again only if it is not there'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Get-SeedanceTask -Status OutcomeUnknown .*\| Register-SeedanceTask -TaskId <id>' -Because 'a create without a Name is picked from the list'
        (Get-Stats).createRequests | Should -Be 1

        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
        $caught = $null
        try { New-SeedanceTask 'a named create lost' -Name "lost's row" } catch { $caught = $_ }
        $caught.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Register-SeedanceTask -TaskId <id> -Name 'lost''s row'"))
    }

    It 'a plain string to Set-SeedanceApiKey (<How>) points at -PlainTextApiKey, never shows the key, sets nothing' -ForEach @(
        @{ How = 'positional'; Script = { param($k) Set-SeedanceApiKey $k -Scope Process } }
        @{ How = '-ApiKey'; Script = { param($k) Set-SeedanceApiKey -ApiKey $k } }
        @{ How = 'piped'; Script = { param($k) $k | Set-SeedanceApiKey -Scope Process -ErrorAction Stop } }
    ) {
        $key = 'sk-plain-' + [guid]::NewGuid().ToString('N')
        $caught = $null
        try { & $Script $key } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'ApiKeyNotSecureString,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -BeNullOrEmpty
        $text = "$caught"
        $text | Should -Match '-PlainTextApiKey'
        $text | Should -Match 'SecureString'
        ($caught | Format-List * -Force | Out-String -Width 300) | Should -Not -Match ([regex]::Escape($key))
        "$($caught.Exception)" | Should -Not -Match ([regex]::Escape($key))
        (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Environment'
        Test-Path -LiteralPath (Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey') | Should -BeFalse
    }
}

Describe 'The error map' {
    It 'gives every ErrorId of the reference''s table the category the reference documents' {
        # One table in SeedanceErrors maps each ErrorId to its category; the reference lists them for users. An id the
        # table does not hold must be a validation failure (all InvalidArgument) or one whose category depends on its cause.
        $map = (Get-Command New-SeedanceTask).ImplementingType.Assembly.GetType('Seedance.Commands.Infrastructure.SeedanceErrors', $true)
        $table = $map.GetField('Categories', [Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
        $lines = Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../docs/reference.md')
        $start = [array]::IndexOf($lines, '| ErrorId | category | when |')
        $start | Should -BeGreaterThan 0
        $rows = @($lines[($start + 2)..($lines.Count - 1)] | ForEach-Object -Begin { $inTable = $true } { $inTable = $inTable -and $_.StartsWith('|'); if ($inTable) { $_ } })
        $checked = 0
        foreach ($row in $rows) {
            $cells = $row.Trim('|') -split '\s*\|\s*'
            $ids = @([regex]::Matches(($cells[0] -replace '\([^)]*\)', ''), '`(\w+)`') | ForEach-Object { $_.Groups[1].Value })
            $categories = @($cells[1] -split ',(?![^(]*\))' | ForEach-Object { $_.Trim() })
            for ($i = 0; $i -lt $ids.Count; $i++) {
                $documented = if ($categories.Count -eq 1) { $categories[0] } else { $categories[$i] }
                if ($table.ContainsKey($ids[$i])) {
                    # "WriteError (ReadError, ResourceBusy)": the first by default, the others by cause.
                    "$($table[$ids[$i]])" | Should -BeIn @([regex]::Matches($documented, '[A-Z]\w+').Value) -Because "$($ids[$i]) is documented as $documented"
                    $checked++
                }
                elseif ($documented -notmatch '^by cause|/') {
                    $documented | Should -Be 'InvalidArgument' -Because "$($ids[$i]) is in no row of the error map's table, so it must be a validation failure"
                }
            }
        }

        $checked | Should -BeGreaterThan 50
    }

    It 'gives a journal failure the category of its reason: <Reason> is <Category>' -ForEach @(
        @{ Reason = 'CannotRead'; Category = 'ReadError' }
        @{ Reason = 'LockTimeout'; Category = 'ResourceBusy' }
        @{ Reason = 'LockingUnsupported'; Category = 'NotImplemented' }
        @{ Reason = 'CannotWrite'; Category = 'WriteError' }
        @{ Reason = 'Insecure'; Category = 'SecurityError' }
    ) {
        $map = (Get-Command New-SeedanceTask).ImplementingType.Assembly.GetType('Seedance.Commands.Infrastructure.SeedanceErrors', $true)
        $failure = [Seedance.Client.Journal.JournalException]::new($Reason, '/var/journal.jsonl', 'the journal failed', $null)
        $record = $map.GetMethod('FromException').Invoke($null, @($failure, $null))
        $record.CategoryInfo.Category | Should -Be $Category
        $record.TargetObject | Should -Be '/var/journal.jsonl'
        $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'has a category for every ErrorId the module names: each kind of SeedanceException, and each id a command gives Record, Create or BadSetting' {
        # An id missing from the table would be written as NotSpecified, which no script filters on: a defect this finds.
        $map = (Get-Command New-SeedanceTask).ImplementingType.Assembly.GetType('Seedance.Commands.Infrastructure.SeedanceErrors', $true)
        $table = $map.GetField('Categories', [Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
        $kinds = @([enum]::GetValues([Seedance.Client.SeedanceProblem]) | ForEach-Object { [Seedance.Client.SeedanceException]::new($_, 'a failure').ErrorId })
        $source = (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../src/Seedance') -Recurse -Filter *.cs | Get-Content -Raw) -join "`n"
        $given = @([regex]::Matches($source, 'SeedanceErrors\.(?:Record\((?:e|this|[^;]*?\)),|Create\(|BadSetting\()\s*"(\w+)"') | ForEach-Object { $_.Groups[1].Value })
        # A setting's ErrorId is declared with it in the client's settings table, which BadSetting reports.
        $settings = (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../src/Seedance.Client/Settings') -Recurse -Filter *.cs | Get-Content -Raw) -join "`n"
        $given += @([regex]::Matches($settings, 'errorId:\s*"(\w+)"') | ForEach-Object { $_.Groups[1].Value })
        $kinds.Count | Should -BeGreaterThan 30
        $given.Count | Should -BeGreaterThan 15
        foreach ($id in $kinds + $given) {
            $table.ContainsKey($id) -or $id -eq 'UploadFailed' | Should -BeTrue -Because "$id needs a row in the error map's table (UploadFailed takes its category from its cause)"
        }
    }
}
