#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What build.ps1 relies on and promises: Invoke-Native passing arguments whole (build.ps1 Emulator once failed with
# "dotnet-/ does not exist"), the release notes taken from CHANGELOG.md into the built manifest, the icon, and the
# PowerShell versions the module says it supports (7.0 to 7.3 refused at import, with a message).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = Split-Path (Split-Path $PSScriptRoot)
    . (Join-Path $script:Root 'tools/BuildHelpers.ps1')
    . (Join-Path $script:Root 'tools/PackageHelpers.ps1')
    $script:Pwsh = @(Get-PwshCommand)
    $script:Module = Import-Module (Get-TestModulePath) -Force -PassThru
}

Describe 'Invoke-Native' {
    It 'passes a single argument whole' {
        # The bug: "$command, $arguments = $args" makes one argument a string, which splatting passes char by char.
        $version = Invoke-Native dotnet --version
        $version | Should -Match '^\d+\.\d+\.\d+'
    }

    It 'passes several arguments whole, spaces and dashes included' {
        $output = Invoke-Native $script:Pwsh[0] @($script:Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command 'Write-Output "a b" -c'
        $output | Should -Be @('a b', '-c')
    }

    It 'throws, naming the command and its exit code, when the command fails' {
        { Invoke-Native $script:Pwsh[0] @($script:Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command 'exit 3' } | Should -Throw '*failed with exit code 3*'
    }

    It 'starts the emulator as build.ps1 Emulator does (Invoke-Native dotnet, then the emulator dll alone)' {
        $dll = Get-TestEmulatorPath
        $announce = Join-Path (New-TestFolder -Prefix 'seedance-emulator-run') 'stdout.txt'
        $child = Start-ChildPwsh -Script ". '$(Join-Path $script:Root 'tools/BuildHelpers.ps1')'`nInvoke-Native dotnet '$dll' > '$announce'"
        try {
            $announced = { (Test-Path $announce) -and (Get-Content $announce -Raw) -match 'apiBaseUri' }
            $null = Wait-Until { (& $announced) -or $child.Process.HasExited } -TimeoutSeconds 60
            & $announced | Should -BeTrue -Because "the emulator should announce its ports (the child exited: $($child.Process.HasExited))"
            $emulator = (Get-Content $announce -Raw) | ConvertFrom-Json
            (Invoke-RestMethod -Uri "$($emulator.controlUri)/account" -NoProxy -TimeoutSec 10).credits | Should -BeGreaterThan 0
        }
        finally {
            try { $child.Process.Kill($true) } catch { }
            $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 20
            Remove-Item (Split-Path $announce) -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'build.ps1 Emulator, the hand-off to a second session (issue 18)' {
    It 'starts without building when the build is current, and prints the two lines to paste, which work as pasted' {
        # build.ps1 Test (and Build) end by stamping the build, so here the build is current; a test that found it
        # otherwise would start a rebuild of out/ under the running suite, so it stops instead.
        Test-BuildCurrent -Root $script:Root -Stamp (Join-Path $script:Root 'out/build.stamp') -Configuration 'Release' | Should -BeTrue -Because 'build.ps1 Build stamps out/build.stamp, and no source may change after it (an edit during the test run makes the build stale)'
        $folder = New-TestFolder -Prefix 'seedance-emulator-task'
        $announce = Join-Path $folder 'stdout.txt'
        $child = Start-ChildPwsh -Script "& '$(Join-Path $script:Root 'build.ps1')' Emulator *> '$announce'"
        try {
            $announced = { (Test-Path $announce) -and (Get-Content $announce -Raw) -match 'Set-SeedanceApiKey' }
            $null = Wait-Until { (& $announced) -or $child.Process.HasExited } -TimeoutSeconds 60
            & $announced | Should -BeTrue -Because "build.ps1 Emulator should print the lines to paste (exited: $($child.Process.HasExited))"
            $text = Get-Content $announce -Raw
            $text | Should -Not -Match 'Building Seedance'
            $paste = @(Get-Content $announce | Where-Object { $_ -match '^Set-Seedance' })
            $paste | Should -HaveCount 2
            $paste[0] | Should -Match '^Set-SeedanceConfiguration -BaseUri http://127\.0\.0\.1:\d+/api/v1$'

            $user = Start-ChildPwsh -Script ("Import-Module `$env:SEEDANCE_TEST_MODULE`n" + ($paste -join "`n") + "`n(New-SeedanceTask 'pasted from the hand-off' -Duration 4).TaskId")
            $result = Wait-ChildPwsh -Child $user -TimeoutSeconds 120
            $result.StdOut.Trim() | Should -Match '^task_' -Because $result.StdErr
        }
        finally {
            try { $child.Process.Kill($true) } catch { }
            $null = Wait-ChildPwsh -Child $child -TimeoutSeconds 20
            Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Release notes from CHANGELOG.md' {
    BeforeAll {
        $script:Folder = New-TestFolder -Prefix 'seedance-changelog'
        $script:Changelog = Join-Path $script:Folder 'CHANGELOG.md'
        Set-Content -LiteralPath $script:Changelog -Encoding utf8 -Value @"
# Changelog

## [1.1.0-preview2] - 2027-01-02
- It's a preview: quotes ' and "double" stay.

## [1.0.0] - 2026-12-24
### Added
- First.

## 0.9.0
- Older.
"@
    }

    AfterAll { Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }

    It 'takes the section of the version, and only it: <Version>' -ForEach @(
        @{ Version = '1.1.0-preview2'; Expected = "- It's a preview: quotes ' and `"double`" stay." }
        @{ Version = '1.0.0'; Expected = "### Added`n- First." }
        @{ Version = '0.9.0'; Expected = '- Older.' }
    ) {
        Get-ChangelogSection -Path $script:Changelog -Version $Version | Should -Be $Expected
    }

    It 'refuses to build a version the changelog does not describe' {
        { Get-ChangelogSection -Path $script:Changelog -Version '1.1.0' } | Should -Throw '*has no ''## `[1.1.0`]'' section*'
    }

    It 'writes the section into a manifest''s ReleaseNotes, quotes escaped, prerelease label included in the version' {
        $manifest = Join-Path $script:Folder 'Fake.psd1'
        Set-Content -LiteralPath $manifest -Value @"
@{
    ModuleVersion = '1.1.0'
    PrivateData = @{
        PSData = @{
            ProjectUri   = 'https://example.com/fake'
            ReleaseNotes = ''
            Prerelease   = 'preview2'
        }
    }
}
"@
        Set-BuiltManifestReleaseNotes -ManifestPath $manifest -ChangelogPath $script:Changelog
        $notes = (Import-PowerShellDataFile $manifest).PrivateData.PSData.ReleaseNotes
        $notes | Should -Be "- It's a preview: quotes ' and `"double`" stay.`n`nAll changes: https://example.com/fake/blob/main/CHANGELOG.md"
    }

    It 'the built manifest has the CHANGELOG.md section of its version; the source manifest has none' {
        $built = Import-PowerShellDataFile (Get-TestModulePath)
        $source = Import-PowerShellDataFile (Join-Path $script:Root 'Seedance.psd1')
        $section = Get-ChangelogSection -Path (Join-Path $script:Root 'CHANGELOG.md') -Version (Get-ModuleReleaseVersion $built)
        $built.PrivateData.PSData.ReleaseNotes.StartsWith($section) | Should -BeTrue -Because "ReleaseNotes should start with the CHANGELOG.md section:`n$section"
        $source.PrivateData.PSData.ReleaseNotes | Should -BeNullOrEmpty
        $built.ModuleVersion | Should -Be $source.ModuleVersion
    }

    It 'the manifest''s IconUri is docs/images/icon.png of the repository, a PNG' {
        $psData = $script:Module.PrivateData.PSData
        $psData.IconUri | Should -Match '^https://raw\.githubusercontent\.com/.+/main/docs/images/icon\.png$'
        $psData.IconUri | Should -BeLike "*$(([uri]$psData.ProjectUri).AbsolutePath)/main/*"
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:Root 'docs/images/icon.png'))
        [Text.Encoding]::ASCII.GetString($bytes, 1, 3) | Should -Be 'PNG'
    }
}

Describe 'Supported PowerShell versions' {
    It 'refuses PowerShell <PowerShell> on <Framework> with a message naming 7.4 and the running version' -ForEach @(
        @{ PowerShell = '7.0.13'; Framework = '.NET Core 3.1.32'; Runtime = '3.1.32' }
        @{ PowerShell = '7.2.24'; Framework = '.NET 6.0.36'; Runtime = '6.0.36' }
        @{ PowerShell = '7.3.12'; Framework = '.NET 7.0.20'; Runtime = '7.0.20' }
    ) {
        $message = [Seedance.Commands.Infrastructure.DependencyIsolation]::UnsupportedRuntime($Framework, [version]$Runtime, $PowerShell)
        $message | Should -Match 'needs PowerShell 7\.4 or later, or Windows PowerShell 5\.1'
        $message | Should -Match ([regex]::Escape("PowerShell $PowerShell on $Framework"))
    }

    It 'accepts <Name>' -ForEach @(
        @{ Name = 'Windows PowerShell 5.1'; Framework = '.NET Framework 4.8.9290.0'; Runtime = '4.0.30319.42000' }
        @{ Name = 'PowerShell 7.4'; Framework = '.NET 8.0.11'; Runtime = '8.0.11' }
        @{ Name = 'PowerShell 7.6'; Framework = '.NET 10.0.1'; Runtime = '10.0.1' }
    ) {
        [Seedance.Commands.Infrastructure.DependencyIsolation]::UnsupportedRuntime($Framework, [version]$Runtime, 'x') | Should -BeNullOrEmpty
    }

    It 'imports in this PowerShell, which the check passes' {
        $script:Module.Name | Should -Be 'Seedance'
        [Seedance.Commands.Infrastructure.DependencyIsolation]::UnsupportedRuntime([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription, [Environment]::Version, '') | Should -BeNullOrEmpty
    }

    It 'README and manifest state Windows PowerShell 5.1 and PowerShell 7.4 or later' {
        $readme = Get-Content (Join-Path $script:Root 'README.md') -Raw
        $readme | Should -Match 'Windows PowerShell 5\.1'
        $readme | Should -Match 'PowerShell 7\.4 or later'
        $readme | Should -Not -Match '7\.2\+'
        $script:Module.Description | Should -Match 'Windows PowerShell 5\.1 and PowerShell 7\.4 or later'
        $script:Module.PowerShellVersion | Should -Be '5.1'
    }
}
