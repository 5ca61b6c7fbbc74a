#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Remove-SeedanceApiKey: forgets the process key in every runspace, deletes the stored key (not under -WhatIf).

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

Describe 'Remove-SeedanceApiKey' {
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

    Context 'the session key' {
        It 'is forgotten by Remove-SeedanceApiKey -Scope Process' {
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Process
            Remove-SeedanceApiKey -Scope Process
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'None'
        }

        It 'is forgotten in every runspace by Remove-SeedanceApiKey -Scope Process in any one of them' {
            Set-SeedanceApiKey -PlainTextApiKey $script:ValidKey -Scope Process
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($ModulePath)
                        Import-Module $ModulePath
                        Remove-SeedanceApiKey -Scope Process
                    }).AddArgument((Get-TestModulePath))
                $ps.Invoke()
            }
            finally { $ps.Dispose() }
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'None'
        }
    }

    Context 'the key store (Linux/macOS file)' -Skip:$IsWindows {
        It 'Remove-SeedanceApiKey deletes the stored key (and -WhatIf does not)' {
            Set-SeedanceApiKey -PlainTextApiKey 'sk-to-remove'
            $path = Get-StoredKeyPath
            Remove-SeedanceApiKey -WhatIf
            Test-Path -LiteralPath $path | Should -BeTrue

            Remove-SeedanceApiKey
            Test-Path -LiteralPath $path | Should -BeFalse
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'None'
        }
    }
}
