@{
    # The one place the version lives: Directory.Build.props reads it for every assembly.
    ModuleVersion        = '0.1.0'
    RootModule           = 'Seedance.Commands.dll'
    GUID                 = '6f0b6a52-3c1e-4c8e-9a63-2b4a7f1d9e21'
    Author               = 'Seedance for PowerShell contributors'
    CompanyName          = 'Community'
    Copyright            = '(c) Seedance for PowerShell contributors. MIT License.'
    Description          = 'Create, wait for and download Seedance 2.0 AI videos from PowerShell: typed, pipeline-friendly, cancellable cmdlets that never create a paid task twice by accident and never leave a half-written video.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Seedance.Format.ps1xml')
    CmdletsToExport      = @(
        'New-SeedanceTask'
        'Get-SeedanceTask'
        'Wait-SeedanceTask'
        'Save-SeedanceVideo'
        'Get-SeedanceCreditCost'
        'Set-SeedanceApiKey'
        'Remove-SeedanceApiKey'
        'Set-SeedanceConfiguration'
        'Get-SeedanceConfiguration'
        'ConvertFrom-SeedanceWebhook'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Seedance', 'AI', 'Video', 'VideoGeneration', 'TextToVideo', 'ImageToVideo', 'API', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/seedance-pwsh/Seedance'
            LicenseUri   = 'https://github.com/seedance-pwsh/Seedance/blob/main/LICENSE'
            ReleaseNotes = 'First release: New/Get/Wait-SeedanceTask, Save-SeedanceVideo, Get-SeedanceCreditCost, Set/Remove-SeedanceApiKey, Set/Get-SeedanceConfiguration.'
        }
    }
}
