# Helpers for build.ps1 Build and Package: release notes from CHANGELOG.md into the built manifest, the .nupkg
# (Publish-PSResource to a local folder repository), and the throw-away user profile both the packaging and the
# install tests run in. Needs Get-PwshCommand from BuildHelpers.ps1 (dot-source that first).

function Get-ModuleReleaseVersion {
    # The version as PowerShellGet and NuGet spell it: ModuleVersion, plus '-<Prerelease>' when PSData has one.
    param([Parameter(Mandatory)] [hashtable] $Manifest)
    $prerelease = $null
    if ($Manifest.ContainsKey('PrivateData') -and $Manifest.PrivateData.ContainsKey('PSData') -and $Manifest.PrivateData.PSData.ContainsKey('Prerelease')) {
        $prerelease = $Manifest.PrivateData.PSData.Prerelease
    }
    if ($prerelease) { "$($Manifest.ModuleVersion)-$prerelease" } else { [string]$Manifest.ModuleVersion }
}

function Get-ChangelogSection {
    <#
    .SYNOPSIS
        The text under '## [<Version>]' (or '## <Version>') in a Keep a Changelog file, up to the next '## '.
        A version without a section is an error: every release says what changed.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Version)
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $heading = '^##\s+\[?' + [regex]::Escape($Version) + '\]?(\s|$)'
    $start = -1
    for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match $heading) { $start = $i; break } }
    if ($start -lt 0) { throw "$Path has no '## [$Version]' section. Add one saying what changed in $Version (the build puts it into the manifest's ReleaseNotes)." }
    $body = [Collections.Generic.List[string]]::new()
    for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^##\s'; $i++) { $body.Add($lines[$i]) }
    $text = ($body -join "`n").Trim()
    if (-not $text) { throw "$Path has an empty '## [$Version]' section." }
    $text
}

function Set-BuiltManifestReleaseNotes {
    <#
    .SYNOPSIS
        Writes the CHANGELOG.md section of the built module's version into its manifest's ReleaseNotes (the source
        Seedance.psd1 keeps ReleaseNotes = '' so that the version stays its only release fact).
    #>
    param([Parameter(Mandatory)] [string] $ManifestPath, [Parameter(Mandatory)] [string] $ChangelogPath)
    $manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $version = Get-ModuleReleaseVersion $manifest
    $notes = Get-ChangelogSection -Path $ChangelogPath -Version $version
    $projectUri = if ($manifest.PrivateData.PSData.ContainsKey('ProjectUri')) { $manifest.PrivateData.PSData.ProjectUri }
    if ($projectUri) { $notes += "`n`nAll changes: $projectUri/blob/main/CHANGELOG.md" }

    $text = [IO.File]::ReadAllText($ManifestPath)
    $pattern = [regex]"(?m)^(?<indent>[ \t]*)ReleaseNotes\s*=\s*'(?:[^']|'')*'"
    $found = $pattern.Matches($text).Count
    if ($found -ne 1) { throw "$ManifestPath should have exactly one ReleaseNotes = '...' line in PSData (found $found)." }
    $text = $pattern.Replace($text, { param($m) "$($m.Groups['indent'].Value)ReleaseNotes = '" + $notes.Replace("'", "''") + "'" }, 1)
    # With a byte order mark: Windows PowerShell 5.1 reads a psd1 without one as ANSI, and the notes may not be ASCII.
    [IO.File]::WriteAllText($ManifestPath, $text, [Text.UTF8Encoding]::new($true))
}

function New-IsolatedProfileEnvironment {
    <#
    .SYNOPSIS
        Environment variables that give a child pwsh a user profile of its own under $Root: HOME, the XDG folders
        and (on Windows) the AppData folders, where PSResourceGet and PowerShellGet keep their repository lists and
        CurrentUser installs land. PSModulePath is removed, so the child computes it from that HOME. Values of
        $null mean "remove the variable" (as Start-ChildPwsh and Start-IsolatedPwsh read them).
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $homeDir = Join-Path $Root 'home'
    foreach ($dir in '', '.local/share', '.config', '.cache', 'AppData/Local', 'AppData/Roaming', 'Documents') {
        New-Item -ItemType Directory -Force -Path (Join-Path $homeDir $dir) | Out-Null
    }
    @{
        HOME                        = $homeDir
        USERPROFILE                 = $homeDir
        XDG_DATA_HOME               = Join-Path $homeDir '.local/share'
        XDG_CONFIG_HOME             = Join-Path $homeDir '.config'
        XDG_CACHE_HOME              = Join-Path $homeDir '.cache'
        LOCALAPPDATA                = Join-Path $homeDir 'AppData/Local'
        APPDATA                     = Join-Path $homeDir 'AppData/Roaming'
        PSModulePath                = $null
        POWERSHELL_TELEMETRY_OPTOUT = '1'
        POWERSHELL_UPDATECHECK      = 'Off'
    }
}

