#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Tasks as a script exports them: ConvertTo-Json and Export-Csv write words and values (status as text, the video's
# URL, size, seed and last frame, the error's code and message, extra fields as values), no internal methods show on
# the object, video items keep every field the service sends, and the table view fits 80 columns.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-export'

    $script:Done = New-SeedanceTask 'an exported fox' -Duration 8 | Wait-SeedanceTask -PollInterval 0.1
    $script:Failed = Get-SeedanceTask 'demo_task_fail_text_moderation'
    # What the emulator sent for the video, to compare with.
    $script:SentVideo = (Get-EmulatorTask -Emulator $script:Emulator -TaskId $script:Done.TaskId).output[0]
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator $script:Emulator
}

Describe 'ConvertTo-Json of tasks' {
    BeforeAll {
        # Default depth, as a script would write it; warnings captured (a too-deep object warns that it was cut).
        $script:Json = $script:Done | ConvertTo-Json 3>&1
        $script:FailedJson = $script:Failed | ConvertTo-Json 3>&1
    }

    It 'is complete at the default depth (no truncation warning)' {
        @($script:Json | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
        @($script:FailedJson | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
    }

    It 'is complete for a list of tasks at -Depth 4, as the README says' {
        $list = $script:Done, $script:Failed | ConvertTo-Json -Depth 4 3>&1
        @($list | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
        $back = "$list" | ConvertFrom-Json
        $back[0].Videos[0].Seed | Should -Be $script:SentVideo.seed
        $back[1].ErrorCode | Should -Be '2038'
    }

    It 'writes the status as a word, and the video''s URL, size, seed and last frame as flat properties' {
        $text = "$script:Json"
        $text | Should -Match '"Status":\s*"Success"'
        $text | Should -Match ('"VideoUrl":\s*"' + [regex]::Escape($script:SentVideo.url) + '"')
        $text | Should -Match '"Width":\s*1280'
        $text | Should -Match '"Height":\s*720'
        $text | Should -Match ('"Seed":\s*' + $script:SentVideo.seed + '\b')
        $text | Should -Match ('"LastFrameImage":\s*"' + [regex]::Escape($script:SentVideo.lastFrameImage) + '"')
    }

    It 'writes the error''s code and message as flat properties' {
        $text = "$script:FailedJson"
        $text | Should -Match '"Status":\s*"Fail"'
        $text | Should -Match '"ErrorCode":\s*"2038"'
        $text | Should -Match '"ErrorMessage":\s*"Your input text violates platform rules\. Please modify and try again\."'
        $text | Should -Match '"FailureClass":\s*"Input"'
    }

    It 'writes extra service fields as JSON values, not as JSON text in a string' {
        $back = "$script:Json" | ConvertFrom-Json
        $back.AdditionalFields.region | Should -BeExactly 'emulator'
        $back.AdditionalFields.progress | Should -Be 100
        $back.AdditionalFields.progress | Should -BeOfType [long]
        "$script:Json" | Should -Not -Match '\\"emulator\\"'
    }

    It 'round-trips the video list: every item with its fields' {
        $back = "$script:Json" | ConvertFrom-Json
        @($back.Videos) | Should -HaveCount 1
        $back.Videos[0].Url | Should -Be $script:SentVideo.url
        $back.Videos[0].Seed | Should -Be $script:SentVideo.seed
        $back.Videos[0].LastFrameImage | Should -Be $script:SentVideo.lastFrameImage
        $back.Videos[0].MediaType | Should -Be 'video/mp4'
    }
}

Describe 'Export-Csv of tasks' {
    BeforeAll {
        $script:CsvPath = Join-Path $script:Folder 'tasks.csv'
        $script:Done, $script:Failed | Export-Csv -LiteralPath $script:CsvPath -NoTypeInformation
        $script:CsvText = Get-Content -LiteralPath $script:CsvPath -Raw
        $script:Rows = @(Import-Csv -LiteralPath $script:CsvPath)
    }

    It 'has readable cells only: no type names where values belong' {
        $script:CsvText | Should -Not -Match 'System\.'
        $script:CsvText | Should -Not -Match 'Seedance\.Client'
    }

    It 'has the status as a word, the video URL, width, height, seed and last frame' {
        $row = $script:Rows[0]
        $row.Status | Should -BeExactly 'Success'
        $row.VideoUrl | Should -Be $script:SentVideo.url
        $row.Width | Should -Be '1280'
        $row.Height | Should -Be '720'
        $row.Seed | Should -Be "$($script:SentVideo.seed)"
        $row.LastFrameImage | Should -Be $script:SentVideo.lastFrameImage
        $row.Videos | Should -Be $script:SentVideo.url
        $row.Prompt | Should -Be 'an exported fox'
        $row.Duration | Should -Be '8'
    }

    It 'has the error code and message, and the extra fields as name=value' {
        $row = $script:Rows[1]
        $row.Status | Should -BeExactly 'Fail'
        $row.ErrorCode | Should -Be '2038'
        $row.ErrorMessage | Should -Be 'Your input text violates platform rules. Please modify and try again.'
        $row.Error | Should -Be '2038: Your input text violates platform rules. Please modify and try again.'
        $row.FailureClass | Should -Be 'Input'
        $row.AdditionalFields | Should -Be 'region=emulator; progress=100'
        $row.VideoUrl | Should -BeNullOrEmpty
    }

    It 'feeds a follow-up batch: the last frame of a row is the first image of the next task' {
        $next = $script:Rows[0] | Select-Object @{ n = 'Prompt'; e = { 'and then the fox jumps' } }, @{ n = 'Image'; e = { $_.LastFrameImage } } |
            New-SeedanceTask
        (Get-EmulatorTask -Emulator $script:Emulator -TaskId $next.TaskId).request.inputs.urls | Should -Be @($script:SentVideo.lastFrameImage)
    }
}

Describe 'The task object' {
    It 'shows no methods of the module''s own bookkeeping, only those every object has' {
        @($script:Done | Get-Member -MemberType Method | ForEach-Object Name | Sort-Object) |
            Should -Be @('Equals', 'GetHashCode', 'GetType', 'ToString')
        @($script:Done.Videos[0] | Get-Member -MemberType Method | ForEach-Object Name | Sort-Object) |
            Should -Be @('Equals', 'GetHashCode', 'GetType', 'ToString')
    }

    It 'keeps seed and lastFrameImage of each video item as the emulator sent them' {
        $video = $script:Done.Videos[0]
        $video.Seed | Should -Be $script:SentVideo.seed
        $video.Seed | Should -BeOfType [long]
        $video.LastFrameImage | Should -Be $script:SentVideo.lastFrameImage
        $video.AdditionalFields | Should -BeNullOrEmpty
    }

    It 'has the extra fields as values: $task.AdditionalFields.region is the string itself' {
        $script:Done.AdditionalFields.region | Should -BeExactly 'emulator'
        $script:Done.AdditionalFields.progress | Should -Be 100
    }
}

Describe 'The task table view' {
    BeforeAll {
        $script:Waiting = New-SeedanceTask 'a waiting fox #duration:30' -Duration 15 -Model seedance2-fast -Name 'fox-1'
        $script:ById = Get-SeedanceTask 'demo_task_t2v_success'   # recordInfo does not say the duration
        $script:Tasks = @($script:Waiting, $script:Done, $script:ById, $script:Failed)
        $script:Table = $script:Tasks | Format-Table | Out-String -Width 80
        $script:Lines = @($script:Table -split "`r?`n" | Where-Object { $_.Trim() })
    }

    It 'fits 80 columns without dropping a column or cutting a task id' {
        foreach ($line in $script:Lines) { $line.Length | Should -BeLessOrEqual 80 -Because $line }
        $script:Lines[0] -split '\s+' | Where-Object { $_ } | Should -Be @('TaskId', 'Status', 'Dur', 'Credits', 'Age', 'Name:', 'Prompt')
        foreach ($task in $script:Tasks) { $script:Table | Should -Match ([regex]::Escape($task.TaskId)) }
    }

    It 'shows the row Name and the start of the prompt, and more of the prompt on a wider console (issue 18)' {
        $waitingLine = $script:Lines | Where-Object { $_.StartsWith($script:Waiting.TaskId) }
        $waitingLine | Should -Match 'fox-1: a wait'
        $wide = $script:Waiting | Format-Table | Out-String -Width 120
        $wide | Should -Match 'fox-1: a waiting fox #duration:30'
        $unnamed = @($script:Done | Format-Table | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.StartsWith($script:Done.TaskId) }
        $unnamed | Should -Match ([regex]::Escape($script:Done.Prompt.Substring(0, 10)))
    }

    It 'shows a known duration as seconds and an unknown one as blank, not "s"' {
        $waitingLine = $script:Lines | Where-Object { $_.StartsWith($script:Waiting.TaskId) }
        $waitingLine | Should -Match '\b15s\b'
        $byIdLine = $script:Lines | Where-Object { $_.StartsWith($script:ById.TaskId) }
        $byIdLine | Should -Match '^demo_task_t2v_success\s+Success\s+200\s+\d+[smhd]\s*$'
        $byIdLine | Should -Not -Match '\ss\s'
    }
}
