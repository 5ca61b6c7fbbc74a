#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The runbook template of about_Seedance, copied out of the page as a user would and run unattended (pwsh -File,
# Import-Module Seedance by name) against the emulator: bad rows, failed tasks, a wait that times out, a process
# killed mid-batch, a create whose answer is lost and a budget. Whatever happens, no row is ever created twice, every
# paid task ends up saved by a re-run, and the exit code says what to do next.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $root 'tools/HelpConverter/HelpConverter.psm1') -Force

    $document = Read-MarkdownDocument -Path (Join-Path $root 'docs/en-US/about_Seedance.md')
    $section = $document.Root.Children[0].Children | Where-Object Title -eq 'LONG DESCRIPTION' | ForEach-Object Children | Where-Object Title -eq 'Runbook template'
    $script:Runbook = @($section.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'powershell' })[0].Text
    # Import-Module Seedance finds the built module by name, as it would an installed one.
    $script:ModulePath = Split-Path (Split-Path (Split-Path (Get-TestModulePath)))
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.2 -GeneratingSeconds 0.5

    function New-Batch([string[]] $Rows) {
        # A folder with jobs.csv (header Name,Prompt,Duration,Ratio) and the runbook in it.
        $folder = New-TestFolder -Prefix 'seedance-runbook'
        Set-Content -LiteralPath (Join-Path $folder 'Invoke-SeedanceBatch.ps1') -Value $script:Runbook -Encoding utf8
        Set-Content -LiteralPath (Join-Path $folder 'jobs.csv') -Value (@('Name,Prompt,Duration,Ratio') + $Rows) -Encoding utf8
        $folder
    }

    function Get-BatchScript([string] $Folder, [string] $Arguments = '') {
        "Set-Location '$Folder'`n& ./Invoke-SeedanceBatch.ps1 $Arguments`nexit `$LASTEXITCODE"
    }

    function Get-BatchEnvironment([string] $Folder) {
        @{
            SEEDANCE_API_KEY  = Get-TestApiKey
            SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            XDG_CONFIG_HOME   = Join-Path $Folder 'config'
            PSModulePath      = $script:ModulePath
            # Each batch has a task journal of its own, kept across its re-runs.
            SEEDANCE_JOURNAL_PATH = Join-Path $Folder 'journal.jsonl'
        }
    }

    function Invoke-Batch([string] $Folder, [string] $Arguments = '') {
        $run = Invoke-ChildPwsh -Script (Get-BatchScript $Folder $Arguments) -Environment (Get-BatchEnvironment $Folder) -TimeoutSeconds 180
        $run.TimedOut | Should -BeFalse
        $run
    }

    function Get-Ledger([string] $Folder) {
        $path = Join-Path $Folder 'jobs.ledger.csv'
        if (Test-Path $path) { @(Import-Csv $path) } else { @() }
    }

    # Save-SeedanceVideo names each file after its row (<Name>.mp4).
    function Get-Saved([string] $Folder) { @(Get-ChildItem (Join-Path $Folder 'videos') -Filter '*.mp4' -ErrorAction Ignore | ForEach-Object BaseName | Sort-Object) }

    function Get-CreatedFor([string] $Marker) {
        # Tasks the emulator made whose prompt carries $Marker: how many times a row was really created (and paid).
        @(Get-EmulatorTask $script:Emulator | Where-Object { $_.request.inputs.prompt -like "*$Marker*" })
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'The runbook template of about_Seedance' {
    It 'is in the page, with $ErrorActionPreference, a ledger and exit codes' {
        $script:Runbook | Should -Match ([regex]::Escape("`$ErrorActionPreference = 'Stop'"))
        $script:Runbook | Should -Match 'Export-Csv -LiteralPath \$LedgerPath -Append'
        $script:Runbook | Should -Match 'exit \$exitCode'
    }

    It 'saves every good row, writes every id down, reports bad rows and failed tasks (exit 1); a re-run pays for nothing' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("fox,A fox $id,5,16:9", "cat,A cat $id,4,9:16", "bad,A failure $id #fail,4,1:1", "long,Too long $id,99,1:1")
        try {
            $first = Invoke-Batch $folder
            $first.ExitCode | Should -Be 1 -Because "$($first.StdOut)`n$($first.StdErr)"
            $ledger = Get-Ledger $folder
            @($ledger.Name) | Should -Be @('fox', 'cat', 'bad')
            foreach ($line in $ledger) { $line.TaskId | Should -Match '^task_\w+$' }
            Get-Saved $folder | Should -Be @(($ledger | Where-Object Name -in 'fox', 'cat').Name | Sort-Object)
            (Get-CreatedFor $id).Count | Should -Be 3
            "$($first.StdErr)" | Should -Match 'InvalidDuration|out of range'

            $second = Invoke-Batch $folder
            $second.ExitCode | Should -Be 1
            (Get-CreatedFor $id).Count | Should -Be 3 -Because 'a re-run creates nothing that has a task id'
            @(Get-Ledger $folder).Count | Should -Be 3
            (Get-Saved $folder).Count | Should -Be 2
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'hands back tasks still running at -WaitSeconds (exit 2), and a re-run saves them without creating them again (exit 0)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("one,Slow one $id #duration:4,4,16:9", "two,Slow two $id #duration:4,4,16:9")
        try {
            $first = Invoke-Batch $folder '-WaitSeconds 1'
            $first.ExitCode | Should -Be 2 -Because "$($first.StdOut)`n$($first.StdErr)"
            (Get-Saved $folder).Count | Should -Be 0
            @(Get-Ledger $folder).Count | Should -Be 2

            $second = Invoke-Batch $folder
            $second.ExitCode | Should -Be 0 -Because "$($second.StdOut)`n$($second.StdErr)"
            Get-Saved $folder | Should -Be @((Get-Ledger $folder).Name | Sort-Object)
            (Get-CreatedFor $id).Count | Should -Be 2
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'survives being killed mid-batch: the re-run finds every paid task in the ledger, creates none again, saves all (exit 0)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("a,Killed a $id #duration:5,4,16:9", "b,Killed b $id #duration:5,4,16:9", "c,Killed c $id #duration:5,4,16:9")
        try {
            $child = Start-ChildPwsh -Script (Get-BatchScript $folder) -Environment (Get-BatchEnvironment $folder)
            Wait-Until { @(Get-Ledger $folder).Count -eq 3 } -TimeoutSeconds 60 | Should -BeTrue
            $child.Process.Kill($true)
            $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 30
            (Get-Saved $folder).Count | Should -Be 0 -Because 'the tasks were still generating when the process died'

            $rerun = Invoke-Batch $folder
            $rerun.ExitCode | Should -Be 0 -Because "$($rerun.StdOut)`n$($rerun.StdErr)"
            (Get-CreatedFor $id).Count | Should -Be 3
            Get-Saved $folder | Should -Be @((Get-Ledger $folder).Name | Sort-Object)
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'never creates again a row whose create outcome is unknown, and says a person must look (exit 2, then 1)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("lost,Lost answer $id,4,16:9", "next,After it $id,4,16:9")
        try {
            # The service takes the first create (and bills it), then the answer is lost.
            Add-EmulatorFault $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'drop'; process = $true; count = 1 }
            $first = Invoke-Batch $folder
            $first.ExitCode | Should -Be 2 -Because "$($first.StdOut)`n$($first.StdErr)"
            $ledger = Get-Ledger $folder
            $ledger[0].Name | Should -Be 'lost'
            $ledger[0].TaskId | Should -BeNullOrEmpty
            $ledger[0].Note | Should -Match 'Create outcome unknown'

            $second = Invoke-Batch $folder
            $second.ExitCode | Should -Be 1 -Because 'the lost row needs a person'
            (Get-CreatedFor "Lost answer $id").Count | Should -Be 1 -Because 'the row whose answer was lost is never sent again'
            (Get-CreatedFor "After it $id").Count | Should -Be 1
            (Get-Saved $folder).Count | Should -Be 1
        }
        finally {
            Clear-EmulatorFault $script:Emulator
            Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'creates nothing when the new rows cost more than -MaxCredits (exit 1)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("big,Expensive $id,15,16:9", "bigger,More $id,15,16:9")
        try {
            $run = Invoke-Batch $folder '-MaxCredits 1000'
            $run.ExitCode | Should -Be 1
            "$($run.StdOut)$($run.StdErr)" | Should -Match '1200 credits'
            (Get-CreatedFor $id).Count | Should -Be 0
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
