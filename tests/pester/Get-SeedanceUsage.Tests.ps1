#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceUsage: per day and model, from the task journal and without any request.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.3
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:SandboxJournal = $env:SEEDANCE_JOURNAL_PATH
    $script:CreatePath = '/api/v1/jobs/createTask'
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-JournalFolder {
        $folder = New-TestFolder -Prefix 'seedance-journal'
        $script:Folders.Add($folder)
        $folder
    }

    function Use-NewJournal {
        # A journal of this test's own (the module opens one shared instance per path, so a new path is a clean start).
        $path = Join-Path (New-JournalFolder) 'journal.jsonl'
        $env:SEEDANCE_JOURNAL_PATH = $path
        $path
    }

    function Get-Stats { Get-EmulatorStats -Emulator $script:Emulator }

    function Get-ChildEnvironment([string] $Journal) {
        @{
            SEEDANCE_API_KEY      = Get-TestApiKey
            SEEDANCE_BASE_URI     = $script:Emulator.ApiBaseUri
            XDG_CONFIG_HOME       = $script:Sandbox.ConfigDir
            SEEDANCE_JOURNAL_PATH = $Journal
        }
    }

    function Read-ChildJson($Result) {
        # The child's last stdout line is one JSON object.
        $Result.TimedOut | Should -BeFalse
        $line = @($Result.StdOut -split "`r?`n" | Where-Object { $_ -match '^\{' })[-1]
        $line | Should -Not -BeNullOrEmpty -Because "the child should report.`nstdout: $($Result.StdOut)`nstderr: $($Result.StdErr)"
        $line | ConvertFrom-Json
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Get-SeedanceUsage' {
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 -Credits 1000000
        $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
        $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
    }

    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        Clear-SeedanceSession
        $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
        $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
    }

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
    }
}
