#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Set-SeedanceApiKey: a key for the process, one runspace or the user's key store (0600 in a 0700 folder), -WhatIf.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSandbox.ps1')
}

AfterAll {
    Exit-ConfigurationSandbox
}

Describe 'Set-SeedanceApiKey' {
    BeforeEach { Enter-ConfigurationTest }

    AfterEach { Exit-ConfigurationTest }

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

        It 'removes the temporary files a killed store left (older than 10 minutes), never a newer one or a file of another name' -Skip:(-not $IsLinux) {
            Set-SeedanceApiKey -PlainTextApiKey 'sk-first'
            $folder = Split-Path (Get-StoredKeyPath)
            $stale = Join-Path $folder 'apikey.0badf00d.tmp'
            $fresh = Join-Path $folder 'apikey.1badf00d.tmp'
            $other = Join-Path $folder 'apikey.notours.tmp'
            foreach ($file in $stale, $fresh, $other) { Set-Content -LiteralPath $file -Value 'left over' }
            foreach ($file in $stale, $other) { (Get-Item -LiteralPath $file).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-1) }

            Set-SeedanceApiKey -PlainTextApiKey 'sk-second'

            @(Get-ChildItem -LiteralPath $folder -Force).Name | Sort-Object | Should -Be @('apikey', 'apikey.1badf00d.tmp', 'apikey.notours.tmp')
        }

        It 'Set-SeedanceApiKey -WhatIf stores nothing' {
            Set-SeedanceApiKey -PlainTextApiKey 'sk-what-if' -WhatIf
            Test-Path -LiteralPath (Get-StoredKeyPath) | Should -BeFalse
        }
    }
}
