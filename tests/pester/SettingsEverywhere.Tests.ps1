#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# -Scope Process means the process: the key, the base URI, the request timeout and the price table set in one runspace
# reach every runspace of the process (ForEach-Object -Parallel, Start-ThreadJob, a runspace pool), and none of them
# falls back to the stored key and the service's default host while the process chose another. -Scope Runspace is the
# one narrower scope: it wins in its own runspace only.
#
# The trap these tests are built around: the current user has a key stored and no SEEDANCE_* variables are set, so a
# runspace that did not see the process's settings would quietly use the stored key against the production host (here
# there is no internet, so it would fail to connect; with internet it would spend real money). Every request below is
# counted at the emulator, which also proves where it went.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:OtherEmulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -NoEnvironmentKey
    $script:ModulePath = Get-TestModulePath
    $script:Folder = New-TestFolder -Prefix 'seedance-settings'

    # A price table of our own (50 credits/s), so a runspace shows whether it sees the process's table: 8 s = 400.
    $script:PricePath = Join-Path $script:Folder 'prices.json'
    Set-Content -LiteralPath $script:PricePath -Value '{ "source": "settings test", "models": { "seedance-20": { "creditsPerSecond": 50 } } }'

    function Get-RecordInfoCount($Emulator) { (Get-EmulatorStats -Emulator $Emulator).recordInfoRequests }

    # What one runspace sees and does; the same script for every kind of runspace. A stored-key fallback would show
    # ApiKeySource CurrentUser and BaseUriSource Default.
    $script:Probe = {
        param($ModulePath)
        Import-Module $ModulePath
        $config = Get-SeedanceConfiguration
        [pscustomobject]@{
            Runspace         = [runspace]::DefaultRunspace.InstanceId
            BaseUri          = $config.BaseUri.AbsoluteUri.TrimEnd('/')
            BaseUriSource    = $config.BaseUriSource
            ApiKeySource     = $config.ApiKeySource
            RequestTimeout   = $config.RequestTimeout.TotalSeconds
            PriceTableSource = $config.PriceTableSource
            Credits          = (Get-SeedanceCreditCost 8).Credits
            Status           = (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status
        }
    }

    function Assert-SeesTheProcessSettings($Results, [int] $Count) {
        $Results | Should -HaveCount $Count
        foreach ($result in $Results) {
            $result.BaseUri | Should -Be $script:Emulator.ApiBaseUri.TrimEnd('/')
            $result.BaseUriSource | Should -Be 'Process'
            $result.ApiKeySource | Should -Be 'Process'
            $result.RequestTimeout | Should -Be 42
            $result.PriceTableSource | Should -Be 'Process'
            $result.Credits | Should -Be 400
            $result.Status | Should -Be 'Success'
        }
        # Really other runspaces than this one, and every lookup went to the emulator the process chose.
        @($Results.Runspace) | Should -Not -Contain ([runspace]::DefaultRunspace.InstanceId)
        Get-RecordInfoCount $script:Emulator | Should -Be $Count
        Get-RecordInfoCount $script:OtherEmulator | Should -Be 0
    }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
    Stop-TestEmulator $script:OtherEmulator
}

