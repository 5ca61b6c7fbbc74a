#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The cmdlets together, the way they are meant to be used: New | Wait | Save, CSV batches, Omni Reference tasks.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-WorkFolder {
        $folder = New-TestFolder -Prefix 'seedance-pipeline'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-SentBody([string] $TaskId) { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $TaskId).request }

    function Test-Mp4([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes.Length -gt 8 -and [Text.Encoding]::ASCII.GetString($bytes, 4, 4) -eq 'ftyp'
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'goes from a prompt to a saved MP4 in one pipeline (default polling)' {
        $folder = New-WorkFolder
        $files = New-SeedanceTask -Prompt 'a paper boat on a rainy street' -Duration 5 | Wait-SeedanceTask | Save-SeedanceVideo -Path $folder

        $files | Should -HaveCount 1
        $files | Should -BeOfType [System.IO.FileInfo]
        $files.Name | Should -Match '^task_[0-9a-f]+\.mp4$'
        Test-Mp4 $files.FullName | Should -BeTrue
        $stats = Get-EmulatorStats -Emulator $script:Emulator
        $stats.createRequests | Should -Be 1
        @($stats.fileRequests) | Should -HaveCount 1
        @($stats.fileRequests)[0].hasAuthorization | Should -BeFalse
    }

    It 'handles several prompts, saving each as it finishes and reporting the failed one' {
        $folder = New-WorkFolder
        $files = 'a fox in snow', 'a banned prompt #fail:2038', 'a whale at dusk' |
            New-SeedanceTask -Duration 4 |
            Wait-SeedanceTask -PollInterval 0.1 -ErrorVariable waitErrors -ErrorAction SilentlyContinue |
            Save-SeedanceVideo -Path $folder

        $files | Should -HaveCount 2
        $files | ForEach-Object { Test-Mp4 $_.FullName | Should -BeTrue }
        $waitErrors | Should -HaveCount 1
        $waitErrors[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
        $waitErrors[0].TargetObject.Prompt | Should -Be 'a banned prompt #fail:2038'
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 2
    }

    It 'works from ids: Get-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo' {
        $folder = New-WorkFolder
        $ids = @(('from ids one', 'from ids two' | New-SeedanceTask).TaskId)
        $files = $ids | Get-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder
        ($files.Name | Sort-Object) | Should -Be ($ids | ForEach-Object { "$_.mp4" } | Sort-Object)
    }

    It 'creates no more tasks than the pipeline asks for (Select-Object -First 1 stops the batch)' {
        $first = 'only this one', 'not this', 'nor this' | New-SeedanceTask | Select-Object -First 1
        $first | Should -HaveCount 1
        $first.Prompt | Should -Be 'only this one'
        (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 1
    }
}

Describe 'CSV batches' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'Import-Csv jobs.csv | New-SeedanceTask creates one task per row with the row''s values' {
        $folder = New-WorkFolder
        $csv = Join-Path $folder 'jobs.csv'
        @'
Prompt,Duration,Model,Ratio,Image
"a red fox running through snow",4,seedance-20,16:9,
"a blue whale, seen from below",10,seedance2-fast,9:16,https://cdn.example.com/whale.png
"a city at night",15,seedance-20,21:9,
'@ | Set-Content -LiteralPath $csv -Encoding utf8

        $tasks = Import-Csv -LiteralPath $csv | New-SeedanceTask
        $tasks | Should -HaveCount 3
        (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated | Should -Be 3

        $tasks.Prompt | Should -Be @('a red fox running through snow', 'a blue whale, seen from below', 'a city at night')
        $tasks.Duration | Should -Be @(4, 10, 15)
        $tasks.Model | Should -Be @('seedance-20', 'seedance2-fast', 'seedance-20')
        $tasks.Ratio | Should -Be @('16:9', '9:16', '21:9')

        $bodies = $tasks | ForEach-Object { Get-SentBody $_.TaskId }
        $bodies.model | Should -Be @('seedance-20', 'seedance2-fast', 'seedance-20')
        $bodies.inputs.prompt | Should -Be @('a red fox running through snow', 'a blue whale, seen from below', 'a city at night')
        $bodies.inputs.duration | Should -Be @('4s', '10s', '15s')
        $bodies.inputs.ratio | Should -Be @('16:9', '9:16', '21:9')
        # A blank Image cell sends no urls; a filled one sends that image.
        $bodies[0].inputs.PSObject.Properties.Name | Should -Not -Contain 'urls'
        @($bodies[1].inputs.urls) | Should -Be @('https://cdn.example.com/whale.png')
        $bodies[2].inputs.PSObject.Properties.Name | Should -Not -Contain 'urls'
    }

    It 'runs a CSV batch end to end: Import-Csv | New | Wait | Save' {
        $folder = New-WorkFolder
        $csv = Join-Path $folder 'batch.csv'
        @(
            [pscustomobject]@{ Prompt = 'csv clip one'; Duration = 4; Model = 'seedance2-fast'; Ratio = '1:1' }
            [pscustomobject]@{ Prompt = 'csv clip two'; Duration = 5; Model = 'seedance-20'; Ratio = '4:3' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation

        $files = Import-Csv -LiteralPath $csv | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder
        $files | Should -HaveCount 2
        $files | ForEach-Object { Test-Mp4 $_.FullName | Should -BeTrue }
    }

    It 'prices a CSV batch before running it (Get-SeedanceCreditCost sends nothing)' {
        $folder = New-WorkFolder
        $csv = Join-Path $folder 'price.csv'
        "Prompt,Duration,Model`n""a"",8,seedance-20`n""b"",10,seedance2-fast" | Set-Content -LiteralPath $csv
        $total = (Import-Csv -LiteralPath $csv | Get-SeedanceCreditCost | Measure-Object -Property Credits -Sum).Sum
        $total | Should -Be (320 + 280)
        @((Get-EmulatorStats -Emulator $script:Emulator).apiRequests) | Should -HaveCount 0
    }
}

Describe 'Omni Reference tasks' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    It 'sends 2 images + 1 video as a reference task, no warning for @1 @2 @3, and saves the result' {
        $folder = New-WorkFolder
        $images = 'https://cdn.example.com/hero.png', 'https://cdn.example.com/street.png'
        $video = 'https://cdn.example.com/moves.mp4'
        $task = New-SeedanceTask -Prompt 'The person in @1 walks down the street in @2, moving like @3' -Image $images -Video $video -Duration 8 -WarningVariable warnings

        $warnings | Should -HaveCount 0
        $body = Get-SentBody $task.TaskId
        @($body.inputs.urls) | Should -Be $images
        @($body.inputs.videoUrls) | Should -Be @($video)
        $body.inputs.mode | Should -BeExactly 'reference'
        $body.inputs.duration | Should -BeExactly '8s'

        $file = $task | Wait-SeedanceTask -PollInterval 0.1 | Save-SeedanceVideo -Path $folder
        $file.Name | Should -Be "$($task.TaskId).mp4"
        Test-Mp4 $file.FullName | Should -BeTrue
    }

    It 'warns about @5 when the task has only 3 materials, and still creates it' {
        $task = New-SeedanceTask -Prompt 'Blend @1 and @2 with the motion of @3 and the light of @5' `
            -Image 'https://cdn.example.com/a.png', 'https://cdn.example.com/b.png' -Video 'https://cdn.example.com/c.mp4' `
            -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match '@5'
        "$warnings" | Should -Not -Match '@[123]\b'
        $task.TaskId | Should -Match '^task_'
        (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 1
    }

    It 'warns about any @N for a text-only task' {
        $null = New-SeedanceTask -Prompt 'in the style of @1' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match '@1'
    }
}
