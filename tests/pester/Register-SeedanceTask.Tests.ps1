#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Register-SeedanceTask (issue 16): a task found in the account's history is tied to the create whose answer was lost,
# and from then on -Pending, a re-run of the row and Save-SeedanceVideo treat it as that row's task. Counts come from
# the emulator's stats; the lost answer is the emulator's 'drop' fault (the service made the task, the answer never came).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.2
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:SandboxJournal = $env:SEEDANCE_JOURNAL_PATH
    $script:CreatePath = '/api/v1/jobs/createTask'
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-Folder {
        $folder = New-TestFolder -Prefix 'seedance-register'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-Stats { Get-EmulatorStats -Emulator $script:Emulator }

    function New-LostCreate([string] $Prompt, [string] $Name) {
        # The service makes the task and the answer is lost: an uncertain create in the journal, and the id only the service knows.
        Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
        $parameters = @{ Prompt = $Prompt }
        if ($Name) { $parameters.Name = $Name }
        { New-SeedanceTask @parameters -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'CreateOutcomeUnknown,*'
        @(Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.request.inputs.prompt -eq $Prompt }).taskId | Select-Object -Last 1
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Register-SeedanceTask' {
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        $env:SEEDANCE_JOURNAL_PATH = Join-Path (New-Folder) 'journal.jsonl'
    }

    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        Clear-SeedanceSession
        $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
    }

    It 'ties the found task to the row: -Pending lists it under the Name, a re-run uses it, Save names the file after the row' {
        $found = New-LostCreate -Prompt 'a fox found later' -Name 'lost-row'
        $found | Should -Match '^task_'
        $null = New-SeedanceTask -Prompt 'a fox found later' -Name 'lost-row' -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'Register-SeedanceTask -TaskId <id> -Name ''lost-row'''

        $registered = Get-SeedanceTask -Status OutcomeUnknown -Name 'lost-row' | Register-SeedanceTask -TaskId $found

        $registered.TaskId | Should -Be $found
        $registered.Name | Should -Be 'lost-row'
        $registered.Prompt | Should -Be 'a fox found later'
        @(Get-SeedanceTask -Status OutcomeUnknown) | Should -BeNullOrEmpty -Because 'the create has its answer now'
        $pending = @(Get-SeedanceTask -Pending)
        $pending | Should -HaveCount 1
        $pending[0] | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
        $pending[0].TaskId | Should -Be $found
        $pending[0].Name | Should -Be 'lost-row'

        $before = (Get-Stats).createRequests
        $again = New-SeedanceTask -Prompt 'a fox found later' -Name 'lost-row' -WarningAction SilentlyContinue
        $again.TaskId | Should -Be $found -Because 'the row has its task now'
        (Get-Stats).createRequests | Should -Be $before -Because 'nothing is created for it'

        $folder = New-Folder
        $file = Get-SeedanceTask -Pending | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder
        $file.Name | Should -Be 'lost-row.mp4'
        @(Get-SeedanceTask -Pending) | Should -BeNullOrEmpty
    }

    It 'a journal deleted after the lost create: this session''s records are written back, said once, and the tie is made' {
        $found = New-LostCreate -Prompt 'a fox before the journal went' -Name 'lost-before-delete'
        Remove-Item -LiteralPath $env:SEEDANCE_JOURNAL_PATH

        $registered = Register-SeedanceTask -TaskId $found -Name 'lost-before-delete' -WarningVariable said -WarningAction SilentlyContinue

        $registered.TaskId | Should -Be $found
        @($said | Where-Object { "$_" -like '*was deleted or replaced while this process was using it*' }) | Should -HaveCount 1
        $pending = @(Get-SeedanceTask -Pending)
        ($pending.TaskId, $pending.Name) | Should -Be @($found, 'lost-before-delete')
    }

    It 'binds an unnamed uncertain create by its IntentId; typed, -Name picks the row''s one uncertain create' {
        $unnamed = New-LostCreate -Prompt 'a whale without a name'
        $listed = @(Get-SeedanceTask -Status OutcomeUnknown)
        $listed | Should -HaveCount 1
        ($listed | Register-SeedanceTask -TaskId $unnamed).TaskId | Should -Be $unnamed
        @(Get-SeedanceTask -Status OutcomeUnknown) | Should -BeNullOrEmpty

        $named = New-LostCreate -Prompt 'an owl' -Name 'owl-row'
        (Register-SeedanceTask -TaskId $named -Name 'OWL-ROW').Name | Should -Be 'owl-row' -Because 'Names match ignoring case, as New-SeedanceTask matches them'
    }

    It 'refuses, writing nothing: an id the service does not know, a Name without an uncertain create, a task already another row''s; -WhatIf asks nothing' {
        $found = New-LostCreate -Prompt 'a heron' -Name 'heron-row'
        $journal = $env:SEEDANCE_JOURNAL_PATH
        $lines = @(Get-Content -LiteralPath $journal).Count

        $null = Register-SeedanceTask -TaskId 'task_not_there' -Name 'heron-row' -ErrorVariable unknown -ErrorAction SilentlyContinue
        $unknown[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
        $null = Register-SeedanceTask -TaskId $found -Name 'no-such-row' -ErrorVariable none -ErrorAction SilentlyContinue
        $none[0].FullyQualifiedErrorId | Should -BeLike 'NoUncertainCreate,*'
        $none[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $reads = (Get-Stats).recordInfoRequests
        $null = Register-SeedanceTask -TaskId $found -Name 'heron-row' -WhatIf
        (Get-Stats).recordInfoRequests | Should -Be $reads -Because '-WhatIf only reads the journal'
        @(Get-Content -LiteralPath $journal).Count | Should -Be $lines -Because 'nothing was written'
        @(Get-SeedanceTask -Status OutcomeUnknown).Name | Should -Be 'heron-row'

        $null = Register-SeedanceTask -TaskId $found -Name 'heron-row'
        (Register-SeedanceTask -TaskId $found -Name 'heron-row').TaskId | Should -Be $found -Because 'the same tie again changes nothing'
        $null = New-LostCreate -Prompt 'a stork' -Name 'stork-row'
        $null = Register-SeedanceTask -TaskId $found -Name 'stork-row' -ErrorVariable taken -ErrorAction SilentlyContinue
        $taken[0].FullyQualifiedErrorId | Should -BeLike 'TaskAlreadyRegistered,*'
        "$($taken[0])" | Should -Match "row 'heron-row'"
        @(Get-SeedanceTask -Status OutcomeUnknown).Name | Should -Be 'stork-row'
    }
    It 'never echoes the API key held in a task id (as it is, in upper case, percent-encoded three times, JSON-escaped): in no text of the error' {
        $null = New-LostCreate -Prompt 'a crane' -Name 'crane-row'
        $cases = @(Get-KeyCarryingTaskId)
        foreach ($case in $cases) {
            # The service is asked and does not know it; and a Name with no uncertain create is refused before asking.
            $null = Register-SeedanceTask -TaskId $case.TaskId -Name 'crane-row' -ErrorVariable unknown -ErrorAction SilentlyContinue
            $unknown | Should -HaveCount 1
            $unknown[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFound,*'
            $unknown[0].ErrorDetails.Message | Should -Match ([regex]::Escape('task_***'))
            $null = Register-SeedanceTask -TaskId $case.TaskId -Name 'no-such-row' -ErrorVariable none -ErrorAction SilentlyContinue
            $none | Should -HaveCount 1
            $none[0].FullyQualifiedErrorId | Should -BeLike 'NoUncertainCreate,*'
            foreach ($e in @($unknown) + @($none)) { Assert-KeyAbsent $e $cases.Shown }
        }
        @(Get-SeedanceTask -Status OutcomeUnknown).Name | Should -Be 'crane-row' -Because 'nothing was tied'
    }

    It 'refuses a task the service made with another model than the create asked for (TaskDoesNotMatchCreate); -Force records it' {
        # Another task of the account, not in this journal (made by another journal): tied to the row, its video would be
        # saved as the row's file and the create's own paid task would drop out of every list.
        $journal = $env:SEEDANCE_JOURNAL_PATH
        $env:SEEDANCE_JOURNAL_PATH = Join-Path (New-Folder) 'elsewhere.jsonl'
        $other = (New-SeedanceTask -Prompt 'a kite on another model' -Model seedance2-fast).TaskId
        $env:SEEDANCE_JOURNAL_PATH = $journal
        $null = New-LostCreate -Prompt 'a kite' -Name 'kite-row'
        $lines = @(Get-Content -LiteralPath $journal).Count

        $null = Register-SeedanceTask -TaskId $other -Name 'kite-row' -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused[0].FullyQualifiedErrorId | Should -BeLike 'TaskDoesNotMatchCreate,*'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $refused[0].TargetObject | Should -Be $other
        "$($refused[0])" | Should -Match "model 'seedance2-fast'"
        @(Get-Content -LiteralPath $journal).Count | Should -Be $lines -Because 'nothing was written'
        @(Get-SeedanceTask -Status OutcomeUnknown).Name | Should -Be 'kite-row'

        (Register-SeedanceTask -TaskId $other -Name 'kite-row' -Force -WarningVariable told -WarningAction SilentlyContinue).TaskId | Should -Be $other
        "$told" | Should -Match 'because of -Force'
    }
}
