#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Save-SeedanceVideo against the emulator's files origin: names, content, overwrite rules, errors, no key sent,
# no partial file left behind, resume after a cut.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-DownloadFolder {
        $folder = New-TestFolder -Prefix 'seedance-save'
        $script:Folders.Add($folder)
        $folder
    }

    # The length the files origin serves for a URL (HEAD, no key).
    function Get-ServedLength([string] $Url) {
        $head = Invoke-WebRequest -Method Head -Uri $Url -NoProxy -TimeoutSec 30
        [long]($head.Headers['Content-Length'] | Select-Object -First 1)
    }

    function Get-PartialFiles([string] $Folder) {
        @(Get-ChildItem -LiteralPath $Folder -Force -Recurse -File | Where-Object { $_.Name -like '*.partial' -or $_.Name -like '.*' })
    }

    function Get-AsciiAt([string] $Path, [int] $Offset, [int] $Count) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        [Text.Encoding]::ASCII.GetString($bytes, $Offset, $Count)
    }

    $script:Done = @('to save one', 'to save two' | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.1)
    $script:Done | Should -HaveCount 2
    $script:Done | ForEach-Object { $_.Status | Should -Be 'Success' }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Save-SeedanceVideo' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    Context 'saving' {
        It 'saves into a folder as {taskId}.mp4, a whole MP4, and emits a FileInfo' {
            $folder = New-DownloadFolder
            $task = $script:Done[0]
            $file = $task | Save-SeedanceVideo -Path $folder

            $file | Should -HaveCount 1
            $file | Should -BeOfType [System.IO.FileInfo]
            $file.FullName | Should -Be (Join-Path $folder "$($task.TaskId).mp4")
            Test-Path -LiteralPath $file.FullName | Should -BeTrue
            Get-AsciiAt $file.FullName 4 4 | Should -BeExactly 'ftyp'
            $served = Get-ServedLength $task.Videos[0].Url
            $served | Should -BeGreaterThan 0
            (Get-Item -LiteralPath $file.FullName).Length | Should -Be $served
            $file.Length | Should -Be $served
            Get-PartialFiles $folder | Should -HaveCount 0
        }

        It 'saves several piped tasks into one folder' {
            $folder = New-DownloadFolder
            $files = $script:Done | Save-SeedanceVideo -Path $folder
            $files | Should -HaveCount 2
            ($files.Name | Sort-Object) | Should -Be ($script:Done.TaskId | ForEach-Object { "$_.mp4" } | Sort-Object)
            (Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 2
        }

        It 'saves one task to a file path' {
            $folder = New-DownloadFolder
            $target = Join-Path $folder 'my video.mp4'
            $file = $script:Done[0] | Save-SeedanceVideo -Path $target
            $file.FullName | Should -Be $target
            Get-AsciiAt $target 4 4 | Should -BeExactly 'ftyp'
            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @('my video.mp4')
        }

        It 'refuses a second video for a single file path (PathIsSingleFile) and keeps the first' {
            $folder = New-DownloadFolder
            $target = Join-Path $folder 'only.mp4'
            $files = $script:Done | Save-SeedanceVideo -Path $target -ErrorVariable errors -ErrorAction SilentlyContinue
            $files | Should -HaveCount 1
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathIsSingleFile,*'
            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @('only.mp4')
        }

        It 'a one-file -Path saved before: a re-run hands the file on (also with its journal record lost); a file that is no video is refused before anything' {
            # Issue 16: a re-run must not fail on the file it saved. Before, any file at a one-file -Path was FileExists.
            $folder = New-DownloadFolder
            $target = Join-Path $folder 'one.mp4'
            ($script:Done[0] | Save-SeedanceVideo -Path $target).SaveResult | Should -Be 'Downloaded'
            ($script:Done[0] | Save-SeedanceVideo -Path $target -ErrorVariable errors).SaveResult | Should -Be 'AlreadySaved'
            $errors | Should -HaveCount 0

            # The same file with the journal off (as after a kill took the record): judged against the service's video.
            $journal = $env:SEEDANCE_JOURNAL_PATH
            $env:SEEDANCE_JOURNAL_PATH = 'off'
            try { ($script:Done[0] | Save-SeedanceVideo -Path $target -ErrorVariable errors).SaveResult | Should -Be 'Found' }
            finally { $env:SEEDANCE_JOURNAL_PATH = $journal }
            $errors | Should -HaveCount 0

            # The file holds another task's video (the journal says so): kept, FileExists, not saved under another name.
            $script:Done[1] | Save-SeedanceVideo -Path $target -ErrorVariable taken -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $taken[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            "$($taken[0])" | Should -Match "holds the video of task $($script:Done[0].TaskId)"
            @(Get-ChildItem -LiteralPath $folder).Name | Should -Be @('one.mp4')

            $text = Join-Path $folder 'notes.mp4'
            Set-Content -LiteralPath $text -Value 'keep me' -NoNewline
            { Save-SeedanceVideo -Path $text -TaskId $script:Done[0].TaskId -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,*'
            Get-Content -LiteralPath $text -Raw | Should -BeExactly 'keep me'
        }

        It 'saves to the current location when -Path is omitted' {
            $folder = New-DownloadFolder
            Push-Location -LiteralPath $folder
            try { $file = $script:Done[1] | Save-SeedanceVideo }
            finally { Pop-Location }
            $file.FullName | Should -Be (Join-Path $folder "$($script:Done[1].TaskId).mp4")
        }

        It 'resolves relative and PowerShell-drive paths the PowerShell way' {
            $folder = New-DownloadFolder
            Push-Location -LiteralPath $folder
            try { $relative = $script:Done[0] | Save-SeedanceVideo -Path 'relative.mp4' }
            finally { Pop-Location }
            $relative.FullName | Should -Be (Join-Path $folder 'relative.mp4')

            $null = New-PSDrive -Name SeedanceOut -PSProvider FileSystem -Root $folder -Scope Script
            try { $onDrive = $script:Done[1] | Save-SeedanceVideo -Path 'SeedanceOut:/' }
            finally { Remove-PSDrive -Name SeedanceOut -Scope Script }
            $onDrive.FullName | Should -Be (Join-Path $folder "$($script:Done[1].TaskId).mp4")
            Test-Path -LiteralPath $onDrive.FullName | Should -BeTrue
        }

        It 'saves by task id (it reads the task first), also by property name' {
            $folder = New-DownloadFolder
            $file = Save-SeedanceVideo -TaskId 'demo_task_i2v_success' -Path $folder
            $file.Name | Should -Be 'demo_task_i2v_success.mp4'
            $file2 = [pscustomobject]@{ TaskId = 'demo_task_t2v_success' } | Save-SeedanceVideo -Path $folder
            $file2.Name | Should -Be 'demo_task_t2v_success.mp4'
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoByTask.'demo_task_i2v_success' | Should -Be 1
        }
    }

    Context 'the key stays on the API host' {
        It 'never echoes the API key held in a task id (as it is, in upper case, percent-encoded three times, JSON-escaped): in no text of the error' {
            $cases = @(Get-KeyCarryingTaskId)
            $folder = New-DownloadFolder
            $null = Save-SeedanceVideo -TaskId $cases.TaskId -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount $cases.Count
            $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'TaskNotFound,*' }
            @($errors.ErrorDetails.Message) | Should -Contain 'No task with id task_*** (404).'
            foreach ($e in $errors) { Assert-KeyAbsent $e $cases.Shown }
            @(Get-ChildItem -LiteralPath $folder) | Should -HaveCount 0
        }

        It 'sends no Authorization header to the download origin' {
            $folder = New-DownloadFolder
            $null = $script:Done | Save-SeedanceVideo -Path $folder
            $null = Save-SeedanceVideo -TaskId 'demo_task_t2v_success' -Path $folder

            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $fileRequests = @($stats.fileRequests)
            $fileRequests.Count | Should -BeGreaterOrEqual 3
            foreach ($request in $fileRequests) {
                $request.hasAuthorization | Should -BeFalse
                $request.authorizationLength | Should -Be 0
            }
            # The same stats do see the key where it belongs (so the check above can fail).
            @($stats.apiRequests | Where-Object hasAuthorization).Count | Should -BeGreaterThan 0
        }
    }

    Context 'existing files' {
        It 'leaves an existing file untouched without -Force (FileExists) and downloads nothing' {
            $folder = New-DownloadFolder
            $target = Join-Path $folder "$($script:Done[0].TaskId).mp4"
            Set-Content -LiteralPath $target -Value 'keep me' -NoNewline

            $out = $script:Done[0] | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $errors[0].TargetObject | Should -Be $target
            Get-Content -LiteralPath $target -Raw | Should -BeExactly 'keep me'
            # The video's start and length were asked for (is it a copy of the video?), one ranged request; nothing downloaded.
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests | Where-Object range -NE 'bytes=0-65535') | Should -HaveCount 0
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests) | Should -HaveCount 1
            Get-PartialFiles $folder | Should -HaveCount 0
        }

        It 'overwrites an existing file with -Force' {
            $folder = New-DownloadFolder
            $target = Join-Path $folder "$($script:Done[0].TaskId).mp4"
            Set-Content -LiteralPath $target -Value 'old content' -NoNewline

            $file = $script:Done[0] | Save-SeedanceVideo -Path $folder -Force
            $file.FullName | Should -Be $target
            Get-AsciiAt $target 4 4 | Should -BeExactly 'ftyp'
            (Get-Item -LiteralPath $target).Length | Should -Be (Get-ServedLength $script:Done[0].Videos[0].Url)
            Get-PartialFiles $folder | Should -HaveCount 0
        }
    }

    Context 'a file at the name that the journal does not record (issue 16: resume recognises its own files)' {
        BeforeEach { $script:JournalBefore = $env:SEEDANCE_JOURNAL_PATH }
        AfterEach { $env:SEEDANCE_JOURNAL_PATH = $script:JournalBefore }

        It 'a kill between the rename into place and the journal record: the re-run records the whole file as saved, and downloads nothing' {
            $folder = New-DownloadFolder
            $journal = Join-Path (New-DownloadFolder) 'journal.jsonl'
            $task = $script:Done[0]
            # Saved by another process: this one must not have the journal open, or it would write its own records back
            # when it finds lines gone (the journal's guard against a lost file).
            $first = Invoke-ChildPwsh -Environment @{ SEEDANCE_JOURNAL_PATH = $journal } -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Save-SeedanceVideo -TaskId '$($task.TaskId)' -Path '$folder' | ForEach-Object FullName
"@
            $first.ExitCode | Should -Be 0 -Because $first.StdErr
            $path = Join-Path $folder "$($task.TaskId).mp4"
            $first.StdOut.Trim() | Should -Be $path
            $length = (Get-Item -LiteralPath $path).Length
            # The kill: the file is in place, its 'saved' line never written.
            $lines = @(Get-Content -LiteralPath $journal)
            $kept = @($lines | Where-Object { -not ($_ -match '"type":"saved"' -and $_.Contains((ConvertTo-Json $path))) })
            $kept.Count | Should -Be ($lines.Count - 1)
            Set-Content -LiteralPath $journal -Value $kept
            Reset-EmulatorStats -Emulator $script:Emulator

            $env:SEEDANCE_JOURNAL_PATH = $journal
            $again = $task | Save-SeedanceVideo -Path $folder -Verbose -ErrorVariable errors 4>&1
            $verbose = @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $file = @($again | Where-Object { $_ -is [System.IO.FileInfo] })

            $errors | Should -HaveCount 0
            $file | Should -HaveCount 1
            $file[0].FullName | Should -Be $path
            $file[0].SaveResult | Should -Be 'Found'
            @($verbose | Where-Object Message -Match 'without a journal record.*recorded as saved, not downloaded again') | Should -HaveCount 1
            (Get-Item -LiteralPath $path).Length | Should -Be $length
            # One ranged request for the video's start and length; no download.
            $requests = @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests)
            $requests | Should -HaveCount 1
            $requests[0].range | Should -Be 'bytes=0-65535'
            # Recorded: the journal has the line back, and the next run hands the file on without asking the service.
            Get-Content -LiteralPath $journal -Raw | Should -Match ('"type":"saved".*' + [regex]::Escape((ConvertTo-Json $path)))
            Reset-EmulatorStats -Emulator $script:Emulator
            ($task | Save-SeedanceVideo -Path $folder).SaveResult | Should -Be 'AlreadySaved'
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests) | Should -HaveCount 0
        }

        It 'with the journal off, a second run finds the whole file and hands it on, downloading nothing' {
            $folder = New-DownloadFolder
            $env:SEEDANCE_JOURNAL_PATH = 'off'
            $first = $script:Done[1] | Save-SeedanceVideo -Path $folder
            $first.SaveResult | Should -Be 'Downloaded'
            Reset-EmulatorStats -Emulator $script:Emulator

            $again = $script:Done[1] | Save-SeedanceVideo -Path $folder -ErrorVariable errors
            $errors | Should -HaveCount 0
            $again.FullName | Should -Be $first.FullName
            $again.SaveResult | Should -Be 'Found'
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests | Where-Object range -NE 'bytes=0-65535') | Should -HaveCount 0
        }

        It 'a truncated file is named as incomplete (IncompleteVideoFile) with its sizes and what to do, and is left untouched' {
            $folder = New-DownloadFolder
            $saved = $script:Done[0] | Save-SeedanceVideo -Path $folder
            $whole = $saved.Length
            $stream = [IO.File]::Open($saved.FullName, 'Open', 'ReadWrite')
            try { $stream.SetLength([long]($whole / 2)) } finally { $stream.Dispose() }
            $before = [IO.File]::ReadAllBytes($saved.FullName)
            Reset-EmulatorStats -Emulator $script:Emulator

            $out = $script:Done[0] | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'IncompleteVideoFile,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].TargetObject | Should -Be $saved.FullName
            $message = $errors[0].ErrorDetails.Message ?? $errors[0].Exception.Message
            $message | Should -Match ([regex]::Escape(('{0:N0} of its {1:N0} bytes' -f [long]($whole / 2), $whole)))
            $message | Should -Match '-Force to replace it'
            $errors[0].ErrorDetails.RecommendedAction | Should -Match 'remove the file'
            [IO.File]::ReadAllBytes($saved.FullName) | Should -Be $before
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests | Where-Object range -NE 'bytes=0-65535') | Should -HaveCount 0
        }

        It '-Force replaces a truncated file with the whole video' {
            $folder = New-DownloadFolder
            $saved = $script:Done[0] | Save-SeedanceVideo -Path $folder
            $whole = $saved.Length
            $stream = [IO.File]::Open($saved.FullName, 'Open', 'ReadWrite')
            try { $stream.SetLength(100) } finally { $stream.Dispose() }

            $file = $script:Done[0] | Save-SeedanceVideo -Path $folder -Force
            $file.FullName | Should -Be $saved.FullName
            $file.SaveResult | Should -Be 'Downloaded'
            (Get-Item -LiteralPath $saved.FullName).Length | Should -Be $whole
            Get-AsciiAt $saved.FullName 4 4 | Should -BeExactly 'ftyp'
        }
    }

    Context 'errors' {
        It 'two Names that clean to one file name, saved by two commands with -Force, never overwrite each other' {
            $folder = New-DownloadFolder
            $tag = [guid]::NewGuid().ToString('N').Substring(0, 8)
            $a = New-SeedanceTask -Prompt 'promo, the slash one' -Name "promo/a-$tag" | Wait-SeedanceTask -PollInterval 0.1
            $b = New-SeedanceTask -Prompt 'promo, the colon one' -Name "promo:a-$tag" | Wait-SeedanceTask -PollInterval 0.1
            $first = $a | Save-SeedanceVideo -Path $folder -Force
            $first.Name | Should -Be "promo_a-$tag.mp4"
            # The emulator serves the same bytes for every task: a replaced file shows as a new write time instead.
            [IO.File]::SetLastWriteTimeUtc($first.FullName, [datetime]::new(2001, 1, 1, 0, 0, 0, [DateTimeKind]::Utc))
            $second = $b | Save-SeedanceVideo -Path $folder -Force
            $second.Name | Should -Be "promo_a-$tag`_$($b.TaskId).mp4"
            [IO.File]::GetLastWriteTimeUtc($first.FullName).Year | Should -Be 2001 -Because "A's paid video is still in A's file, untouched"
            (Get-Item -LiteralPath $second.FullName).Length | Should -Be (Get-Item -LiteralPath $first.FullName).Length
            # The journal records the real path, and the name is stable: a re-run finds B's file and downloads nothing.
            Get-Content -LiteralPath $env:SEEDANCE_JOURNAL_PATH -Raw | Should -Match ([regex]::Escape((ConvertTo-Json $second.FullName)))
            Reset-EmulatorStats -Emulator $script:Emulator
            ($b | Save-SeedanceVideo -Path $folder).FullName | Should -Be $second.FullName
            ($a | Save-SeedanceVideo -Path $folder).FullName | Should -Be $first.FullName
            (Get-EmulatorStats -Emulator $script:Emulator).fileRequests | Should -BeNullOrEmpty
            @(Get-SeedanceTask -Pending | Where-Object Name -Like "promo?a-$tag") | Should -BeNullOrEmpty
        }

        It 'two Names over 200 bytes with a common prefix are saved to two files' {
            $folder = New-DownloadFolder
            $prefix = 'long-' + [guid]::NewGuid().ToString('N') + ('n' * 220)
            $tasks = @("$prefix take 1", "$prefix take 2" | ForEach-Object { New-SeedanceTask -Prompt "long $_".Substring(0, 40) -Name $_ } | Wait-SeedanceTask -PollInterval 0.1)
            $files = @(foreach ($task in $tasks) { $task | Save-SeedanceVideo -Path $folder })
            $files | Should -HaveCount 2
            $files[0].FullName | Should -Not -Be $files[1].FullName
            foreach ($file in $files) { [Text.Encoding]::UTF8.GetByteCount($file.Name) | Should -BeLessOrEqual 204 }
        }

        It 'refuses a failed task with TaskNotSucceeded and writes nothing' {
            $folder = New-DownloadFolder
            $failed = Get-SeedanceTask 'demo_task_fail_text_moderation'
            $out = $failed | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotSucceeded,*'
            $errors[0].TargetObject.TaskId | Should -Be 'demo_task_fail_text_moderation'
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
        }

        It 'refuses a task that is still running with TaskNotSucceeded' {
            $folder = New-DownloadFolder
            $running = New-SeedanceTask 'not done yet #duration:30'
            $out = $running | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotSucceeded,*'
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests) | Should -HaveCount 0
        }

        It 'creates a missing folder (no file extension) and saves into it' {
            $folder = New-DownloadFolder
            $path = Join-Path $folder 'no-such-folder'
            $out = $script:Done[0] | Save-SeedanceVideo -Path $path
            $out.FullName | Should -Be (Join-Path $path "$($script:Done[0].TaskId).mp4")
            (Get-Item -LiteralPath $path).PSIsContainer | Should -BeTrue
        }

        It 'refuses a file in a missing folder with a terminating DestinationFolderNotFound, before any download' {
            $folder = New-DownloadFolder
            $path = Join-Path $folder 'no-such-folder/video.mp4'
            $failure = $null
            try { $null = $script:Done[0] | Save-SeedanceVideo -Path $path } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'DestinationFolderNotFound,*'
            $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Test-Path -LiteralPath (Join-Path $folder 'no-such-folder') | Should -BeFalse
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests) | Should -HaveCount 0
        }

        It 'reports VideoNotFound when the file is gone, and leaves no file or partial file' {
            $folder = New-DownloadFolder
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/files/'; kind = 'status'; status = 404; count = -1 }
            $out = $script:Done[0] | Save-SeedanceVideo -Path $folder -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'VideoNotFound,*'
            $errors[0].TargetObject.TaskId | Should -Be $script:Done[0].TaskId
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
            # It asked the API once for a fresh URL before giving up.
            (Get-EmulatorStats -Emulator $script:Emulator).recordInfoByTask.($script:Done[0].TaskId) | Should -Be 1
        }
    }

    Context '-WhatIf' {
        It 'downloads nothing and writes no file' {
            $folder = New-DownloadFolder
            $out = $script:Done | Save-SeedanceVideo -Path $folder -WhatIf
            $out | Should -BeNullOrEmpty
            @((Get-EmulatorStats -Emulator $script:Emulator).fileRequests) | Should -HaveCount 0
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
        }
    }
}

