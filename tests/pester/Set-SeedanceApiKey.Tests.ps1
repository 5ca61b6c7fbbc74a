#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Set-SeedanceApiKey: a key for the process, one runspace or the user's key store (0600 in a 0700 folder), -WhatIf.

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

Describe 'Set-SeedanceApiKey' {
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

    Context 'Set-SeedanceApiKey -Scope Process' {
        It 'uses a SecureString key for this session only, storing nothing' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -ApiKey (ConvertTo-Secure $script:ValidKey) -Scope Process

            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
            (New-SeedanceTask 'session secure key').TaskId | Should -Match '^task_'
            Get-CreateCount $script:Emulator | Should -Be 1
            Test-Path -LiteralPath (Get-StoredKeyPath) | Should -BeFalse
        }

        It 'uses a -PlainTextApiKey key for this session only, storing nothing' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Process

            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
            (Get-SeedanceTask 'demo_task_t2v_success').Status | Should -Be 'Success'
            Test-Path -LiteralPath (Get-StoredKeyPath) | Should -BeFalse
        }

        It 'takes the SecureString from the pipeline' {
            ConvertTo-Secure $script:ValidKey | Set-SeedanceApiKey -Scope Process
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
        }

        It 'refuses an empty key' {
            { Set-SeedanceApiKey -PlainTextApiKey '   ' -Scope Process } | Should -Throw -ErrorId 'ApiKeyEmpty,*'
        }

        It 'reaches another runspace of the process (-Scope Process means the process)' {
            $ps = [powershell]::Create()
            try {
                Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Process
                $null = $ps.AddScript({
                        param($ModulePath)
                        Import-Module $ModulePath
                        (Get-SeedanceConfiguration).ApiKeySource
                    }).AddArgument((Get-TestModulePath))
                $ps.Invoke() | Should -Be 'Process'
            }
            finally { $ps.Dispose() }
        }

    }

    Context 'Set-SeedanceApiKey -Scope Runspace' {
        It 'belongs to one runspace: another runspace does not see it, and it beats the process key there' {
            Set-SeedanceApiKey -PlainTextApiKey $script:WrongKey -Scope Process
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($ModulePath, $Key)
                        Import-Module $ModulePath
                        Set-SeedanceApiKey -PlainTextApiKey $Key -Scope Runspace
                        (Get-SeedanceConfiguration).ApiKeySource
                    }).AddArgument((Get-TestModulePath)).AddArgument($script:ValidKey)
                $ps.Invoke() | Should -Be 'Runspace'
            }
            finally { $ps.Dispose() }
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
        }

        It 'is used for requests in its runspace, and Remove-SeedanceApiKey -Scope Runspace falls back to the process key' {
            $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
            Set-SeedanceApiKey -PlainTextApiKey $script:WrongKey -Scope Process
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Runspace
            try {
                (Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop).Status | Should -Be 'Success'
                Remove-SeedanceApiKey -Scope Runspace
                (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Process'
                { Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop } | Should -Throw -ErrorId 'Unauthorized,*'
            }
            finally { Remove-SeedanceApiKey -Scope Runspace }
        }
    }

    Context 'the key store (Linux/macOS file)' -Skip:$IsWindows {
        It 'stores the key in $XDG_CONFIG_HOME/seedance/apikey, file 0600 in a 0700 folder' -Skip:(-not $IsLinux) {
            Set-SeedanceApiKey -ApiKey (ConvertTo-Secure 'sk-stored-secure-key')
            $path = Get-StoredKeyPath
            Test-Path -LiteralPath $path | Should -BeTrue
            (Get-Content -LiteralPath $path -Raw).Trim() | Should -BeExactly 'sk-stored-secure-key'
            Get-UnixMode $path | Should -Be '600'
            Get-UnixMode (Split-Path $path) | Should -Be '700'
            (Get-SeedanceConfiguration).KeyStorePath | Should -Be $path
        }

        It 'replaces a stored key with -PlainTextApiKey, keeps 0600, and leaves no temporary file' -Skip:(-not $IsLinux) {
            Set-SeedanceApiKey -PlainTextApiKey 'sk-first'
            Set-SeedanceApiKey -PlainTextApiKey 'sk-second'
            $path = Get-StoredKeyPath
            (Get-Content -LiteralPath $path -Raw).Trim() | Should -BeExactly 'sk-second'
            Get-UnixMode $path | Should -Be '600'
            @(Get-ChildItem -LiteralPath (Split-Path $path) -Force).Name | Should -Be @('apikey')
        }

        It 'Set-SeedanceApiKey -WhatIf stores nothing' {
            Set-SeedanceApiKey -PlainTextApiKey 'sk-what-if' -WhatIf
            Test-Path -LiteralPath (Get-StoredKeyPath) | Should -BeFalse
        }
    }
}
