#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The runbook template of about_Seedance, copied out of the page as a user would and run unattended (pwsh -File,
# Import-Module Seedance by name) against the emulator: bad rows, failed tasks, a wait that times out, a process
# killed mid-batch, a create whose answer is lost, a budget, and a re-run from another folder. The template keeps no
# ledger of its own: the task journal is it. Whatever happens, no row is ever created twice, every paid task ends up
# saved by a re-run, and the exit code says what to do next.

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

    function Get-BatchScript([string] $Folder, [string] $Arguments = '', [string] $RunIn = $Folder) {
        # Run from $RunIn (a scheduler may start each run in a new folder), with the batch's files given by path.
        "Set-Location '$RunIn'`n& '$Folder/Invoke-SeedanceBatch.ps1' -JobsPath '$Folder/jobs.csv' -OutputPath '$Folder/videos' $Arguments`nexit `$LASTEXITCODE"
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

    function Invoke-Batch([string] $Folder, [string] $Arguments = '', [string] $RunIn = $Folder) {
        $run = Invoke-ChildPwsh -Script (Get-BatchScript $Folder $Arguments $RunIn) -Environment (Get-BatchEnvironment $Folder) -TimeoutSeconds 180
        $run.TimedOut | Should -BeFalse
        $run
    }

    function Get-Journaled([string] $Folder) {
        # The batch's tasks as the journal has them (the runbook's ledger), read as a user would.
        $script = "Import-Module Seedance; Get-SeedanceTask -Batch * | ForEach-Object { [pscustomobject]@{ Name = `$_.Name; TaskId = `$_.TaskId; Batch = `$_.Batch; Status = `$_.Status } } | ConvertTo-Json -Compress -AsArray"
        $run = Invoke-ChildPwsh -Script $script -Environment (Get-BatchEnvironment $Folder) -TimeoutSeconds 60
        @($run.StdOut | ConvertFrom-Json)
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
    It 'is in the page, short, on the task journal with a -Batch label and exit codes, and keeps no ledger of its own' {
        $script:Runbook | Should -Match ([regex]::Escape("`$ErrorActionPreference = 'Stop'"))
        $script:Runbook | Should -Match 'New-SeedanceTask -Batch \$Batch'
        $script:Runbook | Should -Match 'exit \$exitCode'
        $script:Runbook | Should -Not -Match 'Export-Csv|ledger' -Because 'the journal is the ledger'
        @($script:Runbook -split "`n").Count | Should -BeLessOrEqual 30
    }

    It 'no topic tells the user to keep a ledger of their own' {
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
        foreach ($page in Get-ChildItem (Join-Path $root 'docs/en-US') -Filter 'about_*.md') {
            Get-Content -LiteralPath $page.FullName -Raw | Should -Not -Match 'write (the )?ids down|keep the ids yourself|ledger file' -Because $page.Name
        }
    }

    It 'saves every good row, reports bad rows and failed tasks (exit 1); a re-run pays for nothing and downloads nothing' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("fox,A fox $id,5,16:9", "cat,A cat $id,4,9:16", "bad,A failure $id #fail:2038,4,1:1", "long,Too long $id,99,1:1")
        try {
            $first = Invoke-Batch $folder
            $first.ExitCode | Should -Be 1 -Because "$($first.StdOut)`n$($first.StdErr)"
            $journaled = Get-Journaled $folder
            @($journaled.Name | Sort-Object) | Should -Be @('bad', 'cat', 'fox')
            @($journaled.Batch | Select-Object -Unique) | Should -Be @('jobs')
            Get-Saved $folder | Should -Be @('cat', 'fox')
            (Get-CreatedFor $id).Count | Should -Be 3
            "$($first.StdErr)" | Should -Match 'InvalidDuration|out of range'
            $written = @{}; Get-ChildItem (Join-Path $folder 'videos') | ForEach-Object { $written[$_.Name] = $_.LastWriteTimeUtc }

            $second = Invoke-Batch $folder
            $second.ExitCode | Should -Be 1 -Because 'the bad rows still need a person'
            (Get-CreatedFor $id).Count | Should -Be 3 -Because 'a re-run creates nothing that has a task, nor a row that failed for its input'
            "$($second.StdErr)" | Should -Match 'FailedBefore|failed before'
            (Get-Saved $folder).Count | Should -Be 2
            Get-ChildItem (Join-Path $folder 'videos') | ForEach-Object { $_.LastWriteTimeUtc | Should -Be $written[$_.Name] -Because "$($_.Name) was not downloaded again" }
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'hands back tasks still running at -WaitSeconds (exit 2), and a re-run from another folder saves them without creating them again (exit 0)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("one,Slow one $id #duration:4,4,16:9", "two,Slow two $id #duration:4,4,16:9")
        $elsewhere = New-TestFolder -Prefix 'seedance-runbook-cwd'
        try {
            $first = Invoke-Batch $folder '-WaitSeconds 1'
            $first.ExitCode | Should -Be 2 -Because "$($first.StdOut)`n$($first.StdErr)"
            (Get-Saved $folder).Count | Should -Be 0

            $second = Invoke-Batch $folder -RunIn $elsewhere
            $second.ExitCode | Should -Be 0 -Because "$($second.StdOut)`n$($second.StdErr)"
            Get-Saved $folder | Should -Be @('one', 'two')
            (Get-CreatedFor $id).Count | Should -Be 2 -Because 'the batch label, not the folder, finds the tasks'
        }
        finally { Remove-Item $folder, $elsewhere -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'survives being killed mid-batch: the re-run finds every paid task in the journal, creates none again, saves all (exit 0)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("a,Killed a $id #duration:5,4,16:9", "b,Killed b $id #duration:5,4,16:9", "c,Killed c $id #duration:5,4,16:9")
        try {
            $child = Start-ChildPwsh -Script (Get-BatchScript $folder) -Environment (Get-BatchEnvironment $folder)
            Wait-Until { (Get-CreatedFor $id).Count -eq 3 } -TimeoutSeconds 60 | Should -BeTrue
            $child.Process.Kill($true)
            $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 30
            (Get-Saved $folder).Count | Should -Be 0 -Because 'the tasks were still generating when the process died'

            $rerun = Invoke-Batch $folder
            $rerun.ExitCode | Should -Be 0 -Because "$($rerun.StdOut)`n$($rerun.StdErr)"
            (Get-CreatedFor $id).Count | Should -Be 3
            Get-Saved $folder | Should -Be @('a', 'b', 'c')
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'never creates again a row whose create outcome is unknown, and says a person must look (exit 1)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("lost,Lost answer $id,4,16:9", "next,After it $id,4,16:9")
        try {
            # The service takes the first create (and bills it), then the answer is lost.
            Add-EmulatorFault $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'drop'; process = $true; count = 1 }
            $first = Invoke-Batch $folder
            $first.ExitCode | Should -Be 1 -Because "$($first.StdOut)`n$($first.StdErr)"

            $second = Invoke-Batch $folder
            $second.ExitCode | Should -Be 1 -Because 'the lost row needs a person'
            "$($second.StdErr)" | Should -Match 'PossibleDuplicate|outcome'
            (Get-CreatedFor "Lost answer $id").Count | Should -Be 1 -Because 'the row whose answer was lost is never sent again'
            (Get-CreatedFor "After it $id").Count | Should -Be 1
            Get-Saved $folder | Should -Be @('next')
        }
        finally {
            Clear-EmulatorFault $script:Emulator
            Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'creates nothing beyond -MaxCredits (exit 1)' {
        $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $folder = New-Batch @("big,Expensive $id,15,16:9", "bigger,More $id,15,16:9")
        try {
            $run = Invoke-Batch $folder '-MaxCredits 1000'
            $run.ExitCode | Should -Be 1
            "$($run.StdOut)$($run.StdErr)" | Should -Match 'BudgetExceeded|MaxCredits'
            (Get-CreatedFor $id).Count | Should -Be 1 -Because 'the first 600-credit row fits in 1000, the second would not'
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
