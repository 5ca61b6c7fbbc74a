#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A create that another live process is waiting for a slot for, or is sending, is shown as WaitingForSlot or Sending in
# every process that reads the journal, never as OutcomeUnknown; it is not sent again (even with -Force) while that
# process lives, and becomes OutcomeUnknown once the process is gone without an answer (issue 16). The other process is
# a child pwsh; this one reads the same journal.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.2
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:SandboxJournal = $env:SEEDANCE_JOURNAL_PATH
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function Use-NewJournal {
        $folder = New-TestFolder -Prefix 'seedance-inflight'
        $script:Folders.Add($folder)
        $env:SEEDANCE_JOURNAL_PATH = Join-Path $folder 'journal.jsonl'
        $env:SEEDANCE_JOURNAL_PATH
    }

    # What a child pwsh needs to use this file's emulator, key, settings folder and the given journal.
    function Get-ChildEnvironment([string] $Journal) {
        @{
            SEEDANCE_API_KEY      = Get-TestApiKey
            SEEDANCE_BASE_URI     = $script:Emulator.ApiBaseUri
            XDG_CONFIG_HOME       = $script:Sandbox.ConfigDir
            SEEDANCE_JOURNAL_PATH = $Journal
        }
    }

    function Start-Creator([string] $Journal, [string] $Prompt, [string] $Name) {
        Start-ChildPwsh -Environment (Get-ChildEnvironment $Journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt '$Prompt' -Name '$Name' | ForEach-Object { 'created ' + `$_.TaskId }
"@
    }

    function Get-Listed([string] $Name) { @(Get-SeedanceTask -Name $Name) | Select-Object -First 1 }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'A create in flight in another live process' {
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 -Credits 1000000
    }

    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50
        Clear-SeedanceSession
        $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
    }

    It 'is Sending while its process waits for the answer: not OutcomeUnknown, not sent again even with -Force; OutcomeUnknown once the process is killed' {
        $journal = Use-NewJournal
        $child = Start-Creator -Journal $journal -Prompt 'a slow answer #answerdelay:30' -Name 'slow-row'
        try {
            Wait-Until { (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated -ge 1 } -TimeoutSeconds 60 | Should -BeTrue
            $listed = Get-Listed 'slow-row'
            $listed.Status | Should -Be 'Sending'
            ($listed | Format-Table | Out-String -Width 80) | Should -Match '\(no id\)\s+Sending\s' -Because 'the table does not call a create being sent uncertain'
            $listed.Reason | Should -Match "process $($child.Pid) "
            @(Get-SeedanceTask -Status OutcomeUnknown) | Should -BeNullOrEmpty
            @(Get-SeedanceTask -Status Sending).Name | Should -Be 'slow-row'
            $usage = Get-SeedanceUsage
            ($usage.InFlight, $usage.InFlightCredits, $usage.OutcomeUnknown, $usage.UncertainCredits, $usage.Tasks) | Should -Be @(1, 200, 0, 0, 0) -Because 'Usage decides in flight as -Pending does'

            $null = New-SeedanceTask -Prompt 'a slow answer #answerdelay:30' -Name 'slow-row' -Force -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'
            "$($refused[0])" | Should -Match "is being sent by process $($child.Pid)"
            "$($refused[0])" | Should -Not -Match 'outcome is unknown'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 1 -Because 'a create in flight is never sent twice'
        }
        finally {
            $child.Process.Kill()
            $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 20
        }

        (Get-Listed 'slow-row').Status | Should -Be 'OutcomeUnknown' -Because 'its process is gone without an answer'
        $usage = Get-SeedanceUsage
        ($usage.InFlight, $usage.OutcomeUnknown, $usage.UncertainCredits) | Should -Be @(0, 1, 200)
    }

    It 'is WaitingForSlot while its process waits for a free slot, and becomes the row''s task when it is sent' {
        $journal = Use-NewJournal
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 0
        $child = Start-Creator -Journal $journal -Prompt 'waits its turn' -Name 'slot-row'
        $result = $null
        try {
            Wait-Until { (Get-Listed 'slot-row').Status -eq 'WaitingForSlot' } -TimeoutSeconds 60 | Should -BeTrue
            @(Get-SeedanceTask -Status OutcomeUnknown) | Should -BeNullOrEmpty
            @(Get-SeedanceTask -Pending | Where-Object Name -EQ 'slot-row').Status | Should -Be 'WaitingForSlot'
            $line = @(Get-SeedanceTask -Pending | Where-Object Name -EQ 'slot-row' | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -match 'slot-row' }
            $line | Should -Match '^\(no id\)\s+SlotWait\s' -Because 'the table does not call a create waiting for a slot uncertain'
            $usage = Get-SeedanceUsage
            ($usage.InFlight, $usage.InFlightCredits, $usage.OutcomeUnknown, $usage.UncertainCredits) | Should -Be @(1, 200, 0, 0)

            $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50
            $result = Wait-ChildPwsh -Child $child -TimeoutSeconds 90
            $result.StdOut | Should -Match 'created task_'
        }
        finally {
            if ($null -eq $result) { $child.Process.Kill(); $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 20 }
        }

        (Get-Listed 'slot-row') | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
    }

    It 'of another machine (a sandbox with a new host name since) is Sending while a live process could still send it, then OutcomeUnknown: settled, sent again, never blocked for ever' {
        function Write-ForeignIntent([string] $Journal, [datetime] $At, [string] $Name) {
            # What a kill -9'd run in a container left: the intent, no answer, another host name and pid.
            $time = $At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
            $intent = [guid]::NewGuid().ToString('N')
            Add-Content -LiteralPath $Journal -Encoding utf8NoBOM -Value ('{"v":1,"type":"intent","time":"' + $time + '","intent":"' + $intent + '","name":"' + $Name +
                '","credits":200,"pid":24987,"host":"runbook-sandbox-1","request":{"model":"seedance-20","prompt":"a sandbox row","duration":5}}')
        }

        $null = Use-NewJournal
        $found = New-SeedanceTask -Prompt 'a sandbox row' # what the sandbox's create made, found in the account's history
        $fresh = Use-NewJournal
        Write-ForeignIntent -Journal $fresh -At (Get-Date) -Name 'sandbox-row'
        (Get-Listed 'sandbox-row').Status | Should -Be 'Sending' -Because 'a live process there could still be sending it'
        $null = New-SeedanceTask -Prompt 'a sandbox row' -Name 'sandbox-row' -Force -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'PossibleDuplicate,*'
        $null = Register-SeedanceTask -TaskId $found.TaskId -Name 'sandbox-row' -ErrorVariable busy -ErrorAction SilentlyContinue
        $busy[0].FullyQualifiedErrorId | Should -BeLike 'CreateInFlight,*'

        $old = Use-NewJournal
        Write-ForeignIntent -Journal $old -At (Get-Date).AddMinutes(-71) -Name 'sandbox-row'
        Write-ForeignIntent -Journal $old -At (Get-Date).AddMinutes(-71) -Name 'sandbox-row-2'
        (Get-Listed 'sandbox-row').Status | Should -Be 'OutcomeUnknown' -Because 'no live create is silent for 70 minutes'
        (Get-SeedanceUsage).OutcomeUnknown | Should -Be 2
        (Register-SeedanceTask -TaskId $found.TaskId -Name 'sandbox-row' -Confirm:$false).TaskId | Should -Be $found.TaskId
        $before = (Get-EmulatorStats -Emulator $script:Emulator).createRequests
        New-SeedanceTask -Prompt 'a sandbox row' -Name 'sandbox-row-2' -Force | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
        (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be ($before + 1)
    }
}

Describe 'A create in flight when the process is asked to end' -Skip:$IsWindows {
    # docker stop, systemd, a closed SSH session and job runners end pwsh with SIGTERM or SIGHUP, not SIGINT: the create
    # already sent gets the same grace as on Ctrl+C, its id reaches the journal and standard error, then the process
    # ends as asked (issue 16). The child is the pwsh process itself (dotnet pwsh.dll), which gets the signal.
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 -Credits 1000000
    }

    AfterEach {
        Clear-SeedanceSession
        $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
    }

    It 'SIG<Signal> while the answer is on its way: the id is journaled, listed by -Pending and named on standard error' -ForEach @(
        @{ Signal = 'TERM'; ExitCode = 143 }
        @{ Signal = 'HUP'; ExitCode = 129 }
    ) {
        $journal = Use-NewJournal
        $folder = Split-Path $journal
        $name = "term-$Signal"
        Set-Content -LiteralPath (Join-Path $folder 'jobs.csv') -Value 'Name,Prompt', "$name,tm fox #answerdelay:4 #duration:60"
        $child = Start-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Set-Location -LiteralPath '$folder'
Import-Csv ./jobs.csv | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo -Path ./videos
'NOT-STOPPED'
"@
        try {
            Wait-Until { (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated -ge 1 } -TimeoutSeconds 60 | Should -BeTrue
            Start-Sleep -Milliseconds 500   # the service made the task; its answer comes 4 s later
            & kill -s $Signal $child.Pid
        }
        finally { $result = Wait-ChildPwsh -Child $child -TimeoutSeconds 40 }

        $taskId = (Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.request.inputs.prompt -eq 'tm fox #answerdelay:4 #duration:60' } | Select-Object -Last 1).taskId
        $taskId | Should -Not -BeNullOrEmpty
        $result.TimedOut | Should -BeFalse
        $result.ExitCode | Should -Be $ExitCode -Because 'the process still ends as the signal asked, once the create answered'
        $pending = @(Get-SeedanceTask -Pending -Batch * | Where-Object Name -EQ $name)
        $pending | Should -HaveCount 1
        $pending[0].Status | Should -Not -Be 'OutcomeUnknown'
        $pending[0].TaskId | Should -Be $taskId -Because 'the journal recorded the answer that came during the grace'
        $result.StdErr | Should -Match $taskId
        $result.StdErr | Should -Match 'Stopping: waiting up to 10 s for the answer to 1 create already sent'
        $result.StdErr | Should -Match "The pipeline ended before 1 paid Seedance task\(s\) were saved: .*$taskId" -Because 'the termination names what it paid for and did not save'
        $result.StdErr | Should -Match "Finish them with: Wait-SeedanceTask -TaskId $taskId \| Save-SeedanceVideo -Path "
        $result.StdOut | Should -Not -Match 'NOT-STOPPED'
    }

    It 'SIGTERM while no command of the batch runs a block (the script upstream is busy): the paid task is still named on standard error' {
        # No block of ours ends on this stop, so only the termination's own report after the wait (ReportTerminated) names the task.
        $journal = Use-NewJournal
        $child = Start-ChildPwsh -Environment (Get-ChildEnvironment $journal) -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
& { 'tm between blocks #duration:60'; Start-Sleep -Seconds 60 } | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1
'NOT-STOPPED'
"@
        try {
            Wait-Until { (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests -ge 2 } -TimeoutSeconds 60 | Should -BeTrue -Because 'Wait polls in the background while the script sleeps'
            & kill -s TERM $child.Pid
        }
        finally { $result = Wait-ChildPwsh -Child $child -TimeoutSeconds 40 }

        $taskId = (Get-EmulatorTask -Emulator $script:Emulator | Where-Object { $_.request.inputs.prompt -eq 'tm between blocks #duration:60' } | Select-Object -Last 1).taskId
        $taskId | Should -Not -BeNullOrEmpty
        $result.ExitCode | Should -Be 143
        $result.StdErr | Should -Match "The pipeline ended before 1 paid Seedance task\(s\) were saved: .*$taskId"
        $result.StdOut | Should -Not -Match 'NOT-STOPPED'
    }
}
