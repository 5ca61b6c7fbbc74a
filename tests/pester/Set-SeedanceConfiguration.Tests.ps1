#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Set-SeedanceConfiguration: settings for the session, refused when unusable.

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

Describe 'Set-SeedanceConfiguration' {
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

    Context 'Set-SeedanceConfiguration' {
        It 'refuses a plain-http base URI to another host with InvalidBaseUri' {
            { Set-SeedanceConfiguration -BaseUri 'http://seedance.example.com/api/v1' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Default'
        }

        It 'sets the per-request timeout for the session' {
            Set-SeedanceConfiguration -RequestTimeout 42
            (Get-SeedanceConfiguration).RequestTimeout | Should -Be ([timespan]::FromSeconds(42))
        }
    }
}
