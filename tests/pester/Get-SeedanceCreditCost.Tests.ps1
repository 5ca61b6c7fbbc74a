#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceCreditCost: the documented price table, pipeline binding, errors, and that it sends no request.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-cost'
}

AfterAll {
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Get-SeedanceCreditCost' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'prices seedance-20 at <Duration> s as <Credits> credits and $<Usd>' -ForEach @(
        @{ Duration = 4; Credits = 160; Usd = '0.80' }
        @{ Duration = 5; Credits = 200; Usd = '1.00' }
        @{ Duration = 8; Credits = 320; Usd = '1.60' }
        @{ Duration = 10; Credits = 400; Usd = '2.00' }
        @{ Duration = 15; Credits = 600; Usd = '3.00' }
    ) {
        $cost = Get-SeedanceCreditCost -Duration $Duration
        $cost.GetType().FullName | Should -Be 'Seedance.Client.Pricing.CreditCost'
        $cost.Model | Should -Be 'seedance-20'
        $cost.Duration | Should -Be $Duration
        $cost.Credits | Should -Be $Credits
        # Exact decimal money, not a rounded double.
        $cost.PriceUsd | Should -BeOfType [decimal]
        $cost.PriceUsd | Should -Be ([decimal]::Parse($Usd, [cultureinfo]::InvariantCulture))
        $cost.PriceUsd.ToString('0.00', [cultureinfo]::InvariantCulture) | Should -BeExactly $Usd
        $cost.ToString() | Should -BeExactly "$Credits credits (`$$Usd)"
    }

    It 'prices seedance2-fast at 28 credits a second' {
        $cost = Get-SeedanceCreditCost -Duration 10 -Model 'seedance2-fast'
        $cost.Model | Should -Be 'seedance2-fast'
        $cost.Credits | Should -Be 280
        $cost.PriceUsd | Should -Be 1.40
    }

    It 'takes Duration and Model positionally and the model in any case' {
        (Get-SeedanceCreditCost 8 'SEEDANCE2-FAST').Credits | Should -Be 224
    }

    It 'matches what the emulator charges for a created task' {
        $task = New-SeedanceTask 'what does it cost' -Duration 10
        $charged = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).creditsUsed
        ($task | Get-SeedanceCreditCost).Credits | Should -Be $charged
    }

    It 'binds Duration and Model by property name from a task' {
        $task = New-SeedanceTask 'priced by pipeline' -Duration 8 -Model 'seedance2-fast'
        Reset-EmulatorStats -Emulator $script:Emulator
        $cost = $task | Get-SeedanceCreditCost
        $cost.Model | Should -Be 'seedance2-fast'
        $cost.Duration | Should -Be 8
        $cost.Credits | Should -Be 224
        (Get-EmulatorStats -Emulator $script:Emulator).apiRequests | Should -BeNullOrEmpty
    }

    It 'binds by property name from CSV rows and totals a batch' {
        $csv = Join-Path $script:Folder 'jobs.csv'
        @(
            [pscustomobject]@{ Prompt = 'one'; Duration = 4; Model = 'seedance-20' }
            [pscustomobject]@{ Prompt = 'two'; Duration = 15; Model = 'seedance-20' }
            [pscustomobject]@{ Prompt = 'three'; Duration = 10; Model = 'seedance2-fast' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation

        $costs = Import-Csv -LiteralPath $csv | Get-SeedanceCreditCost
        $costs | Should -HaveCount 3
        $costs.Credits | Should -Be @(160, 600, 280)
        ($costs | Measure-Object -Property Credits -Sum).Sum | Should -Be 1040
        $usd = 0d
        foreach ($cost in $costs) { $usd += $cost.PriceUsd }
        $usd | Should -Be 5.20d
    }

    It 'writes UnknownModel for an unknown model and goes on with the next input' {
        $rows = @(
            [pscustomobject]@{ Duration = 5; Model = 'seedance-99' }
            [pscustomobject]@{ Duration = 5; Model = 'seedance-20' }
        )
        $costs = $rows | Get-SeedanceCreditCost -ErrorVariable errors -ErrorAction SilentlyContinue
        $costs | Should -HaveCount 1
        $costs.Credits | Should -Be 200
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'UnknownModel,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($errors[0])" | Should -Match 'seedance-99'
    }

    It 'writes InvalidDuration for <Duration> s' -ForEach @(@{ Duration = 3 }, @{ Duration = 16 }, @{ Duration = 0 }) {
        $cost = Get-SeedanceCreditCost -Duration $Duration -ErrorVariable errors -ErrorAction SilentlyContinue
        $cost | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDuration,*'
    }

    It '-Duration is an int array: 4,8,15 prices each, "8s" and "8" still read, and a bad one is InvalidDuration naming it while the rest are priced (issue 18)' {
        (Get-Command Get-SeedanceCreditCost).Parameters['Duration'].ParameterType | Should -Be ([int[]])
        @((Get-SeedanceCreditCost -Duration 4, 8, 15).Credits) | Should -Be @(160, 320, 600)
        @((Get-SeedanceCreditCost -Duration '4', '8s').Credits) | Should -Be @(160, 320)
        $costs = @(Get-SeedanceCreditCost -Duration 4, 'abc', 8.5, 15 -ErrorVariable errors -ErrorAction SilentlyContinue)
        @($costs.Credits) | Should -Be @(160, 600)
        $errors | Should -HaveCount 2
        @($errors.FullyQualifiedErrorId -replace ',.*$') | Should -Be @('InvalidDuration', 'InvalidDuration')
        @($errors.TargetObject) | Should -Be @('abc', 8.5)
        "$($errors[0])" | Should -Match "'abc'"
    }

    It 'New-SeedanceTask -Duration is an int that still takes "8s", and a bad value is InvalidDuration with the value as its target (issue 18)' {
        (Get-Command New-SeedanceTask).Parameters['Duration'].ParameterType | Should -Be ([System.Nullable[int]])
        (New-SeedanceTask 'an int duration' -Duration '8s' -WhatIf -InformationVariable said 6>$null) | Should -BeNullOrEmpty
        "$said" | Should -Match '320 credits'
        $null = New-SeedanceTask 'a bad duration' -Duration 'eight' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDuration,*'
        $errors[0].TargetObject | Should -BeExactly 'eight'
        (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
    }

    It 'needs no key and sends no request' {
        $saved = Save-TestEnvironment
        try {
            $env:SEEDANCE_API_KEY = $null
            (Get-SeedanceCreditCost 5 -ErrorAction Stop).Credits | Should -Be 200
        }
        finally { Restore-TestEnvironment $saved }
        @((Get-EmulatorStats -Emulator $script:Emulator).apiRequests) | Should -HaveCount 0
    }
}