Describe 'Save-SeedanceVideo when the download is cut off' {
    BeforeAll {
        # Large synthetic outputs (byte i is i % 251 after the headers), so a cut lands in the middle of the body.
        $script:BigEmulator = Start-TestEmulator -ArgumentList '--output-bytes', '8000000'
        $script:BigSandbox = Enter-TestSandbox -Emulator $script:BigEmulator
        $script:BigTask = New-SeedanceTask 'a big one' | Wait-SeedanceTask -PollInterval 0.1
    }

    AfterAll {
        # Back to the first emulator's settings.
        Exit-TestSandbox $script:BigSandbox
        Stop-TestEmulator $script:BigEmulator
    }

    BeforeEach { Reset-EmulatorStats -Emulator $script:BigEmulator }

    It 'resumes after a truncated transfer and ends with the whole, correct file' {
        $folder = New-DownloadFolder
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; kind = 'truncate'; afterBytes = 4000000; count = 1 }

        $file = $script:BigTask | Save-SeedanceVideo -Path $folder -ErrorVariable errors
        $errors | Should -HaveCount 0
        $file.Length | Should -Be 8000000
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        [Text.Encoding]::ASCII.GetString($bytes, 4, 4) | Should -BeExactly 'ftyp'
        $wrong = 0
        for ($i = 40; $i -lt $bytes.Length; $i += 4099) { if ($bytes[$i] -ne ($i % 251)) { $wrong++ } }
        $wrong | Should -Be 0
        # The last byte, which only the resumed request can have delivered.
        $bytes[-1] | Should -Be ((8000000 - 1) % 251)

        $requests = @((Get-EmulatorStats -Emulator $script:BigEmulator).fileRequests)
        $requests.Count | Should -BeGreaterOrEqual 2
        $requests[0].aborted | Should -BeTrue
        $requests[-1].aborted | Should -BeFalse
        Get-PartialFiles $folder | Should -HaveCount 0
    }

    It 'resumes with a Range request from where the cut left off' {
        $folder = New-DownloadFolder
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; kind = 'truncate'; afterBytes = 4000000; count = 1 }
        $null = $script:BigTask | Save-SeedanceVideo -Path $folder
        $requests = @((Get-EmulatorStats -Emulator $script:BigEmulator).fileRequests)
        $ranged = @($requests | Where-Object { $_.range -match '^bytes=[1-9]\d*-$' })
        $ranged.Count | Should -BeGreaterOrEqual 1
        $ranged[-1].status | Should -Be 206
    }

    It 'leaves neither the final file nor a partial file when stopped during retries (<Attempt>)' -ForEach @(
        @{ Attempt = 'first try' }, @{ Attempt = 'second try' }, @{ Attempt = 'third try' }
    ) {
        # Repeated: the cleanup used to finish a few ms after Stop() returned, so one try could miss it.
        $folder = New-DownloadFolder
        Add-EmulatorFault -Emulator $script:BigEmulator -Rule @{ path = '/files/'; kind = 'truncate'; afterBytes = 1000000; count = -1 }

        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $BaseUri, $Key, $TaskId, $Folder)
                    Import-Module $ModulePath
                    Set-SeedanceConfiguration -BaseUri $BaseUri -Scope Runspace
                    Set-SeedanceApiKey -Scope Runspace -PlainTextApiKey $Key
                    Save-SeedanceVideo -TaskId $TaskId -Path $Folder
                }).AddArgument((Get-TestModulePath)).AddArgument($script:BigEmulator.ApiBaseUri).AddArgument((Get-TestApiKey)).AddArgument($script:BigTask.TaskId).AddArgument($folder)
            $handle = $ps.BeginInvoke()
            Wait-Until { @((Get-EmulatorStats -Emulator $script:BigEmulator).fileRequests).Count -ge 2 } -TimeoutSeconds 30 | Should -BeTrue
            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Stop()
            # Checked at once: by the time Stop() returns, nothing may be left to clean up.
            $left = @(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name)
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }

        $left | Should -HaveCount 0
        Test-Path -LiteralPath (Join-Path $folder "$($script:BigTask.TaskId).mp4") | Should -BeFalse
    }

    It 'leaves no partial file when a downstream Select-Object -First 1 ends the downloads early' {
        $folder = New-DownloadFolder
        $second = New-SeedanceTask 'another big one' | Wait-SeedanceTask -PollInterval 0.1
        $first = $script:BigTask, $second | Save-SeedanceVideo -Path $folder | Select-Object -First 1
        $left = @(Get-ChildItem -LiteralPath $folder -Force)

        $first | Should -HaveCount 1
        $first.Length | Should -Be 8000000
        @($left | Where-Object Name -Like '*.partial') | Should -HaveCount 0
        foreach ($file in $left) { $file.Length | Should -Be 8000000 }
    }
}
