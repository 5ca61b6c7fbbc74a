#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README works as written: its ```powershell blocks run, in order, in one child pwsh against the emulator (the
# key and base URI in the environment, as the README documents; files land in a temporary folder). A comment
# right before a block changes how it runs:
#   <!-- readme-test: skip (reason) -->            not run (PSGallery, a real key prompt, your own settings); parsed
#   <!-- readme-test: from the repository root --> run with the repository as the current location
#   <!-- readme-test: emulator-uri <uri> -->       the example's emulator address is replaced by the test's own

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $script:Root 'tools/HelpConverter/HelpConverter.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function Get-ReadmeBlock {
        # The README's ```powershell blocks in document order, each with the readme-test comment right before it.
        $document = Read-MarkdownDocument -Path (Join-Path $script:Root 'README.md')
        $sections = [Collections.Generic.List[object]]::new()
        $stack = [Collections.Generic.Stack[object]]::new()
        $stack.Push($document.Root)
        while ($stack.Count) {
            $section = $stack.Pop()
            $sections.Add($section)
            for ($i = $section.Children.Count - 1; $i -ge 0; $i--) { $stack.Push($section.Children[$i]) }
        }
        foreach ($section in $sections) {
            $previous = $null
            foreach ($block in $section.Blocks) {
                if ($block.Kind -eq 'Code' -and $block.Language -eq 'powershell') {
                    $marker = if ($previous -and $previous.Kind -eq 'Comment' -and $previous.Text -match '^readme-test:\s*(.*)$') { $Matches[1].Trim() } else { '' }
                    [pscustomobject]@{ Line = $block.Line; Code = $block.Text; Marker = $marker }
                }
                $previous = $block
            }
        }
    }

    $script:Blocks = @(Get-ReadmeBlock)
}

Describe 'README examples' {
    It 'has PowerShell examples, and every marker is one the test knows (a skip says why)' {
        $script:Blocks.Count | Should -BeGreaterThan 5
        foreach ($block in $script:Blocks | Where-Object Marker) {
            $block.Marker | Should -Match '^(skip \(.{10,}\)|from the repository root|emulator-uri https?://\S+)$' -Because "README.md:$($block.Line)"
        }
        @($script:Blocks | Where-Object Marker -like 'skip*').Count | Should -BeLessThan ($script:Blocks.Count / 2) -Because 'most examples must really run'
    }

    It 'no README, help page or about topic shows a key typed into $env:SEEDANCE_API_KEY (PSReadLine''s history would keep it)' {
        $pages = @(Join-Path $script:Root 'README.md') + @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'docs/en-US') -Filter *.md | ForEach-Object FullName)
        $typed = foreach ($page in $pages) {
            Select-String -LiteralPath $page -Pattern '^\s*\$env:SEEDANCE_API_KEY\s*=' | ForEach-Object { "$($_.Filename):$($_.LineNumber): $($_.Line.Trim())" }
        }
        $typed | Should -BeNullOrEmpty
        Get-Content -LiteralPath (Join-Path $script:Root 'README.md') -Raw | Should -Match 'Set-SeedanceApiKey\s+# prompts without echo'
    }

    It 'every block parses and uses only parameters the cmdlets have, skipped ones included' {
        $problems = foreach ($block in $script:Blocks) { Test-PowerShellSnippet -Code $block.Code -Where "README.md:$($block.Line)" }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'every block that needs no real key runs without an error against the emulator, in order, in one session' {
        $emulator = Start-TestEmulator -WaitingSeconds 0.2 -GeneratingSeconds 0.5
        $work = New-TestFolder -Prefix 'seedance-readme'
        try {
            $runnable = @($script:Blocks | Where-Object Marker -notlike 'skip*')
            $steps = foreach ($block in $runnable) {
                $code = $block.Code
                if ($block.Marker -match '^emulator-uri (\S+)$') { $code = $code.Replace($Matches[1], $emulator.ApiBaseUri) }
                $location = if ($block.Marker -eq 'from the repository root') { $script:Root } else { $work }
                @{ Line = $block.Line; Code = $code; Location = $location }
            }
            $stepsFile = Join-Path $work 'steps.json'
            $resultsFile = Join-Path $work 'results.json'
            ConvertTo-Json -InputObject @($steps) -Depth 3 | Set-Content -LiteralPath $stepsFile -Encoding utf8
            # Each block is dot-sourced into the same scope, so a variable one block sets is there for the next, as
            # for a reader typing them in; $ErrorActionPreference = 'Stop' turns any error into a failure of its block.
            $script = @"
Import-Module `$env:SEEDANCE_TEST_MODULE
`$results = foreach (`$step in (Get-Content -LiteralPath '$stepsFile' -Raw | ConvertFrom-Json)) {
    Set-Location -LiteralPath `$step.Location
    `$ErrorActionPreference = 'Stop'
    try {
        `$output = . ([scriptblock]::Create(`$step.Code)) *>&1 | Out-String -Width 200
        [pscustomobject]@{ Line = `$step.Line; Error = ''; Output = `$output }
    }
    catch {
        [pscustomobject]@{ Line = `$step.Line; Error = "`$(`$_.FullyQualifiedErrorId): `$(`$_.Exception.Message)"; Output = '' }
    }
    finally { `$ErrorActionPreference = 'Continue' }
}
ConvertTo-Json -InputObject @(`$results) -Depth 3 | Set-Content -LiteralPath '$resultsFile' -Encoding utf8
"@
            $run = Invoke-ChildPwsh -Script $script -TimeoutSeconds 300 -Environment @{
                SEEDANCE_API_KEY  = Get-TestApiKey
                SEEDANCE_BASE_URI = $emulator.ApiBaseUri
                XDG_CONFIG_HOME   = Join-Path $work 'config'
            }
            $run.TimedOut | Should -BeFalse
            Test-Path $resultsFile | Should -BeTrue -Because "the runner should finish:`n$($run.StdErr)"
            $results = @(Get-Content $resultsFile -Raw | ConvertFrom-Json)
            $results.Count | Should -Be $runnable.Count
            $failures = $results | Where-Object Error | ForEach-Object { "README.md:$($_.Line): $($_.Error)" }
            @($failures) -join "`n" | Should -BeNullOrEmpty

            # What the examples promise: a video in ./videos, the CSV batch saved, help found, the emulator used.
            @(Get-ChildItem (Join-Path $work 'videos') -Filter 'task_*.mp4').Count | Should -BeGreaterOrEqual 3
            @(Get-ChildItem $work -Filter 'task_*.mp4').Count | Should -BeGreaterOrEqual 2
            ($results | Where-Object { $_.Output -match 'about_Seedance' }) | Should -Not -BeNullOrEmpty
            (Get-EmulatorStats $emulator).tasksCreated | Should -BeGreaterOrEqual 5
            Test-Path (Join-Path $script:Root 'videos') | Should -BeFalse -Because 'nothing may be written into the repository'
        }
        finally {
            Stop-TestEmulator $emulator
            Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
