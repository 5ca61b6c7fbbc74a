#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SeedanceConfiguration: where each setting comes from, never the key itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ConfigurationSandbox.ps1')
}

AfterAll {
    Exit-ConfigurationSandbox
}

Describe 'Get-SeedanceConfiguration' {
    BeforeEach { Enter-ConfigurationTest }

    AfterEach { Exit-ConfigurationTest }

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

        It 'its warnings quote a setting that holds the key with the key masked' {
            # Get-SeedanceConfiguration is no API command, but its warnings pass the same key gate as theirs.
            $secret = 'sk-live-' + [guid]::NewGuid().ToString('N')
            $env:SEEDANCE_API_KEY = $secret
            $env:SEEDANCE_BASE_URI = "http://remote.example.com/$secret/api/v1"
            $null = Get-SeedanceConfiguration -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -Not -BeNullOrEmpty
            "$warnings" | Should -Match 'SEEDANCE_BASE_URI is .http://remote\.example\.com/'
            "$warnings" | Should -Not -Match ([regex]::Escape($secret))
        }

        It 'its object shows a setting that holds the key with the key masked, as its warnings do: <Case>' -ForEach @(
            @{ Case = 'an unusable SEEDANCE_BASE_URI'; Variable = 'SEEDANCE_BASE_URI'; Value = 'ftp://h.example/{0}/api/v1'; Shown = 'ftp://h\.example/' }
            @{ Case = 'a usable SEEDANCE_BASE_URI'; Variable = 'SEEDANCE_BASE_URI'; Value = 'https://h.example/{0}/api/v1'; Shown = 'https://h\.example/' }
            @{ Case = 'a relative SEEDANCE_JOURNAL_PATH'; Variable = 'SEEDANCE_JOURNAL_PATH'; Value = 'rel/{0}'; Shown = 'JournalPath +: rel/' }
            @{ Case = 'a stored settings file'; Value = '{{ "DailyCreditLimit": "{0}" }}'; Shown = 'DailyCreditLimit is "' }
        ) {
            # G2 (attack 7): the warnings were masked, the object beside them (BaseUri, BaseUriProblem, JournalPath) was not.
            $secret = 'sk-live-' + [guid]::NewGuid().ToString('N')
            $journal = $env:SEEDANCE_JOURNAL_PATH
            try {
                $env:SEEDANCE_API_KEY = $secret
                if ($Variable) { Set-Item -LiteralPath "env:$Variable" -Value ($Value -f $secret) }
                else {
                    Set-SeedanceConfiguration -DailyCreditLimit 1 -Scope CurrentUser
                    Set-Content -LiteralPath (Get-SeedanceConfiguration).SettingsPath -Value ($Value -f $secret) -NoNewline
                }

                $config = Get-SeedanceConfiguration -WarningAction SilentlyContinue
                $texts = @(
                    ($config | Format-List -Property * -Force | Out-String -Width 400)
                    ($config | ConvertTo-Json -Depth 5)
                    [System.Management.Automation.PSSerializer]::Serialize($config, 3)
                )
                # The checks below must be able to see a leak: the setting that holds the key is shown.
                $texts[0] | Should -Match $Shown
                foreach ($text in $texts) { $text | Should -Not -Match ([regex]::Escape($secret)) }
            }
            finally { $env:SEEDANCE_JOURNAL_PATH = $journal }
        }
    }
}
