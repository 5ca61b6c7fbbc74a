#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceUsage: per day and model, from the task journal and without any request.

BeforeAll {
    . (Join-Path $PSScriptRoot 'JournalSandbox.ps1')
}

AfterAll {
    Exit-JournalSandbox
}

Describe 'Get-SeedanceUsage' {
    BeforeEach { Enter-JournalTest }

    AfterEach { Exit-JournalTest }

    Context 'counts from the journal' {
        It 'Get-SeedanceUsage counts tasks, succeeded, failed, unsaved, credits and USD per day and model; its table fits 80 columns' {
            $null = Use-NewJournal
            $made = @(
                New-SeedanceTask -Prompt 'usage ok one' -Duration 5
                New-SeedanceTask -Prompt 'usage ok two' -Duration 5
                New-SeedanceTask -Prompt 'usage fails #fail' -Duration 5
                New-SeedanceTask -Prompt 'usage fast' -Duration 4 -Model seedance2-fast
            )
            $null = $made | Wait-SeedanceTask -PollInterval 0.1 -ErrorAction SilentlyContinue
            $null = $made[0] | Get-SeedanceTask | Save-SeedanceVideo -Path (New-JournalFolder)

            $rows = @(Get-SeedanceUsage)
            $rows | Should -HaveCount 2
            $standard = $rows | Where-Object Model -EQ 'seedance-20'
            $standard.Day | Should -Be (Get-Date).Date
            ($standard.Tasks, $standard.Succeeded, $standard.Failed, $standard.Unsaved) | Should -Be @(3, 2, 1, 1)
            $standard.Credits | Should -Be 400 -Because 'a failed task is refunded (its creditsUsed still shows the reserve): only final charges count'
            $standard.Usd | Should -Be 2
            $fast = $rows | Where-Object Model -EQ 'seedance2-fast'
            ($fast.Tasks, $fast.Credits) | Should -Be @(1, 112)

            @(Get-SeedanceUsage -Until (Get-Date).Date) | Should -BeNullOrEmpty
            @(Get-SeedanceUsage -Since (Get-Date).Date.AddDays(1)) | Should -BeNullOrEmpty
            $table = Get-SeedanceUsage | Out-String -Width 80
            $table | Should -Match 'Day\s+Model\s+Tasks\s+Succeeded\s+Failed\s+Unsaved\s+Credits\s+USD'
            foreach ($line in $table -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        }

        It 'failed tasks are refunded: Usage and the daily limit count what the account was charged, so good rows after failures are made' {
            $null = Use-NewJournal
            $before = (Get-EmulatorAccount -Emulator $script:Emulator).credits
            Set-SeedanceConfiguration -DailyCreditLimit 500
            $failed = 1..3 | ForEach-Object { New-SeedanceTask -Prompt "usage refund $_ #fail:1001.review" -Duration 4 -Name "refund-$_" }
            $failed | Should -HaveCount 3 -Because '3 x 160 fit under 500 before any is known to fail'
            $null = $failed | Wait-SeedanceTask -PollInterval 0.1 -ErrorAction SilentlyContinue
            @($failed | Get-SeedanceTask).Status | Should -Be @('Fail', 'Fail', 'Fail')
            @($failed | Get-SeedanceTask).CreditsUsed | Should -Be @(160, 160, 160) -Because 'the service keeps showing the reserve on a failed task'

            $good = New-SeedanceTask -Prompt 'usage refund good' -Duration 4 -Name 'refund-good' -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused | Should -BeNullOrEmpty -Because 'the failed tasks were refunded, so nothing of the 500 is spent'
            $null = $good | Wait-SeedanceTask -PollInterval 0.1

            $charged = $before - (Get-EmulatorAccount -Emulator $script:Emulator).credits
            $charged | Should -Be 160 -Because 'the emulator refunds failed tasks, as the API document says'
            $row = Get-SeedanceUsage
            ($row.Tasks, $row.Succeeded, $row.Failed, $row.Credits) | Should -Be @(4, 1, 3, $charged)
            (Get-SeedanceConfiguration).DailyCreditLimit | Should -Be 500
            $budget = 500 - $charged
            { New-SeedanceTask -Prompt 'usage refund over' -Duration 10 -ErrorAction Stop } | Should -Throw -ErrorId 'BudgetExceeded,*' -Because "400 > $budget left"
            New-SeedanceTask -Prompt 'usage refund fits' -Duration 8 | Should -Not -BeNullOrEmpty -Because "320 fits in the $budget left"
        }

        It 'counts only the creates that made a task: a refused create (402) is not counted, a lost answer is shown apart and said (issue 16)' {
            $null = Use-NewJournal
            $made = @(
                New-SeedanceTask -Prompt 'usage made one' -Duration 5
                New-SeedanceTask -Prompt 'usage made two' -Duration 5
            )
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'status'; status = 402; count = 1 }
            { New-SeedanceTask -Prompt 'usage no credits' -Duration 5 -ErrorAction Stop } | Should -Throw -ErrorId 'InsufficientCredits,*'
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = $script:CreatePath; kind = 'drop'; process = $true; count = 1 }
            { New-SeedanceTask -Prompt 'usage lost answer' -Duration 5 -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'CreateOutcomeUnknown,*'
            (Get-Stats).tasksCreated | Should -Be 3 -Because 'the service made the lost one too, and not the refused one'

            $row = Get-SeedanceUsage -WarningVariable said -WarningAction SilentlyContinue
            ($row.Tasks, $row.Credits, $row.Usd) | Should -Be @(2, 400, 2) -Because 'only the creates answered with a task are counted'
            ($row.OutcomeUnknown, $row.UncertainCredits) | Should -Be @(1, 200)
            $said | Should -HaveCount 1
            "$said" | Should -BeLike '1 create(s) with an unknown outcome (200 credits reserved) are not counted in Tasks or Credits*Get-SeedanceTask -Status OutcomeUnknown -Batch *'
            $made | Should -HaveCount 2
        }
    }
}