Describe 'Settings made with -Scope Process reach every runspace' {
    BeforeAll {
        # The trap: a key stored for the user, no environment variables.
        Set-SeedanceApiKey -PlainTextApiKey 'sk-stored-for-the-production-host'
        (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'CurrentUser'
    }

    BeforeEach {
        Clear-SeedanceSession
        Set-SeedanceConfiguration -BaseUri $script:Emulator.ApiBaseUri -RequestTimeout 42 -PriceTable $script:PricePath
        Set-SeedanceApiKey -PlainTextApiKey (Get-TestApiKey) -Scope Process
        Reset-EmulatorStats -Emulator $script:Emulator
        Reset-EmulatorStats -Emulator $script:OtherEmulator
    }

    AfterEach { Clear-SeedanceSession }

    It 'ForEach-Object -Parallel: every runspace uses the process key, base URI, timeout and price table' {
        $probe = $script:Probe.ToString()
        $results = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            & ([scriptblock]::Create($using:probe)) $using:ModulePath
        }
        Assert-SeesTheProcessSettings $results 3
    }

    It 'Start-ThreadJob: the job uses the process settings' {
        $results = 1..2 | ForEach-Object { Start-ThreadJob -ScriptBlock $script:Probe -ArgumentList $script:ModulePath } |
            Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        Assert-SeesTheProcessSettings $results 2
    }

    It 'a runspace pool: every pooled runspace uses the process settings' {
        $pool = [runspacefactory]::CreateRunspacePool(1, 3)
        $pool.Open()
        try {
            $running = foreach ($i in 1..3) {
                $ps = [powershell]::Create()
                $ps.RunspacePool = $pool
                $null = $ps.AddScript($script:Probe).AddArgument($script:ModulePath)
                [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
            }
            $results = foreach ($r in $running) {
                try { $r.PowerShell.EndInvoke($r.Handle) } finally { $r.PowerShell.Dispose() }
            }
        }
        finally { $pool.Dispose() }
        Assert-SeesTheProcessSettings $results 3
    }

    It 'a setting made in another runspace with -Scope Process is the process''s: this runspace sees it too' {
        Start-ThreadJob -ArgumentList $script:ModulePath, $script:OtherEmulator.ApiBaseUri -ScriptBlock {
            param($ModulePath, $Other)
            Import-Module $ModulePath
            Set-SeedanceConfiguration -BaseUri $Other -RequestTimeout 7
        } | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop

        $config = Get-SeedanceConfiguration
        $config.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:OtherEmulator.ApiBaseUri.TrimEnd('/')
        $config.RequestTimeout | Should -Be ([timespan]::FromSeconds(7))
        (Get-SeedanceTask 'demo_task_t2v_success').Status | Should -Be 'Success'
        Get-RecordInfoCount $script:OtherEmulator | Should -Be 1
    }

    It 'after -Reset of the process settings, no runspace keeps the old ones' {
        Set-SeedanceConfiguration -Reset
        Remove-SeedanceApiKey -Scope Process
        $results = Start-ThreadJob -ArgumentList $script:ModulePath -ScriptBlock {
            param($ModulePath)
            Import-Module $ModulePath
            $config = Get-SeedanceConfiguration
            [pscustomobject]@{ BaseUriSource = $config.BaseUriSource; ApiKeySource = $config.ApiKeySource; PriceTableSource = $config.PriceTableSource }
        } | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        $results.BaseUriSource | Should -Be 'Default'
        $results.ApiKeySource | Should -Be 'CurrentUser'
        $results.PriceTableSource | Should -Be 'Default'
    }
}

Describe '-Scope Runspace: a setting for one runspace only' {
    BeforeEach {
        Clear-SeedanceSession
        Set-SeedanceConfiguration -BaseUri $script:Emulator.ApiBaseUri
        Set-SeedanceApiKey -PlainTextApiKey (Get-TestApiKey) -Scope Process
        Reset-EmulatorStats -Emulator $script:Emulator
        Reset-EmulatorStats -Emulator $script:OtherEmulator
    }

    AfterEach { Clear-SeedanceSession }

    It 'wins over the process setting in its runspace; the other runspaces keep the process''s' {
        $probe = $script:Probe.ToString()
        $results = @(
            @{ Own = $script:OtherEmulator.ApiBaseUri }
            @{ Own = $null }
        ) | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModulePath
            if ($_.Own) { Set-SeedanceConfiguration -BaseUri $_.Own -RequestTimeout 9 -Scope Runspace }
            $config = Get-SeedanceConfiguration
            [pscustomobject]@{
                Own           = [bool]$_.Own
                BaseUriSource = $config.BaseUriSource
                Timeout       = $config.RequestTimeout.TotalSeconds
                Status        = (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status
            }
        }

        $own = $results | Where-Object Own
        $own.BaseUriSource | Should -Be 'Runspace'
        $own.Timeout | Should -Be 9
        $shared = $results | Where-Object { -not $_.Own }
        $shared.BaseUriSource | Should -Be 'Process'
        $shared.Timeout | Should -Be 100
        @($results.Status) | Should -Be @('Success', 'Success')
        Get-RecordInfoCount $script:OtherEmulator | Should -Be 1
        Get-RecordInfoCount $script:Emulator | Should -Be 1
        (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Process'
    }

    It '-Reset -Scope Runspace hands the runspace back to the process settings, not to the defaults' {
        Set-SeedanceConfiguration -BaseUri $script:OtherEmulator.ApiBaseUri -Scope Runspace
        (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Runspace'
        Set-SeedanceConfiguration -Reset -Scope Runspace
        $config = Get-SeedanceConfiguration
        $config.BaseUriSource | Should -Be 'Process'
        $config.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Emulator.ApiBaseUri.TrimEnd('/')
    }

    It '-Reset keeps the key (Remove-SeedanceApiKey forgets it)' {
        Set-SeedanceConfiguration -Reset
        (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
    }
}
