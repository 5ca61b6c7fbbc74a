#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Remove-SeedanceApiKey: forgets the process key in every runspace, deletes the stored key (not under -WhatIf).

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSandbox.ps1')
}

AfterAll {
    Exit-ConfigurationSandbox
}

Describe 'Remove-SeedanceApiKey' {
    BeforeEach { Enter-ConfigurationTest }

    AfterEach { Exit-ConfigurationTest }

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
