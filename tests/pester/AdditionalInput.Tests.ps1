#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-SeedanceTask -AdditionalInput: optional inputs pass into "inputs" only when asked for by name, -WhatIf shows them,
# documented names are checked before anything is sent, a name a parameter covers is refused, and an unknown name is
# sent with a warning. What the service received is read back from the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator

    function Get-SentInputs([string] $TaskId) { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $TaskId).request.inputs }
    function Get-CreateCount { (Get-EmulatorStats -Emulator $script:Emulator).createRequests }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'New-SeedanceTask -AdditionalInput' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'sends the documented inputs into "inputs" as given (the emulator makes a 1080p video of it)' {
        $task = New-SeedanceTask 'a fox, in 1080p' -Duration 4 -AdditionalInput @{ outputResolution = '1080p'; seed = 3000000001; generate_audio = $false } -WarningAction SilentlyContinue
        $inputs = Get-SentInputs $task.TaskId
        $inputs.outputResolution | Should -BeExactly '1080p'
        $inputs.seed | Should -Be 3000000001
        $inputs.generate_audio | Should -BeFalse
        $inputs.prompt | Should -Be 'a fox, in 1080p'
        ($task | Wait-SeedanceTask -PollInterval 0.1).Height | Should -Be 1080
    }

    It 'takes an [ordered] dictionary, a PSCustomObject value and nested values' {
        $task = New-SeedanceTask 'nested' -AdditionalInput ([ordered]@{ cameraMotion = [pscustomobject]@{ pan = 'left'; speed = 1.5 }; tags = @('a', 'b') }) -WarningAction SilentlyContinue
        $inputs = Get-SentInputs $task.TaskId
        $inputs.cameraMotion.pan | Should -Be 'left'
        $inputs.cameraMotion.speed | Should -Be 1.5
        $inputs.tags | Should -Be @('a', 'b')
    }

    It 'binds by property name from piped objects' {
        $task = [pscustomobject]@{ Prompt = 'piped'; AdditionalInput = @{ seed = 7 } } | New-SeedanceTask
        (Get-SentInputs $task.TaskId).seed | Should -Be 7
    }

    It 'sends nothing extra without it' {
        $task = New-SeedanceTask 'plain'
        @((Get-SentInputs $task.TaskId).PSObject.Properties.Name) | Should -Be @('prompt', 'ratio', 'duration')
    }

    It 'warns about a name this module does not know, and still sends it (it was asked for explicitly)' {
        $task = New-SeedanceTask 'unknown input' -AdditionalInput @{ cameraMotion = 'pan-left' } -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match "'cameraMotion' is not one this module knows"
        (Get-SentInputs $task.TaskId).cameraMotion | Should -Be 'pan-left'
    }

    It 'refuses <Given.Keys> with <ErrorId> and sends nothing' -ForEach @(
        @{ Given = @{ ratio = '1:1' }; ErrorId = 'AdditionalInputCollides'; Says = 'use -Ratio' }
        @{ Given = @{ mode = 'reference' }; ErrorId = 'AdditionalInputCollides'; Says = 'use -Mode' }
        @{ Given = @{ Duration = '8s' }; ErrorId = 'AdditionalInputCollides'; Says = 'use -Duration' }
        @{ Given = @{ urls = @('https://cdn.example.com/a.png') }; ErrorId = 'AdditionalInputCollides'; Says = 'use -Image' }
        @{ Given = @{ outputResolution = '8k' }; ErrorId = 'InvalidOutputResolution'; Says = '480p, 720p, 1080p, 4k' }
        @{ Given = @{ upscaleResolution = '8k' }; ErrorId = 'InvalidUpscaleResolution'; Says = '4k' }
        @{ Given = @{ seed = 'lucky' }; ErrorId = 'InvalidSeed'; Says = 'whole number' }
        @{ Given = @{ generate_audio = 'yes' }; ErrorId = 'InvalidGenerateAudio'; Says = '\$true or \$false' }
        @{ Given = @{ OutputResolution = '720p' }; ErrorId = 'InvalidAdditionalInput'; Says = "is 'outputResolution'" }
        @{ Given = @{ when = (Get-Date) }; ErrorId = 'InvalidAdditionalInput'; Says = 'no JSON form' }
        # A script's value walks through the same bounded walk as a webhook body: a cycle once killed pwsh (stack overflow).
        @{ Given = (& { $c = @{ pan = 'left' }; $c.self = $c; @{ cameraMotion = $c } }); ErrorId = 'InvalidAdditionalInput'; Says = 'cameraMotion\.self contains itself' }
        @{ Given = (& { $d = @{}; $at = $d; for ($i = 0; $i -lt 100; $i++) { $n = @{}; $at.next = $n; $at = $n }; @{ cameraMotion = $d } }); ErrorId = 'InvalidAdditionalInput'; Says = 'nested more than 64 levels' }
    ) {
        $out = New-SeedanceTask 'refused' -AdditionalInput $Given -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($errors[0])" | Should -Match $Says
        Get-CreateCount | Should -Be 0
    }

    It 'refuses 1080p for seedance2-fast' {
        New-SeedanceTask 'fast 1080p' -Model seedance2-fast -AdditionalInput @{ outputResolution = '1080p' } -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidOutputResolution,*'
        "$($errors[0])" | Should -Match 'seedance2-fast has no 1080p'
        Get-CreateCount | Should -Be 0
    }

    It 'shows the inputs in -WhatIf and sends nothing (child pwsh, host output captured)' {
        $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'a whatif fox' -Duration 8 -AdditionalInput @{ seed = 42; outputResolution = '720p' } -WhatIf
'@
        $result.ExitCode | Should -Be 0 -Because $result.StdErr
        $text = $result.StdOut -replace '\s+', ' '
        $text | Should -Match 'What if:.*inputs: outputResolution=720p, seed=42'
        Get-CreateCount | Should -Be 0
    }
}
