#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Set-SeedanceConfiguration -PriceTable: a user's JSON price table, checked when it is set, used by
# Get-SeedanceCreditCost and by New-SeedanceTask -WhatIf, with Table and Source on every cost saying which table the
# figure came from. A broken file changes nothing.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-prices'

    function New-PriceFile([string] $Name, [string] $Json) {
        $path = Join-Path $script:Folder $Name
        Set-Content -LiteralPath $path -Value $Json
        $path
    }

    $script:Good = New-PriceFile 'good.json' @'
{
  // our own figures
  "source": "contract 2026-11",
  "usdPerCredit": 0.004,
  "models": {
    "seedance-20": { "creditsPerSecond": 50, "outputResolution": { "1080p": 90 } }
  }
}
'@
}

AfterAll {
    Clear-SeedanceSession
    Exit-TestSandbox $script:Sandbox
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe 'Set-SeedanceConfiguration -PriceTable' {
    BeforeEach { Set-SeedanceConfiguration -Reset }

    It 'prices with the file, and every cost names it as its Table and Source' {
        Set-SeedanceConfiguration -PriceTable $script:Good
        $cost = Get-SeedanceCreditCost 8
        $cost.Credits | Should -Be 400
        $cost.PriceUsd | Should -Be 1.60
        $cost.Table | Should -Be $script:Good
        $cost.Source | Should -Be "$($script:Good): contract 2026-11"
        $config = Get-SeedanceConfiguration
        "$($config.PriceTable)" | Should -Be $script:Good
        $config.PriceTableSource | Should -Be 'Process'
    }

    It 'completes a model whose name holds typographic quotes as one quoted value, never as code (attack 8, A10)' {
        # PowerShell ends a single-quoted string at U+2018..U+201B as at an apostrophe: each must be doubled too.
        $name = "x$([char]0x2019);write-host pwned;$([char]0x2019)"
        Set-SeedanceConfiguration -PriceTable (New-PriceFile 'quotes.json' ('{ "models": { "' + $name + '": { "creditsPerSecond": 40 } } }'))
        $line = 'New-SeedanceTask -Model x'
        $texts = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $texts | Should -HaveCount 1
        $ast = [System.Management.Automation.Language.Parser]::ParseInput("Write-Output $($texts[0])", [ref]$null, [ref]$null)
        $ast.EndBlock.Statements | Should -HaveCount 1
        & ([scriptblock]::Create("Write-Output $($texts[0])")) | Should -BeExactly $name
    }

    It 'refuses a price for 1080p on seedance2-fast, which has no 1080p output (as New-SeedanceTask does)' {
        $out = Get-SeedanceCreditCost 8 -Model seedance2-fast -OutputResolution 1080p -ErrorVariable problems -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidOutputResolution,*'
        $problems[0].TargetObject | Should -Be '1080p'
    }

    It 'uses the rate for an output resolution where the file has one' {
        Set-SeedanceConfiguration -PriceTable $script:Good
        $cost = Get-SeedanceCreditCost 10 -OutputResolution 1080p
        $cost.Credits | Should -Be 900
        $cost.Source | Should -Match '1080p rate'
    }

    It 'keeps the built-in rate for a model the file leaves out, and says so' {
        Set-SeedanceConfiguration -PriceTable $script:Good
        $cost = Get-SeedanceCreditCost 10 -Model seedance2-fast
        $cost.Credits | Should -Be 280
        $cost.Table | Should -Be 'built-in'
        $cost.Source | Should -Match "^built-in \(.*good\.json has no rate for seedance2-fast\)"
    }

    It 'is what New-SeedanceTask -WhatIf quotes (child pwsh, host output captured)' {
        $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir; PRICES = $script:Good } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
Set-SeedanceConfiguration -PriceTable $env:PRICES
New-SeedanceTask -Prompt 'priced by my table' -Duration 8 -WhatIf
New-SeedanceTask -Prompt 'priced at 1080p' -Duration 4 -AdditionalInput @{ outputResolution = '1080p' } -WhatIf
'@
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $text = $result.StdOut -replace '\s+', ' '
        $text | Should -Match '400 credits \(\$1\.60\)'
        $text | Should -Match '360 credits \(\$1\.44\)'
    }

    It 'goes back to the built-in table on -Reset' {
        Set-SeedanceConfiguration -PriceTable $script:Good
        Set-SeedanceConfiguration -Reset
        $cost = Get-SeedanceCreditCost 8
        $cost.Credits | Should -Be 320
        $cost.Table | Should -Be 'built-in'
        (Get-SeedanceConfiguration).PriceTableSource | Should -Be 'Default'
    }

    It 'refuses <Case> with a terminating InvalidPriceTable that says why, and changes nothing' -ForEach @(
        @{ Case = 'a file that is not JSON'; Json = 'rates: 40'; Says = 'not valid JSON' }
        @{ Case = 'a misspelt field'; Json = '{ "modles": { "seedance-20": { "creditsPerSecond": 40 } } }'; Says = "'modles' is not a field" }
        @{ Case = 'a model the catalog lacks, without a rate'; Json = '{ "models": { "seedance-30": { } } }'; Says = 'seedance-30.creditsPerSecond is missing' }
        @{ Case = 'a rate of 0'; Json = '{ "models": { "seedance-20": { "creditsPerSecond": 0 } } }'; Says = 'greater than 0' }
        @{ Case = 'a missing file'; Json = $null; Says = 'cannot be read' }
    ) {
        Set-SeedanceConfiguration -PriceTable $script:Good
        $path = if ($null -eq $Json) { Join-Path $script:Folder 'missing.json' } else { New-PriceFile "bad-$([guid]::NewGuid().ToString('N')).json" $Json }
        $caught = $null
        try { Set-SeedanceConfiguration -PriceTable $path -BaseUri 'https://other.example.com/api/v1' } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidPriceTable,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.TargetObject | Should -Be $path
        "$caught" | Should -Match $Says
        $caught.Exception | Should -BeOfType ([Seedance.Client.Pricing.PriceTableException])
        # Nothing of the refused call was applied: neither the table nor the base URI given with it.
        (Get-SeedanceCreditCost 8).Table | Should -Be $script:Good
        (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Environment'
    }
}
