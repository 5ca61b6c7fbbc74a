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

        It 'sets the per-request timeout for the session' {
            Set-SeedanceConfiguration -RequestTimeout 42
            (Get-SeedanceConfiguration).RequestTimeout | Should -Be ([timespan]::FromSeconds(42))
        }
    }
}
