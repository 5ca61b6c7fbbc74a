#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Where the key and the base URI come from (session > environment > stored > default), the key store on disk,
# that the key is never shown, and the errors for no key, a wrong key and an unusable base URI.
# Every test runs with its own XDG_CONFIG_HOME, no SEEDANCE_* variables and no session settings.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Two API hosts, to see which one a request really went to. Both accept only the test key.
    $script:Emulator = Start-TestEmulator
    $script:OtherEmulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -NoEnvironmentKey
    $script:ValidKey = Get-TestApiKey
    $script:WrongKey = 'sk-wrong-0123456789abcdef'

    function Get-CreateCount($Emulator) { (Get-EmulatorStats -Emulator $Emulator).createRequests }
    function Get-ApiRequestCount($Emulator) { @((Get-EmulatorStats -Emulator $Emulator).apiRequests).Count }
    function Get-StoredKeyPath { Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey' }
    function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString -String $Text -AsPlainText -Force }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
    Stop-TestEmulator $script:OtherEmulator
}

Describe 'Configuration' {
    BeforeEach {
        Clear-SeedanceSession
        $env:SEEDANCE_API_KEY = $null
        $env:SEEDANCE_BASE_URI = $null
        $env:XDG_CONFIG_HOME = New-TestFolder -Prefix 'seedance-config'
        Reset-EmulatorStats -Emulator $script:Emulator
        Reset-EmulatorStats -Emulator $script:OtherEmulator
    }

    AfterEach {
        Clear-SeedanceSession
        Remove-Item -LiteralPath $env:XDG_CONFIG_HOME -Recurse -Force -ErrorAction SilentlyContinue
        $env:XDG_CONFIG_HOME = $script:Sandbox.ConfigDir
        $env:SEEDANCE_API_KEY = $null
        $env:SEEDANCE_BASE_URI = $null
    }

    Context 'no key anywhere' {
        It 'stops with one terminating ApiKeyNotSet error that says how to set a key, and sends nothing' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            $created = [System.Collections.Generic.List[object]]::new()
            $caught = $null
            try { 'one', 'two', 'three' | New-SeedanceTask | ForEach-Object { $created.Add($_) } }
            catch { $caught = $_ }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'ApiKeyNotSet,*'
            $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $message = "$caught"
            $message | Should -Match 'Set-SeedanceApiKey'
            $message | Should -Match 'SEEDANCE_API_KEY'
            $message | Should -Match '-Scope Process'
            $created | Should -HaveCount 0
            Get-ApiRequestCount $script:Emulator | Should -Be 0
        }

        It 'records exactly one error for a whole piped batch (child pwsh, $Error counted)' {
            $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = $null; SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$Error.Clear()
'one', 'two', 'three' | New-SeedanceTask -ErrorAction Continue
"ERRORS=$($Error.Count)"
"IDS=$(($Error | ForEach-Object FullyQualifiedErrorId) -join ';')"
'@
            $result.StdOut | Should -Match 'ERRORS=1\b'
            $result.StdOut | Should -Match 'IDS=ApiKeyNotSet,Seedance\.Commands\.NewSeedanceTaskCommand'
            Get-ApiRequestCount $script:Emulator | Should -Be 0
        }

        It '<Command> also stops with ApiKeyNotSet and sends nothing' -ForEach @(
            @{ Command = 'Get-SeedanceTask'; Script = { Get-SeedanceTask -TaskId 'demo_task_t2v_success' } }
            @{ Command = 'Wait-SeedanceTask'; Script = { Wait-SeedanceTask -TaskId 'demo_task_t2v_success' } }
            @{ Command = 'Save-SeedanceVideo'; Script = { Save-SeedanceVideo -TaskId 'demo_task_t2v_success' -Path $env:XDG_CONFIG_HOME } }
        ) {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            $Script | Should -Throw -ErrorId 'ApiKeyNotSet,*'
            Get-ApiRequestCount $script:Emulator | Should -Be 0
        }

        It 'shows ApiKeySource None in Get-SeedanceConfiguration' {
            $config = Get-SeedanceConfiguration
            $config.ApiKeySource | Should -Be 'None'
            $config.HasApiKey | Should -BeFalse
        }
    }

    Context 'the environment' {
        It 'uses SEEDANCE_API_KEY and SEEDANCE_BASE_URI' {
            $env:SEEDANCE_API_KEY = $script:ValidKey
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri

            $config = Get-SeedanceConfiguration
            $config.ApiKeySource | Should -Be 'Environment'
            $config.BaseUriSource | Should -Be 'Environment'
            $config.BaseUri.AbsoluteUri.TrimEnd('/') | Should -Be $script:Emulator.ApiBaseUri.TrimEnd('/')

            (New-SeedanceTask 'from the environment').TaskId | Should -Match '^task_'
            Get-CreateCount $script:Emulator | Should -Be 1
            Get-ApiRequestCount $script:OtherEmulator | Should -Be 0
        }

        It 'defaults to the public service when no base URI is set' {
            $config = Get-SeedanceConfiguration
            $config.BaseUriSource | Should -Be 'Default'
            $config.BaseUri.AbsoluteUri | Should -Be 'https://seedance2-pro.com/api/v1'
        }

        It 'refuses a plain-http SEEDANCE_BASE_URI to another host (InvalidBaseUri) and sends nothing' {
            $env:SEEDANCE_API_KEY = $script:ValidKey
            $env:SEEDANCE_BASE_URI = 'http://seedance.example.com/api/v1'
            { New-SeedanceTask 'insecure' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
            Get-ApiRequestCount $script:Emulator | Should -Be 0
        }
    }

    Context 'precedence: session beats environment beats stored' {
        It 'a session key beats the environment key' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            $env:SEEDANCE_API_KEY = $script:WrongKey
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Process
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
            (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status | Should -Be 'Success'

            # And the other way round: a wrong session key is used although the environment's is right.
            Set-SeedanceApiKey -PlainTextApiKey $script:WrongKey -Scope Process
            $env:SEEDANCE_API_KEY = $script:ValidKey
            { Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop } | Should -Throw -ErrorId 'Unauthorized,*'
        }

        It 'the environment key beats the stored key' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -PlainTextApiKey $script:WrongKey -WarningAction SilentlyContinue
            $env:SEEDANCE_API_KEY = $script:ValidKey
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Environment'
            (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status | Should -Be 'Success'

            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -WarningAction SilentlyContinue
            $env:SEEDANCE_API_KEY = $script:WrongKey
            { Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop } | Should -Throw -ErrorId 'Unauthorized,*'
        }

        It 'the stored key is used when nothing else is set' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'CurrentUser'
            (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status | Should -Be 'Success'
        }

        It 'a process base URI beats SEEDANCE_BASE_URI, until -Reset' {
            $env:SEEDANCE_API_KEY = $script:ValidKey
            $env:SEEDANCE_BASE_URI = $script:OtherEmulator.ApiBaseUri
            Set-SeedanceConfiguration -BaseUri $script:Emulator.ApiBaseUri

            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Process'
            $null = New-SeedanceTask 'to the session host'
            Get-CreateCount $script:Emulator | Should -Be 1
            Get-CreateCount $script:OtherEmulator | Should -Be 0

            Set-SeedanceConfiguration -Reset
            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Environment'
            $null = New-SeedanceTask 'to the environment host'
            Get-CreateCount $script:Emulator | Should -Be 1
            Get-CreateCount $script:OtherEmulator | Should -Be 1
        }

        It 'warns when storing a key that a session or environment key overrides' {
            $env:SEEDANCE_API_KEY = $script:ValidKey
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -Match 'SEEDANCE_API_KEY'
        }
    }

    Context 'the key is never shown' {
        It 'a wrong key gives a non-terminating Unauthorized (AuthenticationError) that does not echo the key' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -PlainTextApiKey $script:WrongKey -Scope Process
            $out = Get-SeedanceTask 'demo_task_t2v_success', 'demo_task_i2v_success' -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 2
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
            $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $errors[0].TargetObject | Should -Be 'demo_task_t2v_success'
            ($errors | Out-String -Width 300) | Should -Not -Match ([regex]::Escape($script:WrongKey))
            # The 401 is not retried.
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoRequests | Should -Be 2
        }

        It 'a wrong key stops New-SeedanceTask with one terminating Unauthorized error, nothing created' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            $env:SEEDANCE_API_KEY = $script:WrongKey
            $caught = $null
            try { 'first', 'second' | New-SeedanceTask } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
            $caught.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$caught" | Should -Not -Match ([regex]::Escape($script:WrongKey))
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 1
            $stats.tasksCreated | Should -Be 0
        }
    }
}
