#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README and the pages under docs/ it links to work as written: each page's ```powershell blocks run, in order,
# in one child pwsh per page against the emulator (the key and base URI in the environment, as the README documents;
# files land in a temporary folder). A comment right before a block changes how it runs:
#   <!-- readme-test: skip (reason) -->            not run (PSGallery, a real key prompt, your own settings); parsed
#   <!-- readme-test: from the repository root --> run with the repository as the current location
#   <!-- readme-test: emulator-uri <uri> -->       the example's emulator address is replaced by the test's own

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $script:Root 'tools/HelpConverter/HelpConverter.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function Get-PageBlock([string] $Path) {
        # A page's ```powershell blocks in document order, each with the readme-test comment right before it.
        $document = Read-MarkdownDocument -Path $Path
        $sections = [Collections.Generic.List[object]]::new()
        $stack = [Collections.Generic.Stack[object]]::new()
        $stack.Push($document.Root)
        while ($stack.Count) {
            $section = $stack.Pop()
            $sections.Add($section)
            for ($i = $section.Children.Count - 1; $i -ge 0; $i--) { $stack.Push($section.Children[$i]) }
        }
        $name = [IO.Path]::GetRelativePath($script:Root, $Path)
        foreach ($section in $sections) {
            $previous = $null
            foreach ($block in $section.Blocks) {
                if ($block.Kind -eq 'Code' -and $block.Language -eq 'powershell') {
                    $marker = if ($previous -and $previous.Kind -eq 'Comment' -and $previous.Text -match '^readme-test:\s*(.*)$') { $Matches[1].Trim() } else { '' }
                    [pscustomobject]@{ Page = $name; Line = $block.Line; Code = $block.Text; Marker = $marker }
                }
                $previous = $block
            }
        }
    }

    function Invoke-PageBlock {
        # Runs the blocks that need no real key against a fresh emulator, in order, in one child session (a variable
        # one block sets is there for the next, as for a reader pasting them in). Returns the results, the emulator's
        # stats and the folder the blocks ran in (removed by the caller).
        param([object[]] $Blocks)
        $emulator = Start-TestEmulator -WaitingSeconds 0.2 -GeneratingSeconds 0.5
        $work = New-TestFolder -Prefix 'seedance-readme'
        try {
            $runnable = @($Blocks | Where-Object Marker -notlike 'skip*')
            $steps = foreach ($block in $runnable) {
                $code = $block.Code
                # As a user would: the address build.ps1 Emulator printed instead of the example's.
                if ($block.Marker -match '^emulator-uri (\S+)$') { $code = $code.Replace($Matches[1], $emulator.ApiBaseUri) }
                $location = if ($block.Marker -eq 'from the repository root') { $script:Root } else { $work }
                @{ Line = $block.Line; Code = $code; Location = $location }
            }
            $stepsFile = Join-Path $work 'steps.json'
            $resultsFile = Join-Path $work 'results.json'
            ConvertTo-Json -InputObject @($steps) -Depth 3 | Set-Content -LiteralPath $stepsFile -Encoding utf8
            # Each block is dot-sourced into the same scope; $ErrorActionPreference = 'Stop' turns any error into a
            # failure of its block.
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
                # A journal of the page's own, as a fresh machine has: a Name used by another page is no match here.
                SEEDANCE_JOURNAL_PATH = Join-Path $work 'journal/journal.jsonl'
            }
            $run.TimedOut | Should -BeFalse
            Test-Path $resultsFile | Should -BeTrue -Because "the runner should finish:`n$($run.StdErr)"
            [pscustomobject]@{
                Results = @(Get-Content $resultsFile -Raw | ConvertFrom-Json)
                Count   = $runnable.Count
                Stats   = Get-EmulatorStats $emulator
                Work    = $work
            }
        }
        finally { Stop-TestEmulator $emulator }
    }

    # The README and the pages it sends readers to for everything else.
    $script:Pages = @(Join-Path $script:Root 'README.md') + @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'docs') -Filter *.md -File | ForEach-Object FullName)
    $script:AllBlocks = @($script:Pages | ForEach-Object { Get-PageBlock $_ })
    $script:Blocks = @(Get-PageBlock (Join-Path $script:Root 'README.md'))
}

