@{
    # The one place the version lives: Directory.Build.props reads it for every assembly.
    ModuleVersion        = '0.1.0'
    RootModule           = 'Seedance.Commands.dll'
    # Loaded before the RootModule: on Windows PowerShell 5.1 it stops an import on .NET Framework older than 4.7.2
    # with a message naming both versions (5.1 does not enforce DotNetFrameworkVersion for versions it does not know).
    NestedModules        = @('Seedance.Preflight.psm1')
    GUID                 = '6f0b6a52-3c1e-4c8e-9a63-2b4a7f1d9e21'
    Author               = 'Seedance for PowerShell contributors'
    CompanyName          = 'Community'
    Copyright            = '(c) Seedance for PowerShell contributors. MIT License.'
    Description          = 'Create, wait for and download Seedance 2.0 AI videos from PowerShell: typed, pipeline-friendly, cancellable cmdlets that never create a paid task twice by accident and never leave a half-written video. Runs on Windows PowerShell 5.1 and PowerShell 7.4 or later.'
    # 5.1 for Windows PowerShell; on PowerShell 7 the module needs 7.4+ (.NET 8), which the import checks itself
    # (a manifest cannot ask for 5.1 on Desktop and 7.4 on Core at once).
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Seedance.Format.ps1xml')
    CmdletsToExport      = @(
        'New-SeedanceTask'
        'Get-SeedanceTask'
        'Wait-SeedanceTask'
        'Save-SeedanceVideo'
        'Export-SeedanceGallery'
        'Get-SeedanceCreditCost'
        'Set-SeedanceApiKey'
        'Remove-SeedanceApiKey'
        'Set-SeedanceConfiguration'
        'Get-SeedanceConfiguration'
        'ConvertFrom-SeedanceWebhook'
        'Get-SeedanceUsage'
        'Register-SeedanceTask'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Seedance', 'AI', 'Video', 'VideoGeneration', 'TextToVideo', 'ImageToVideo', 'API', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/seedance-pwsh/Seedance'
            LicenseUri   = 'https://github.com/seedance-pwsh/Seedance/blob/main/LICENSE'
            IconUri      = 'https://raw.githubusercontent.com/seedance-pwsh/Seedance/main/docs/images/icon.png'
            # build.ps1 Build writes the CHANGELOG.md section of this version here, in the built manifest only.
            ReleaseNotes = ''
            # A prerelease adds e.g. Prerelease = 'preview1' here (and a '## [0.1.0-preview1]' CHANGELOG section).
        }
    }
}
