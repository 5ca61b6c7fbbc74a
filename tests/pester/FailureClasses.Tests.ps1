#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Failures by class in a batch (issue 16): a re-run does not create again a row whose last task failed for an input or
# moderation reason with an unchanged request (FailedBefore, a non-terminating error for that row only); a changed
# prompt or -Force creates it; a transient failure is created again. Counts come from the emulator's stats.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.2
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function Use-NewJournal {
        $folder = New-TestFolder -Prefix 'seedance-failures'
        $script:Folders.Add($folder)
        $env:SEEDANCE_JOURNAL_PATH = Join-Path $folder 'journal.jsonl'
    }

    function Get-Created { (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated }

    function Invoke-Rows([object[]] $Rows, [switch] $Force) {
        # The README's batch line: create, wait, all rows, errors collected (not ending the run).
        $errors = $null
        $tasks = @($Rows | New-SeedanceTask -Force:$Force -ErrorVariable +errors -ErrorAction SilentlyContinue |
            Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable +errors -ErrorAction SilentlyContinue)
        [pscustomobject]@{ Tasks = $tasks; Errors = @($errors) }
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'A re-run and a row that failed before' {
    BeforeEach {
        Use-NewJournal
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    It 'does not create again an unchanged row whose task failed for <Why> (<Directive>): FailedBefore names the reason; the other rows go on' -ForEach @(
        @{ Why = 'an input reason'; Directive = '#fail:2038'; Class = 'input failure'; Words = 'violates platform rules' }
        @{ Why = 'output moderation'; Directive = '#fail:1001.review'; Class = 'output moderation failure'; Words = 'did not pass review' }
    ) {
        $rows = @(
            [pscustomobject]@{ Name = 'bad'; Prompt = "a doomed row $Directive" }
            [pscustomobject]@{ Name = 'good'; Prompt = 'a fine row' }
        )
        $first = Invoke-Rows $rows
        $first.Tasks.Name | Should -Be @('good')
        Get-Created | Should -Be 2

        $second = Invoke-Rows ($rows + [pscustomobject]@{ Name = 'later'; Prompt = 'a row after it' })

        Get-Created | Should -Be 3 -Because 'only the new row is created; the failed one would fail again, the good one exists'
        @($second.Tasks.Name | Sort-Object) | Should -Be @('good', 'later')
        $second.Errors | Should -HaveCount 1
        $record = $second.Errors[0]
        $record.FullyQualifiedErrorId | Should -BeLike 'FailedBefore,*'
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.TargetObject.Name | Should -Be 'bad'
        "$record" | Should -Match "row 'bad' failed before"
        "$record" | Should -Match $Class
        "$record" | Should -Match $Words
        $record.ErrorDetails.RecommendedAction | Should -Match '-Force'
    }

    It 'creates the row again when its prompt changed, or with -Force' {
        $null = Invoke-Rows @([pscustomobject]@{ Name = 'row'; Prompt = 'words the service refuses #fail:2038' })
        Get-Created | Should -Be 1

        $changed = Invoke-Rows @([pscustomobject]@{ Name = 'row'; Prompt = 'calmer words' })
        $changed.Tasks.Name | Should -Be 'row'
        Get-Created | Should -Be 2

        $null = Invoke-Rows @([pscustomobject]@{ Name = 'again'; Prompt = 'refused #fail:2038' })
        $forced = Invoke-Rows @([pscustomobject]@{ Name = 'again'; Prompt = 'refused #fail:2038' }) -Force
        Get-Created | Should -Be 4 -Because '-Force sends it unchanged on purpose'
        $forced.Errors.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
    }

    It 'creates an unchanged row again when its task failed for a transient reason (#fail:500)' {
        $row = [pscustomobject]@{ Name = 'flaky'; Prompt = 'the service hiccups #fail:500' }
        $null = Invoke-Rows @($row)
        # -WhatIf's line goes to the host, not to a stream: a transcript catches it.
        $transcript = Join-Path (New-TestFolder -Prefix 'seedance-whatif') 'whatif.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try { $row | New-SeedanceTask -WhatIf } finally { $null = Stop-Transcript }
        $said = Get-Content -LiteralPath $transcript -Raw
        Remove-Item -LiteralPath (Split-Path $transcript) -Recurse -Force
        $said | Should -Match "row 'flaky' failed before \(task_\w+, Transient: error 500: .*\), and this creates it again" -Because '-WhatIf says why the row is created again (it said: no task in the journal yet)'
        $again = Invoke-Rows @($row)
        Get-Created | Should -Be 2
        $again.Errors.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
    }

    It '-WhatIf says the row failed before, and sends nothing' {
        $row = [pscustomobject]@{ Name = 'whatif'; Prompt = 'refused words #fail:2038' }
        $null = Invoke-Rows @($row)
        $null = $row | New-SeedanceTask -WhatIf -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.FullyQualifiedErrorId | Should -BeLike 'FailedBefore,*'
        Get-Created | Should -Be 1
    }
}

Describe 'A row the journal refuses never ends the run (issue 16)' {
    BeforeEach {
        Use-NewJournal
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    AfterEach { Clear-EmulatorFault -Emulator $script:Emulator }

    It 'under $ErrorActionPreference = ''Stop'' the rows after an uncertain and a failed-before row are created, waited for and saved; the refusals come at the end' {
        # An uncertain row (its answer lost) and a row whose task failed for an input reason.
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'drop'; process = $true; count = 1 }
        try { $null = [pscustomobject]@{ Name = 'lost'; Prompt = 'an answer that never comes' } | New-SeedanceTask -ErrorAction Stop -WarningAction SilentlyContinue } catch { }
        $null = Invoke-Rows @([pscustomobject]@{ Name = 'bad'; Prompt = 'refused words #fail:2038' })
        $before = Get-Created
        $folder = New-TestFolder -Prefix 'seedance-failures-stop'
        $script:Folders.Add($folder)
        $rows = @(
            [pscustomobject]@{ Name = 'lost'; Prompt = 'an answer that never comes' }
            [pscustomobject]@{ Name = 'after-1'; Prompt = 'a row after the uncertain one' }
            [pscustomobject]@{ Name = 'bad'; Prompt = 'refused words #fail:2038' }
            [pscustomobject]@{ Name = 'after-2'; Prompt = 'a row after the failed one' }
        )

        $caught = $null
        $ErrorActionPreference = 'Stop'
        try { $rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder } catch { $caught = $_ }
        $ErrorActionPreference = 'Continue'

        Get-Created | Should -Be ($before + 2) -Because 'the rows after the refused ones are still created'
        @(Get-ChildItem -LiteralPath $folder -Filter *.mp4).Name | Sort-Object | Should -Be @('after-1.mp4', 'after-2.mp4') -Because 'and waited for and saved'
        $caught | Should -Not -BeNullOrEmpty -Because 'Stop still stops, at the end'
        $caught.FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'
        $caught.TargetObject.Name | Should -Be 'lost'
    }

    It 'otherwise each refused row is one non-terminating error, written once at the end of New-SeedanceTask, after the rows that follow it' {
        $null = Invoke-Rows @([pscustomobject]@{ Name = 'bad'; Prompt = 'refused words #fail:2038' })
        $rows = @(
            [pscustomobject]@{ Name = 'bad'; Prompt = 'refused words #fail:2038' }
            [pscustomobject]@{ Name = 'after'; Prompt = 'a row after it' }
        )
        $stream = @($rows | New-SeedanceTask -ErrorVariable refused -ErrorAction Continue 2>&1)
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'FailedBefore,*'
        $stream | Should -HaveCount 2
        $stream[0] | Should -BeOfType ([Seedance.Client.Models.SeedanceTask]) -Because 'the row after the refused one comes first'
        $stream[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
    }
}

Describe 'A row with a local file is the same row on a re-run (issue 16: the upload URL differs on every run)' {
    # The journaled request holds the URL the file was uploaded to, new on each run; the journal also keeps the file's
    # path and SHA-256, and a row's materials are compared by those.
    BeforeEach {
        Use-NewJournal
        Reset-EmulatorStats -Emulator $script:Emulator
        $script:Media = New-TestFolder -Prefix 'seedance-failures-media'
        $script:Folders.Add($script:Media)
        $script:Cat = New-MediaFile -Path (Join-Path $script:Media 'cat.png') -Format png -Length 5000
    }

    It 'an unchanged row with a local image whose task failed for an input reason is not created again; a changed file creates it' {
        $row = [pscustomobject]@{ Name = 'cat'; Prompt = 'a cat the service refuses #fail:2038'; Image = $script:Cat.FullName }
        $null = Invoke-Rows @($row)
        Get-Created | Should -Be 1

        $second = Invoke-Rows @($row)
        Get-Created | Should -Be 1 -Because 'the file and the prompt are unchanged, so it would fail again'
        $second.Errors | Should -HaveCount 1
        $second.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FailedBefore,*'

        $null = New-MediaFile -Path $script:Cat.FullName -Format png -Length 5000 -Seed 7
        $changed = Invoke-Rows @($row)
        Get-Created | Should -Be 2 -Because 'a changed file is a changed request'
        $changed.Errors.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
    }

    It 'a named row with an unchanged local image uses its task without saying it differs' {
        $row = [pscustomobject]@{ Name = 'calm'; Prompt = 'a calm cat'; Image = $script:Cat.FullName }
        $null = Invoke-Rows @($row)
        $null = $row | New-SeedanceTask -WarningVariable warned -WarningAction SilentlyContinue
        Get-Created | Should -Be 1
        @($warned | Where-Object { "$_" -match 'differs from the request' }) | Should -HaveCount 0
    }

    It 'an unnamed row with an unchanged local image sent again is announced' {
        $row = [pscustomobject]@{ Prompt = 'an unnamed cat'; Image = $script:Cat.FullName }
        $null = $row | New-SeedanceTask
        $null = $row | New-SeedanceTask -WarningVariable warned -WarningAction SilentlyContinue
        Get-Created | Should -Be 2
        @($warned | Where-Object { "$_" -match '^1 row matches a task created' }) | Should -HaveCount 1
    }
}