Describe 'README examples' {
    It 'has PowerShell examples, and every marker is one the test knows (a skip says why)' {
        $script:Blocks.Count | Should -BeGreaterThan 5
        foreach ($block in $script:AllBlocks | Where-Object Marker) {
            $block.Marker | Should -Match '^(skip \(.{10,}\)|from the repository root|emulator-uri https?://\S+)$' -Because "$($block.Page):$($block.Line)"
        }
        @($script:Blocks | Where-Object Marker -like 'skip*').Count | Should -BeLessThan ($script:Blocks.Count / 2) -Because 'most examples must really run'
    }

    It 'no README, help page or about topic shows a key typed into $env:SEEDANCE_API_KEY (PSReadLine''s history would keep it)' {
        $pages = $script:Pages + @(Get-ChildItem -LiteralPath (Join-Path $script:Root 'docs/en-US') -Filter *.md | ForEach-Object FullName)
        $typed = foreach ($page in $pages) {
            Select-String -LiteralPath $page -Pattern '^\s*\$env:SEEDANCE_API_KEY\s*=' | ForEach-Object { "$($_.Filename):$($_.LineNumber): $($_.Line.Trim())" }
        }
        $typed | Should -BeNullOrEmpty
        Get-Content -LiteralPath (Join-Path $script:Root 'README.md') -Raw | Should -Match 'Set-SeedanceApiKey\s+# prompts without echo'
    }

    It 'every block parses and uses only parameters the cmdlets have, skipped ones included' {
        $problems = foreach ($block in $script:AllBlocks) { Test-PowerShellSnippet -Code $block.Code -Where "$($block.Page):$($block.Line)" }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'every block that needs no real key runs without an error against the emulator, in order, in one session' {
        $run = Invoke-PageBlock -Blocks $script:Blocks
        try {
            $run.Results.Count | Should -Be $run.Count
            $failures = $run.Results | Where-Object Error | ForEach-Object { "README.md:$($_.Line): $($_.Error)" }
            @($failures) -join "`n" | Should -BeNullOrEmpty

            # What the examples promise: videos in ./videos, the CSV batch saved, help found, the emulator used.
            @(Get-ChildItem (Join-Path $run.Work 'videos') -Filter '*.mp4').Count | Should -BeGreaterOrEqual 3
            ($run.Results | Where-Object { $_.Output -match 'about_Seedance' }) | Should -Not -BeNullOrEmpty
            $run.Stats.tasksCreated | Should -BeGreaterOrEqual 4
            Test-Path (Join-Path $script:Root 'videos') | Should -BeFalse -Because 'nothing may be written into the repository'
        }
        finally { Remove-Item $run.Work -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'README stays a start: at most about 250 lines, with the offline demo and the test command, and a Learn more list' {
        $text = Get-Content -LiteralPath (Join-Path $script:Root 'README.md')
        $text.Count | Should -BeLessOrEqual 260
        ($text -join "`n") | Should -Match 'build\.ps1 Demo'
        ($text -join "`n") | Should -Match 'build\.ps1 Test'
        ($text -join "`n") | Should -Match '## Learn more'
        foreach ($page in $script:Pages | Select-Object -Skip 1) {
            ($text -join "`n") | Should -Match ([regex]::Escape('docs/' + (Split-Path $page -Leaf))) -Because 'every page under docs/ is linked from the README'
        }
    }
}

Describe 'docs pages' {
    It '<Name>: every block that needs no real key runs against the emulator, in order, in one session' -ForEach @(
        Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../docs') -Filter *.md -File | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    ) {
        $blocks = @(Get-PageBlock $Path)
        if (@($blocks | Where-Object Marker -notlike 'skip*').Count -eq 0) { return }   # a page of prose and tables only
        $run = Invoke-PageBlock -Blocks $blocks
        try {
            $run.Results.Count | Should -Be $run.Count
            $failures = $run.Results | Where-Object Error | ForEach-Object { "docs/${Name}:$($_.Line): $($_.Error)" }
            @($failures) -join "`n" | Should -BeNullOrEmpty
            Test-Path (Join-Path $script:Root 'videos') | Should -BeFalse -Because 'nothing may be written into the repository'
        }
        finally { Remove-Item $run.Work -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