function Invoke-IsolatedPwsh {
    # Runs a script file in a child pwsh (this same PowerShell) with $Environment applied, in $WorkingDirectory (so
    # that nothing it writes relative to its location lands in the repository); its output goes to the console.
    # Throws when it exits non-zero.
    param([Parameter(Mandatory)] [string] $ScriptPath, [string[]] $ArgumentList = @(), [hashtable] $Environment = @{}, [string] $WorkingDirectory = [IO.Path]::GetTempPath())
    $command = @(Get-PwshCommand)
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $ArgumentList) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.WorkingDirectory = $WorkingDirectory
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) } else { $info.Environment[$name] = [string]$Environment[$name] }
    }
    $process = [Diagnostics.Process]::Start($info)
    try {
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) { throw "'$ScriptPath' failed with exit code $($process.ExitCode)." }
    }
    finally { $process.Dispose() }
}

function Publish-ModulePackage {
    <#
    .SYNOPSIS
        Packs a built module folder (out/Seedance/<version>) as <Name>.<version>.nupkg in $OutputDir with
        Publish-PSResource to a local folder repository, adding the $Include files (LICENSE, README.md) beside the
        manifest. Returns the .nupkg. The repository is registered in a temporary profile, never the user's.
    #>
    [OutputType([IO.FileInfo])]
    param([Parameter(Mandatory)] [string] $ModuleDir, [Parameter(Mandatory)] [string] $OutputDir, [string[]] $Include = @())
    $manifestFile = @(Get-ChildItem -LiteralPath $ModuleDir -Filter *.psd1 -File)
    if ($manifestFile.Count -ne 1) { throw "$ModuleDir should hold exactly one module manifest (found $($manifestFile.Count))." }
    $name = $manifestFile[0].BaseName
    $version = Get-ModuleReleaseVersion (Import-PowerShellDataFile -LiteralPath $manifestFile[0].FullName)

    $work = Join-Path ([IO.Path]::GetTempPath()) ("seedance-package-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
    try {
        # Publish-PSResource packs a folder named after the module.
        $staging = Join-Path $work $name
        New-Item -ItemType Directory -Force -Path $staging | Out-Null
        Copy-Item -Path (Join-Path $ModuleDir '*') -Destination $staging -Recurse
        foreach ($file in $Include) { Copy-Item -LiteralPath $file -Destination $staging }
        $repository = Join-Path $work 'repository'
        New-Item -ItemType Directory -Force -Path $repository | Out-Null

        $script = Join-Path $work 'publish.ps1'
        Set-Content -LiteralPath $script -Encoding utf8 -Value @'
param([string] $Repository, [string] $Path)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name SeedanceBuild -Uri $Repository -Trusted
Publish-PSResource -Path $Path -Repository SeedanceBuild
'@
        Invoke-IsolatedPwsh -ScriptPath $script -ArgumentList @('-Repository', $repository, '-Path', $staging) -Environment (New-IsolatedProfileEnvironment -Root $work) -WorkingDirectory $work

        $package = @(Get-ChildItem -LiteralPath $repository -Filter "$name.*.nupkg")
        if ($package.Count -ne 1) { throw "Publish-PSResource left $($package.Count) packages in $repository; expected one, $name.$version.nupkg." }
        New-Item -ItemType Directory -Force -Path $OutputDir | Out-Null
        # NuGet's own spelling of the version names the file (0.1.0, 0.1.0-preview1).
        $target = Join-Path $OutputDir $package[0].Name
        Move-Item -LiteralPath $package[0].FullName -Destination $target -Force
        Get-Item -LiteralPath $target
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}
