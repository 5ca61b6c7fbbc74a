#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every path the user writes (Save-SeedanceVideo -Path, Export-SeedanceGallery -Path, -JournalPath, -PriceTable, a CSV's
# material cell) is resolved one way: against the PowerShell location, never the process's folder. On Linux a UNC-style
# '\\host\share\y' is not rooted for .NET (backslash is no separator there), so it is a relative name like any other,
# its backslashes separators as PowerShell reads them: <location>/host/share/y (issue 15); before, .NET resolved it
# against the process's folder. Windows reads it as a real UNC path.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Location = New-TestFolder -Prefix 'seedance-location'
    $script:Process = New-TestFolder -Prefix 'seedance-process'
    $script:Done = @('a path to resolve' | New-SeedanceTask -Duration 4 | Wait-SeedanceTask -PollInterval 0.1)
    $script:Done | Should -HaveCount 1

    function Invoke-InLocation([scriptblock] $Script) {
        # The PowerShell location and the process's folder differ, as they do in any session that used Set-Location.
        $before = [Environment]::CurrentDirectory
        Push-Location -LiteralPath $script:Location
        try {
            [Environment]::CurrentDirectory = $script:Process
            & $Script
        }
        finally {
            [Environment]::CurrentDirectory = $before
            Pop-Location
        }
    }

    function Get-ProcessFolderContent { @(Get-ChildItem -LiteralPath $script:Process -Force -Recurse) }
}

AfterAll {
    Set-SeedanceConfiguration -Reset -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $script:Location, $script:Process -Recurse -Force -ErrorAction SilentlyContinue
    Exit-TestSandbox $script:Sandbox
}

Describe 'A UNC-style path on Linux is relative to the PowerShell location' -Skip:(-not $IsLinux) {
    It 'Save-SeedanceVideo -Path \\host\share\videos saves into the location' {
        $saved = Invoke-InLocation { $script:Done | Save-SeedanceVideo -Path '\\host\share\videos' }

        $saved | Should -HaveCount 1
        $saved.DirectoryName | Should -Be (Join-Path $script:Location '\\host\share\videos')
        Get-ProcessFolderContent | Should -HaveCount 0
    }

    It 'Save-SeedanceVideo -Path \\host\share\one.mp4 saves that one file in the location' {
        $saved = Invoke-InLocation { $script:Done | Save-SeedanceVideo -Path '\\host\share\one.mp4' }

        $saved.FullName | Should -Be (Join-Path $script:Location '\\host\share\one.mp4')
        Get-ProcessFolderContent | Should -HaveCount 0
    }

    It 'Export-SeedanceGallery -Path \\host\share\page writes the page in the location' {
        Invoke-InLocation { $script:Done | Export-SeedanceGallery -Path '\\host\share\page' }

        Test-Path -LiteralPath (Join-Path (Join-Path $script:Location '\\host\share\page') 'index.html') | Should -BeTrue
        Get-ProcessFolderContent | Should -HaveCount 0
    }

    It 'Set-SeedanceConfiguration -JournalPath \\host\share\journal.jsonl is a file in the location' {
        try {
            Invoke-InLocation { Set-SeedanceConfiguration -JournalPath '\\host\share\journal.jsonl' }
            (Get-SeedanceConfiguration -WarningAction SilentlyContinue).JournalPath | Should -Be (Join-Path $script:Location '\\host\share\journal.jsonl')
            Get-ProcessFolderContent | Should -HaveCount 0
        }
        finally { Set-SeedanceConfiguration -Reset }
    }

    It 'Set-SeedanceConfiguration -PriceTable \\host\share\prices.json reads the file in the location' {
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:Location 'host/share'), (Join-Path $script:Process 'host/share')
        Set-Content -LiteralPath (Join-Path $script:Location '\\host\share\prices.json') -Value '{ "source": "in the location", "models": { "seedance-20": { "creditsPerSecond": 41 } } }'
        Set-Content -LiteralPath (Join-Path $script:Process '\\host\share\prices.json') -Value '{ "source": "in the process folder", "models": { "seedance-20": { "creditsPerSecond": 99 } } }'
        try {
            Invoke-InLocation { Set-SeedanceConfiguration -PriceTable '\\host\share\prices.json' }
            (Get-SeedanceCreditCost -Model seedance-20 -Duration 5).Credits | Should -Be 205
        }
        finally {
            Set-SeedanceConfiguration -Reset
            Remove-Item -LiteralPath (Join-Path $script:Process 'host') -Recurse
        }
    }

    It 'a CSV material cell \\host\share\cat.png is looked for in the location' {
        $result = Invoke-InLocation {
            [pscustomobject]@{ Prompt = 'a cat @1'; Image = '\\host\share\cat.png' } |
                New-SeedanceTask -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems
        }

        $result[0].FullyQualifiedErrorId | Should -BeLike 'MaterialFileNotFound,*'
        $result[0].TargetObject | Should -Be (Join-Path $script:Location '\\host\share\cat.png')
    }
}
