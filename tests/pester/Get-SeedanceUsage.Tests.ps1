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
            $standard.Credits | Should -Be 600 -Because 'the emulator keeps a failed task''s credits, and so does the count until the service shows a refund'
            $standard.Usd | Should -Be 3
            $fast = $rows | Where-Object Model -EQ 'seedance2-fast'
            ($fast.Tasks, $fast.Credits) | Should -Be @(1, 112)

            @(Get-SeedanceUsage -Until (Get-Date).Date) | Should -BeNullOrEmpty
            @(Get-SeedanceUsage -Since (Get-Date).Date.AddDays(1)) | Should -BeNullOrEmpty
            $table = Get-SeedanceUsage | Out-String -Width 80
            $table | Should -Match 'Day\s+Model\s+Tasks\s+Succeeded\s+Failed\s+Unsaved\s+Credits\s+USD'
            foreach ($line in $table -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
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
