#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceConfiguration: where each setting comes from, never the key itself.

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

Describe 'Get-SeedanceConfiguration' {
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

    Context 'the key is never shown' {
        It 'Get-SeedanceConfiguration shows where the key comes from, never the key (<Source>)' -ForEach @(
            @{ Source = 'Process' }
            @{ Source = 'Runspace' }
            @{ Source = 'Environment' }
            @{ Source = 'CurrentUser' }
        ) {
            $secret = 'sk-live-' + [guid]::NewGuid().ToString('N')
            switch ($Source) {
                'Process' { Set-SeedanceApiKey -PlainTextApiKey $secret -Scope Process }
                'Runspace' { Set-SeedanceApiKey -PlainTextApiKey $secret -Scope Runspace }
                'Environment' { $env:SEEDANCE_API_KEY = $secret }
                'CurrentUser' { Set-SeedanceApiKey -PlainTextApiKey $secret }
            }

            $config = Get-SeedanceConfiguration
            $config.ApiKeySource | Should -Be $Source
            $config.HasApiKey | Should -BeTrue
            $texts = @(
                ($config | Out-String -Width 300)
                ($config | Format-List | Out-String -Width 300)
                ($config | Format-List -Property * -Force | Out-String -Width 300)
                ($config | Format-Table -Property * | Out-String -Width 300)
                ($config | ConvertTo-Json -Depth 5)
                ($config | Select-Object -Property * | Out-String -Width 300)
                [System.Management.Automation.PSSerializer]::Serialize($config, 3)
            )
            # The checks below must be able to see a leak: the default view does show the source.
            $texts[1] | Should -Match $Source
            foreach ($text in $texts) { $text | Should -Not -Match ([regex]::Escape($secret)) }
        }
    }
}
