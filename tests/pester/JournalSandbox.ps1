# Shared by the test files of the task journal and of Get-SeedanceUsage, dot-sourced in their BeforeAll: an emulator, a
# sandbox, a journal per test where it asks for one (Use-NewJournal), and no daily limit between tests.

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

function Enter-JournalTest {
    Reset-EmulatorStats -Emulator $script:Emulator
    $null = Set-EmulatorAccount -Emulator $script:Emulator -MaxRunning 50 -Credits 1000000
    $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
    $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
}

function Exit-JournalTest {
    Clear-EmulatorFault -Emulator $script:Emulator
    Clear-SeedanceSession
    $env:SEEDANCE_JOURNAL_PATH = $script:SandboxJournal
    $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
}

function Exit-JournalSandbox {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}
