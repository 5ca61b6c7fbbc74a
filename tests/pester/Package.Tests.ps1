#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The package as a Gallery user gets it: build.ps1 Package's own function packs the built module, then
# Install-PSResource (PSResourceGet) and Install-Module (PowerShellGet 2) install it from a local folder repository
# into a throw-away user profile (HOME, XDG folders, PSModulePath of its own; PSGallery is never asked), and the
# installed module runs New | Wait | Save against the emulator. A prerelease label goes through the same way.
# Linux and macOS only: the profile is isolated through HOME, which Windows does not use for module paths.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Split-Path (Split-Path $PSScriptRoot)
    . (Join-Path $root 'tools/BuildHelpers.ps1')
    . (Join-Path $root 'tools/PackageHelpers.ps1')
    Add-Type -AssemblyName System.IO.Compression.FileSystem

    $script:ModuleDir = Split-Path (Get-TestModulePath)
    $script:Built = Import-PowerShellDataFile (Get-TestModulePath)
    $script:Work = New-TestFolder -Prefix 'seedance-package'
    $script:Repository = Join-Path $script:Work 'repository'
    $script:Include = @((Join-Path $root 'LICENSE'), (Join-Path $root 'README.md'))
    $script:Package = Publish-ModulePackage -ModuleDir $script:ModuleDir -OutputDir $script:Repository -Include $script:Include
    $script:Emulator = Start-TestEmulator

    function Invoke-InstalledModule {
        <#
        Installs Seedance in a fresh profile with $InstallScript (which sees $Repository), imports it by name from
        there, runs New | Wait | Save against the emulator and returns what it saw as an object.
        #>
        param([string] $InstallScript, [string] $Repository = $script:Repository, [string] $ExpectPrerelease = '')
        $profileRoot = New-TestFolder -Prefix 'seedance-profile'
        $environment = New-IsolatedProfileEnvironment -Root $profileRoot
        $environment.SEEDANCE_API_KEY = Get-TestApiKey
        $environment.SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
        $environment.SEEDANCE_TEST_MODULE = $null
        $script = @"
`$ErrorActionPreference = 'Stop'
Set-Location '$profileRoot'
`$Repository = '$Repository'
$InstallScript
if (Get-Module Seedance) { throw 'Seedance was loaded before the import.' }
`$module = Import-Module Seedance -PassThru
`$videos = New-Item -ItemType Directory -Path (Join-Path '$profileRoot' 'videos')
`$file = New-SeedanceTask -Prompt 'an installed module at work' -Duration 4 | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path `$videos
[pscustomobject]@{
    ModuleBase = `$module.ModuleBase
    Version    = `$module.Version.ToString()
    Prerelease = [string]`$module.PrivateData.PSData.Prerelease
    UserPath   = @(`$env:PSModulePath -split [IO.Path]::PathSeparator)[0]
    File       = `$file.FullName
    Length     = `$file.Length
    Synopsis   = (Get-Help New-SeedanceTask).Synopsis
} | ConvertTo-Json -Compress
"@
        try {
            $run = Invoke-ChildPwsh -Script $script -Environment $environment -TimeoutSeconds 300
            $run.TimedOut | Should -BeFalse
            if ($run.ExitCode -ne 0) { throw "The install run failed ($($run.ExitCode)):`n$($run.StdOut)`n$($run.StdErr)" }
            $result = ($run.StdOut -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
            $result | Add-Member -NotePropertyName ProfileRoot -NotePropertyValue (Resolve-Path $profileRoot).ProviderPath -PassThru
        }
        finally { Remove-Item $profileRoot -Recurse -Force -ErrorAction SilentlyContinue }
    }

    function Get-PackageEntry([string] $Path) {
        $zip = [IO.Compression.ZipFile]::OpenRead($Path)
        try { @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
    }

    function Get-Nuspec([string] $Path) {
        $zip = [IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $entry = $zip.Entries | Where-Object FullName -like '*.nuspec'
            $reader = [IO.StreamReader]::new($entry.Open())
            try { ([xml]$reader.ReadToEnd()).package.metadata } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
    if ($script:Work) { Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The package' -Skip:$IsWindows {
    It 'is Seedance.{version}.nupkg, with every file of the built module, LICENSE and README.md' {
        $script:Package.Name | Should -Be "Seedance.$($script:Built.ModuleVersion).nupkg"
        $entries = Get-PackageEntry $script:Package.FullName
        $moduleFiles = Get-ChildItem $script:ModuleDir -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($script:ModuleDir, $_.FullName) -replace '\\', '/' }
        foreach ($file in @($moduleFiles) + @('LICENSE', 'README.md')) { $entries | Should -Contain $file }
        $entries | Should -Contain 'en-US/Seedance.Commands.dll-Help.xml'
        $entries | Should -Contain 'en-US/about_Seedance.help.txt'
    }

    It 'carries the Gallery metadata: project, license, icon, tags and the release notes from CHANGELOG.md' {
        $nuspec = Get-Nuspec $script:Package.FullName
        $psData = $script:Built.PrivateData.PSData
        $nuspec.id | Should -Be 'Seedance'
        $nuspec.version | Should -Be $script:Built.ModuleVersion
        $nuspec.projectUrl | Should -Be $psData.ProjectUri
        $nuspec.licenseUrl | Should -Be $psData.LicenseUri
        $nuspec.iconUrl | Should -Be $psData.IconUri
        $nuspec.tags | Should -Match '\bPSEdition_Desktop\b'
        $notes = Get-ChangelogSection -Path (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'CHANGELOG.md') -Version $script:Built.ModuleVersion
        $nuspec.releaseNotes | Should -Match ([regex]::Escape(($notes -split "`n")[0]))
        $nuspec.releaseNotes | Should -Be $psData.ReleaseNotes
    }

    It 'installs with Install-PSResource into the user scope, and the installed module runs New | Wait | Save' {
        Reset-EmulatorStats $script:Emulator
        $result = Invoke-InstalledModule -InstallScript @'
Unregister-PSResourceRepository -Name PSGallery -ErrorAction SilentlyContinue
Register-PSResourceRepository -Name Local -Uri $Repository -Trusted
Install-PSResource -Name Seedance -Repository Local -Scope CurrentUser
'@
        $result.ModuleBase | Should -BeLike "$($result.ProfileRoot)*"
        $result.ModuleBase | Should -BeLike "$($result.UserPath)*" -Because 'a CurrentUser install lands in the user module path'
        $result.Version | Should -Be $script:Built.ModuleVersion
        $result.Length | Should -BeGreaterThan 0
        $result.File | Should -Match 'task_\w+\.mp4$'
        $result.Synopsis | Should -Match 'billed'
        (Get-EmulatorStats $script:Emulator).tasksCreated | Should -Be 1
    }

    It "installs with PowerShellGet's Install-Module into the user scope, and the installed module runs New | Wait | Save" {
        Reset-EmulatorStats $script:Emulator
        $result = Invoke-InstalledModule -InstallScript @'
Register-PSRepository -Name Local -SourceLocation $Repository -InstallationPolicy Trusted
if (@(Get-PSRepository | Where-Object Name -ne 'Local').Count) { throw "Other repositories are registered: $((Get-PSRepository).Name)" }
Install-Module -Name Seedance -Repository Local -Scope CurrentUser
'@
        $result.ModuleBase | Should -BeLike "$($result.ProfileRoot)*"
        $result.ModuleBase | Should -BeLike "$($result.UserPath)*"
        $result.Version | Should -Be $script:Built.ModuleVersion
        $result.Length | Should -BeGreaterThan 0
        (Get-EmulatorStats $script:Emulator).tasksCreated | Should -Be 1
    }
}

Describe 'A prerelease' -Skip:$IsWindows {
    BeforeAll {
        # The built module with Prerelease = 'preview1' in PSData, as a release manager would set it.
        $copy = Join-Path $script:Work "prerelease/Seedance/$($script:Built.ModuleVersion)"
        New-Item -ItemType Directory -Force -Path $copy | Out-Null
        Copy-Item -Path (Join-Path $script:ModuleDir '*') -Destination $copy -Recurse
        $manifest = Join-Path $copy 'Seedance.psd1'
        $text = [IO.File]::ReadAllText($manifest)
        $withLabel = $text -replace "(?m)^(\s*)ProjectUri(\s*)=", "`$1Prerelease = 'preview1'`n`$1ProjectUri`$2="
        $withLabel | Should -Not -Be $text
        [IO.File]::WriteAllText($manifest, $withLabel, [Text.UTF8Encoding]::new($true))
        $script:PrereleaseRepository = Join-Path $script:Work 'prerelease-repository'
        $script:PrereleasePackage = Publish-ModulePackage -ModuleDir $copy -OutputDir $script:PrereleaseRepository -Include $script:Include
    }

    It 'is packed as Seedance.{version}-preview1.nupkg, with the label in its version' {
        $script:PrereleasePackage.Name | Should -Be "Seedance.$($script:Built.ModuleVersion)-preview1.nupkg"
        (Get-Nuspec $script:PrereleasePackage.FullName).version | Should -Be "$($script:Built.ModuleVersion)-preview1"
    }

    It 'installs with Install-PSResource -Prerelease (and not without it)' {
        $result = Invoke-InstalledModule -Repository $script:PrereleaseRepository -InstallScript @'
Unregister-PSResourceRepository -Name PSGallery -ErrorAction SilentlyContinue
Register-PSResourceRepository -Name Local -Uri $Repository -Trusted
$found = @(Find-PSResource -Name Seedance -Repository Local -ErrorAction SilentlyContinue)
if ($found.Count) { throw 'A stable-only search found the prerelease.' }
Install-PSResource -Name Seedance -Repository Local -Scope CurrentUser -Prerelease
$installed = Get-InstalledPSResource -Name Seedance
if ($installed.Prerelease -ne 'preview1') { throw "Installed prerelease label is '$($installed.Prerelease)'." }
'@
        $result.Prerelease | Should -Be 'preview1'
        $result.Version | Should -Be $script:Built.ModuleVersion
        $result.Length | Should -BeGreaterThan 0
    }

    It 'installs with Install-Module -AllowPrerelease' {
        $result = Invoke-InstalledModule -Repository $script:PrereleaseRepository -InstallScript @'
Register-PSRepository -Name Local -SourceLocation $Repository -InstallationPolicy Trusted
Install-Module -Name Seedance -Repository Local -Scope CurrentUser -AllowPrerelease
$installed = Get-InstalledModule -Name Seedance -AllowPrerelease
if ($installed.Version -notlike '*-preview1') { throw "Installed version is '$($installed.Version)'." }
'@
        $result.Prerelease | Should -Be 'preview1'
        $result.Length | Should -BeGreaterThan 0
    }
}
