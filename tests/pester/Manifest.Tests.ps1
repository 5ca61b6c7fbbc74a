#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The built module as PowerShell and the Gallery see it: manifest fields, what it exports, output types, views.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ManifestPath = Get-TestModulePath
    $script:Data = Import-PowerShellDataFile -LiteralPath $script:ManifestPath
    $script:Module = Import-Module $script:ManifestPath -Force -PassThru
    $script:VoidCmdlets = @('Set-SeedanceApiKey', 'Remove-SeedanceApiKey', 'Set-SeedanceConfiguration')

    # The column headers of a table as text (the line above the dashes).
    function Get-TableHeader([string] $Text) {
        $lines = $Text -split "`r?`n"
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s*-{2,}(\s+-+)*\s*$') { return @(($lines[$i - 1].Trim()) -split '\s+') }
        }
        throw "No table header in:`n$Text"
    }
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ManifestPath -ErrorAction Stop } | Should -Not -Throw
        (Test-ModuleManifest -Path $script:ManifestPath).Name | Should -Be 'Seedance'
    }

    It 'lives in a folder named after its version, with its root module and format file beside it' {
        $folder = Split-Path $script:ManifestPath
        Split-Path $folder -Leaf | Should -Be $script:Data.ModuleVersion
        Test-Path (Join-Path $folder $script:Data.RootModule) | Should -BeTrue
        foreach ($format in $script:Data.FormatsToProcess) { Test-Path (Join-Path $folder $format) | Should -BeTrue }
    }

    It 'declares CmdletsToExport without wildcards' {
        $script:Data.CmdletsToExport | Should -Not -BeNullOrEmpty
        foreach ($name in $script:Data.CmdletsToExport) { $name | Should -Not -Match '[\*\?]' }
    }

    It 'exports exactly the declared cmdlets, and no functions, aliases or variables by wildcard' {
        $exported = @((Get-Command -Module Seedance -CommandType Cmdlet).Name | Sort-Object)
        $exported | Should -Be @($script:Data.CmdletsToExport | Sort-Object)
        @($script:Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Data.CmdletsToExport | Sort-Object)
        foreach ($key in 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $script:Data.ContainsKey($key) | Should -BeTrue -Because "$key should be explicit"
            @($script:Data[$key]) -join ',' | Should -Not -Match '\*'
        }
    }

    It 'exports the thirteen cmdlets of the design' {
        @($script:Data.CmdletsToExport | Sort-Object) | Should -Be @(
            'ConvertFrom-SeedanceWebhook', 'Export-SeedanceGallery', 'Get-SeedanceConfiguration', 'Get-SeedanceCreditCost', 'Get-SeedanceTask', 'Get-SeedanceUsage', 'New-SeedanceTask', 'Register-SeedanceTask', 'Remove-SeedanceApiKey',
            'Save-SeedanceVideo', 'Set-SeedanceApiKey', 'Set-SeedanceConfiguration', 'Wait-SeedanceTask')
    }

    It 'is compatible with Desktop and Core, from PowerShell 5.1' {
        $script:Data.CompatiblePSEditions | Should -Contain 'Desktop'
        $script:Data.CompatiblePSEditions | Should -Contain 'Core'
        $script:Data.PowerShellVersion | Should -Be '5.1'
    }

    It 'processes its format file' {
        $script:Data.FormatsToProcess | Should -Contain 'Seedance.Format.ps1xml'
    }

    It 'has the Gallery metadata: <Field>' -ForEach @(
        @{ Field = 'Description' }
        @{ Field = 'Tags' }
        @{ Field = 'ProjectUri' }
        @{ Field = 'LicenseUri' }
        @{ Field = 'ReleaseNotes' }
    ) {
        $value = if ($Field -eq 'Description') { $script:Data.Description } else { $script:Data.PrivateData.PSData[$Field] }
        $value | Should -Not -BeNullOrEmpty
        if ($Field -like '*Uri') { [uri]::IsWellFormedUriString($value, 'Absolute') | Should -BeTrue }
    }

    It 'has a version, a GUID, an author' {
        [version]$script:Data.ModuleVersion | Should -BeOfType [version]
        [guid]$script:Data.GUID | Should -Not -Be ([guid]::Empty)
        $script:Data.Author | Should -Not -BeNullOrEmpty
    }
}

