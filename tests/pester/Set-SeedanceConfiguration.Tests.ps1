#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Set-SeedanceConfiguration: settings for the session, refused when unusable.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSandbox.ps1')
}

AfterAll {
    Exit-ConfigurationSandbox
}

Describe 'Set-SeedanceConfiguration' {
    BeforeEach { Enter-ConfigurationTest }

    AfterEach { Exit-ConfigurationTest }

    Context 'Set-SeedanceConfiguration' {
        It 'refuses a plain-http base URI to another host with InvalidBaseUri' {
            { Set-SeedanceConfiguration -BaseUri 'http://seedance.example.com/api/v1' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Default'
        }

        It 'targets a refused base URI as the Uri it was given (<Given>), shown without user info when it has some' -ForEach @(
            @{ Given = 'ftp://x.example.com/api'; Type = [uri] }
            @{ Given = 'not a uri'; Type = [uri] }
            @{ Given = 'https://user:secret@x.example.com/api'; Type = [string] }
        ) {
            $thrown = $null
            try { Set-SeedanceConfiguration -BaseUri $Given } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidBaseUri,*'
            $thrown.TargetObject | Should -BeOfType $Type
            "$($thrown.TargetObject)" | Should -Not -Match 'secret'
        }

        It 'refuses a negative daily limit with InvalidDailyCreditLimit, its own words in the exception too (not .NET''s)' {
            $thrown = $null
            try { Set-SeedanceConfiguration -DailyCreditLimit -5 } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidDailyCreditLimit,*'
            $thrown.TargetObject | Should -Be -5
            $thrown.Exception.Message | Should -BeExactly '-DailyCreditLimit must be 0 or more credits (it was -5); give $null to remove the limit. Nothing was changed.'
        }

        It 'sets the per-request timeout for the session' {
            Set-SeedanceConfiguration -RequestTimeout 42
            (Get-SeedanceConfiguration).RequestTimeout | Should -Be ([timespan]::FromSeconds(42))
        }
    }

    Context '-Scope CurrentUser: settings stored for every process (issue 16)' {
        BeforeEach {
            # Each test's own config folder (Enter-ConfigurationTest) and journal; the emulator's key in the environment.
            $env:SEEDANCE_API_KEY = $script:ValidKey
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            $env:SEEDANCE_JOURNAL_PATH = Join-Path $env:XDG_CONFIG_HOME 'journal/journal.jsonl'
            $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
            $script:StoredPath = Join-Path $env:XDG_CONFIG_HOME 'seedance/settings.json'
        }

        AfterEach {
            $env:SEEDANCE_JOURNAL_PATH = Join-Path $script:Sandbox.ConfigDir 'journal/journal.jsonl'
            $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
        }

        It 'a daily limit set once for the user holds in a second pwsh process, which is refused beyond it' {
            Set-SeedanceConfiguration -DailyCreditLimit 300 -Scope CurrentUser
            (Get-SeedanceConfiguration).SettingsPath | Should -Be $script:StoredPath
            if (-not $IsWindows) { Get-UnixMode $script:StoredPath | Should -Be '600' }

            $child = Invoke-ChildPwsh -Environment @{
                SEEDANCE_API_KEY      = $script:ValidKey
                SEEDANCE_BASE_URI     = $script:Emulator.ApiBaseUri
                XDG_CONFIG_HOME       = $env:XDG_CONFIG_HOME
                SEEDANCE_JOURNAL_PATH = $env:SEEDANCE_JOURNAL_PATH
                SEEDANCE_DAILY_CREDIT_LIMIT = $null
            } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$made = @('stored limit one', 'stored limit two' | New-SeedanceTask -Duration 5 -ErrorVariable refused -ErrorAction SilentlyContinue)
$configuration = Get-SeedanceConfiguration
[pscustomobject]@{ Made = $made.Count; Refused = @($refused | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.Exception.Message }); Limit = $configuration.DailyCreditLimit; Source = $configuration.DailyCreditLimitSource } | ConvertTo-Json -Compress
'@
            $child.TimedOut | Should -BeFalse
            $report = @($child.StdOut -split "`r?`n" | Where-Object { $_ -match '^\{' })[-1] | ConvertFrom-Json
            ($report.Limit, $report.Source) | Should -Be @(300, 'CurrentUser') -Because "stderr: $($child.StdErr)"
            $report.Made | Should -Be 1
            $report.Refused | Should -HaveCount 1
            $report.Refused[0] | Should -BeLike 'BudgetExceeded,*the daily credit limit is 300 credits and 200 were spent*'
            Get-CreateCount $script:Emulator | Should -Be 1
        }

        It '-BaseUri $null removes the scope''s base URI, as -DailyCreditLimit $null removes its limit' {
            Set-SeedanceConfiguration -BaseUri $script:OtherEmulator.ApiBaseUri -Scope CurrentUser
            (Get-Content -Raw $script:StoredPath | ConvertFrom-Json).BaseUri | Should -Not -BeNullOrEmpty
            Set-SeedanceConfiguration -BaseUri $null -Scope CurrentUser -WhatIf
            (Get-Content -Raw $script:StoredPath | ConvertFrom-Json).BaseUri | Should -Not -BeNullOrEmpty -Because '-WhatIf changes nothing'
            Set-SeedanceConfiguration -BaseUri $null -Scope CurrentUser
            if (Test-Path -LiteralPath $script:StoredPath) { # the last setting removed takes the file with it
                (Get-Content -Raw $script:StoredPath | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'BaseUri'
            }
            $env:SEEDANCE_BASE_URI = $null
            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Default'
        }

        It 'precedence: Runspace > Process > environment > CurrentUser > default, for every runspace' {
            Set-SeedanceConfiguration -DailyCreditLimit 300 -RequestTimeout 42 -BaseUri $script:OtherEmulator.ApiBaseUri -Scope CurrentUser
            $env:SEEDANCE_BASE_URI = $null
            $configuration = Get-SeedanceConfiguration
            ($configuration.DailyCreditLimit, $configuration.DailyCreditLimitSource) | Should -Be @(300, 'CurrentUser')
            ($configuration.RequestTimeout.TotalSeconds, $configuration.RequestTimeoutSource) | Should -Be @(42, 'CurrentUser')
            ($configuration.BaseUriSource, $configuration.PriceTableSource) | Should -Be @('CurrentUser', 'Default')
            # The stored base URI is where requests go.
            $null = Get-SeedanceTask -TaskId 'task_nowhere' -ErrorAction SilentlyContinue
            Get-ApiRequestCount $script:OtherEmulator | Should -Be 1
            Get-ApiRequestCount $script:Emulator | Should -Be 0
            # Another runspace of this process reads it too.
            $module = Get-TestModulePath
            (1 | ForEach-Object -Parallel { Import-Module $using:module; (Get-SeedanceConfiguration).DailyCreditLimitSource }) | Should -Be 'CurrentUser'

            $env:SEEDANCE_DAILY_CREDIT_LIMIT = '400'
            ((Get-SeedanceConfiguration).DailyCreditLimit, (Get-SeedanceConfiguration).DailyCreditLimitSource) | Should -Be @(400, 'Environment')
            Set-SeedanceConfiguration -DailyCreditLimit 500 -RequestTimeout 7
            ((Get-SeedanceConfiguration).DailyCreditLimit, (Get-SeedanceConfiguration).DailyCreditLimitSource) | Should -Be @(500, 'Process')
            (Get-SeedanceConfiguration).RequestTimeoutSource | Should -Be 'Process'
            Set-SeedanceConfiguration -DailyCreditLimit 600 -Scope Runspace
            ((Get-SeedanceConfiguration).DailyCreditLimit, (Get-SeedanceConfiguration).DailyCreditLimitSource) | Should -Be @(600, 'Runspace')

            # Storing a value this process does not use is said, with the reason.
            Set-SeedanceConfiguration -DailyCreditLimit 700 -Scope CurrentUser -WarningVariable overridden -WarningAction SilentlyContinue
            "$overridden" | Should -BeLike '-DailyCreditLimit is stored for every new process, but this one keeps the value it has from Runspace*'
            (Get-Content -Raw $script:StoredPath | ConvertFrom-Json).DailyCreditLimit | Should -Be 700
        }

        It '-Reset -Scope CurrentUser removes the stored settings and leaves the session''s; -Uploader is never stored' {
            Set-SeedanceConfiguration -DailyCreditLimit 300 -RequestShape Kinovi -Scope CurrentUser
            Set-SeedanceConfiguration -RequestTimeout 7
            { Set-SeedanceConfiguration -Uploader { 'https://example.com/x' } -Scope CurrentUser } | Should -Throw -ErrorId 'UploaderNotStored,*'
            (Get-Content -Raw $script:StoredPath | ConvertFrom-Json).PSObject.Properties.Name | Sort-Object | Should -Be @('DailyCreditLimit', 'RequestShape')

            Set-SeedanceConfiguration -Reset -Scope CurrentUser -WhatIf
            Test-Path $script:StoredPath | Should -BeTrue
            Set-SeedanceConfiguration -Reset -Scope CurrentUser
            Test-Path $script:StoredPath | Should -BeFalse
            $configuration = Get-SeedanceConfiguration
            ($configuration.DailyCreditLimitSource, $configuration.RequestShapeSource, $configuration.RequestTimeoutSource) | Should -Be @('Default', 'Host', 'Process')
            { Set-SeedanceConfiguration -Reset -Scope CurrentUser } | Should -Not -Throw -Because 'nothing stored is nothing to remove'
        }

        It 'two processes storing different settings at once never lose each other''s change (the settings lock)' {
            # Each sets its own setting over and over, and before every round checks that the file still holds the
            # value it stored last: without the lock, the other's read-change-write puts an older value back.
            $script = @'
Import-Module $env:SEEDANCE_TEST_MODULE
$stored = Join-Path $env:XDG_CONFIG_HOME 'seedance/settings.json'
$start = [DateTime]::new([long]$env:START_TICKS, 'Utc')
while ([DateTime]::UtcNow -lt $start) { }
$lost = 0; $i = 0
while ([DateTime]::UtcNow -lt $start.AddSeconds(3)) {
    if ($i -gt 0 -and (Get-Content -Raw -LiteralPath $stored | ConvertFrom-Json).$env:SETTING -ne $i) { $lost++ }
    $i++
    $value = @{ $env:SETTING = $i }
    Set-SeedanceConfiguration @value -Scope CurrentUser -ErrorAction Stop
}
"ROUNDS=$i"
"LOST=$lost"
'@
            $startTicks = [DateTime]::UtcNow.AddSeconds(8).Ticks
            $children = 'DailyCreditLimit', 'RequestTimeout' | ForEach-Object {
                Start-ChildPwsh -Script $script -Environment @{ XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; SETTING = $_; START_TICKS = $startTicks; SEEDANCE_DAILY_CREDIT_LIMIT = $null }
            }
            $results = $children | ForEach-Object { Wait-ChildPwsh -Child $_ -TimeoutSeconds 180 }
            foreach ($result in $results) {
                $result.StdOut | Should -Match 'ROUNDS=([2-9]\d|\d{3,})' -Because "both must race ($($result.StdOut) $($result.StdErr))"
                $result.StdOut | Should -Match 'LOST=0\b' -Because "$($result.StdOut) $($result.StdErr)"
            }
        }

        It 'a stored file that is <Case> stops the commands with InvalidStoredConfiguration naming it, never as no limit' -ForEach @(
            @{ Case = 'not JSON'; Content = '{ "DailyCreditLimit": 300'; Says = 'not a JSON object' }
            @{ Case = 'a list'; Content = '[300]'; Says = 'not an object of settings' }
            @{ Case = 'a misspelt name'; Content = '{ "DailyCreditLimt": 300 }'; Says = "names 'DailyCreditLimt', which is no setting" }
            @{ Case = 'a name given twice'; Content = '{ "DailyCreditLimit": 300, "dailycreditlimit": 900000 }'; Says = 'names dailycreditlimit twice' }
            @{ Case = 'a negative limit'; Content = '{ "DailyCreditLimit": -1 }'; Says = 'DailyCreditLimit is -1, and it must be a number of credits, 0 or more' }
            @{ Case = 'a limit in words'; Content = '{ "DailyCreditLimit": "lots" }'; Says = 'DailyCreditLimit is "lots"' }
            @{ Case = 'a plain-http base URI of another host'; Content = '{ "BaseUri": "http://seedance.example.com/api/v1" }'; Says = 'BaseUri is ''http://seedance.example.com/api/v1''' }
            @{ Case = 'a relative journal path'; Content = '{ "JournalPath": "journal.jsonl" }'; Says = 'JournalPath is "journal.jsonl", and it must be an absolute path' }
            @{ Case = 'a timeout out of range'; Content = '{ "RequestTimeout": 0 }'; Says = 'RequestTimeout is 0, and it must be whole seconds from 1 to 3600' }
            @{ Case = 'a missing price table'; Content = '{ "PriceTable": "/nonexistent/prices.json" }'; Says = 'PriceTable: ' }
            @{ Case = 'open to others'; Content = '{ "DailyCreditLimit": 300 }'; Says = 'other users can reach it'; Mode = '666' }
            @{ Case = 'a symbolic link'; Content = '{ "DailyCreditLimit": 300 }'; Says = 'link'; Link = $true }
        ) {
            if (($Mode -or $Link) -and $IsWindows) { Set-ItResult -Skipped -Because 'Unix file modes and links'; return }
            Set-SeedanceConfiguration -DailyCreditLimit 100000 -Scope CurrentUser # makes the folder as the module does
            if ($Link) {
                $target = Join-Path $env:XDG_CONFIG_HOME 'elsewhere.json'
                Set-Content -LiteralPath $target -Value $Content -NoNewline
                Remove-Item -LiteralPath $script:StoredPath
                $null = New-Item -ItemType SymbolicLink -Path $script:StoredPath -Target $target
            }
            else {
                Set-Content -LiteralPath $script:StoredPath -Value $Content -NoNewline
                if ($Mode) { & chmod $Mode $script:StoredPath }
            }

            $refused = $null
            try { 'a row' | New-SeedanceTask -Duration 5 -ErrorAction Stop } catch { $refused = $_ }
            $refused | Should -Not -BeNullOrEmpty -Because 'a stored file that cannot be read must not mean no limit'
            $refused.FullyQualifiedErrorId | Should -BeLike 'InvalidStoredConfiguration,*'
            $refused.CategoryInfo.Category | Should -Be 'InvalidData'
            $refused.TargetObject | Should -Be $script:StoredPath
            $refused.Exception.Message | Should -BeLike "*'$($script:StoredPath)'*"
            $refused.Exception.Message | Should -BeLike "*$Says*"
            Get-CreateCount $script:Emulator | Should -Be 0
            { Get-SeedanceTask -Pending -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidStoredConfiguration,*'
            { Get-SeedanceUsage -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidStoredConfiguration,*'

            # Said by Get-SeedanceConfiguration; a stored change is refused rather than overwriting it; -Reset clears it.
            $null = Get-SeedanceConfiguration -WarningVariable said -WarningAction SilentlyContinue
            "$said" | Should -BeLike "*$($script:StoredPath)*Set-SeedanceConfiguration -Reset -Scope CurrentUser*"
            { Set-SeedanceConfiguration -RequestTimeout 9 -Scope CurrentUser } | Should -Throw -ErrorId 'InvalidStoredConfiguration,*'
            Set-SeedanceConfiguration -Reset -Scope CurrentUser
            (New-SeedanceTask -Prompt 'after the reset' -Duration 5).TaskId | Should -Match '^task_'
        }
    }
}