Describe 'Output types' {
    It '<Name> declares [OutputType(<Expected>)]' -ForEach @(
        @{ Name = 'New-SeedanceTask'; Expected = 'Seedance.Client.Models.SeedanceTask' }
        @{ Name = 'Get-SeedanceTask'; Expected = 'Seedance.Client.Models.SeedanceTask' }
        @{ Name = 'Wait-SeedanceTask'; Expected = 'Seedance.Client.Models.SeedanceTask' }
        @{ Name = 'Save-SeedanceVideo'; Expected = 'System.IO.FileInfo' }
        @{ Name = 'Get-SeedanceCreditCost'; Expected = 'Seedance.Client.Pricing.CreditCost' }
        @{ Name = 'Get-SeedanceConfiguration'; Expected = 'Seedance.Commands.Configuration.SeedanceConfiguration' }
        @{ Name = 'ConvertFrom-SeedanceWebhook'; Expected = 'Seedance.Client.Models.SeedanceTask' }
    ) {
        $types = @((Get-Command $Name).OutputType)
        $types | Should -Not -BeNullOrEmpty
        $types.Name | Should -Contain $Expected
    }

    It 'every exported cmdlet that returns something declares an OutputType' {
        foreach ($command in Get-Command -Module Seedance -CommandType Cmdlet) {
            if ($command.Name -in $script:VoidCmdlets) { continue }
            @($command.OutputType) | Should -Not -BeNullOrEmpty -Because "$($command.Name) emits objects"
            @($command.OutputType.Name) | Should -Not -Contain 'System.Void'
        }
    }

    It 'the cmdlets that return nothing say so: <_>' -ForEach @('Set-SeedanceApiKey', 'Remove-SeedanceApiKey', 'Set-SeedanceConfiguration') {
        $types = @((Get-Command $_).OutputType)
        if ($types.Count -gt 0) { $types.Name | Should -Be 'System.Void' }
    }
}

Describe 'Default views' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    }

    AfterAll {
        Exit-TestSandbox $script:Sandbox
        Stop-TestEmulator $script:Emulator
    }

    It 'shows a task as a table of TaskId, Status, Dur, Credits, Age, Name: Prompt (the model stays on the object)' {
        $task = New-SeedanceTask 'a view check' -Duration 8 | Wait-SeedanceTask -PollInterval 0.1
        $text = $task | Format-Table | Out-String -Width 250
        Get-TableHeader $text | Should -Be @('TaskId', 'Status', 'Dur', 'Credits', 'Age', 'Name:', 'Prompt')
        $text | Should -Match ([regex]::Escape($task.TaskId))
        $text | Should -Match '\b8s\b'
        $text | Should -Match '\b320\b'
        $text | Should -Match '\b\d+s\s+a view check\s*$'
    }

    It 'uses the same table by default (no Format-Table)' {
        $text = Get-SeedanceTask 'demo_task_t2v_success' | Out-String -Width 250
        Get-TableHeader $text | Should -Be @('TaskId', 'Status', 'Dur', 'Credits', 'Age', 'Name:', 'Prompt')
    }

    It 'shows an unknown status by its own word' {
        $odd = New-SeedanceTask 'view of an odd state #status:queued_for_review #duration:30'
        Start-Sleep -Milliseconds 400
        $task = Get-SeedanceTask $odd.TaskId
        $task.Status | Should -Be 'Unknown'
        $text = $task | Format-Table | Out-String -Width 250
        # The Status column is 10 wide: the word may be cut with an ellipsis, but it is the word, not 'Unknown'.
        $text | Should -Match 'queued_fo'
        $text | Should -Not -Match 'Unknown'
    }

    It 'shows a cost as a table of Model, Duration, Credits, USD' {
        $text = Get-SeedanceCreditCost 8 | Format-Table | Out-String -Width 250
        Get-TableHeader $text | Should -Be @('Model', 'Duration', 'Credits', 'USD')
        $text | Should -Match 'seedance-20\s+8s\s+320\s+1\.60'
    }

    It 'shows the configuration as a list without the key' {
        $text = Get-SeedanceConfiguration | Out-String -Width 250
        foreach ($label in 'BaseUri', 'BaseUriSource', 'ApiKeySource', 'KeyStorePath', 'RequestTimeout') {
            $text | Should -Match "(?m)^$label\s*:"
        }
        $text | Should -Not -Match ([regex]::Escape((Get-TestApiKey)))
    }
}
