#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Files against a hostile server (tests/Seedance.HostileServer): a task id from the service never decides where a
# file lands; the service must answer for the task that was asked; -Force replaces only a regular file; stale
# .partial files of a killed process are cleaned; a transfer that cannot be verified is an error for its task only.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServer.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Server = Start-HostileServer
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Server
    $script:Roots = [System.Collections.Generic.List[string]]::new()

    function New-Root {
        # A folder with a 'videos' folder inside: a file that escapes 'videos' lands in the root, where the test sees it.
        $root = New-TestFolder -Prefix 'seedance-hostile'
        $script:Roots.Add($root)
        $null = New-Item -ItemType Directory -Path (Join-Path $root 'videos')
        $root
    }

    function Get-Everything([string] $Root) {
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force | ForEach-Object { $_.FullName.Substring($Root.Length) -replace '\\', '/' } | Sort-Object)
    }

    function Get-FileRequests { @(Get-HostileLog -Server $script:Server | Where-Object { $_.path -like '/files/*' }) }

    function Set-StandardRules([object[]] $Extra = @()) {
        Set-HostileRule -Server $script:Server -Rule (@($Extra) + @(
                (New-HostileTaskRule),
                @{ path = '/files/ok.mp4'; file = @{ length = 5000; etag = '"ok-1"' } }
            ))
    }
}

AfterAll {
    foreach ($root in $script:Roots) {
        Get-ChildItem -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue | Where-Object { $_.Attributes -band [IO.FileAttributes]::ReparsePoint } | Remove-Item -Force -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }
    Exit-TestSandbox $script:Sandbox
    Stop-HostileServer $script:Server
}

Describe 'Hostile server: files' {
    BeforeEach { Reset-HostileServer -Server $script:Server; Set-StandardRules }

    Context 'a task id from the service never decides where a file lands' {
        It 'refuses the id <Name> with InvalidTaskId, and writes nothing anywhere' -ForEach @(
            @{ Name = 'parent folder'; Id = '../escape' }
            @{ Name = 'two dots'; Id = '..' }
            @{ Name = 'one dot'; Id = '.' }
            @{ Name = 'nested escape'; Id = 'sub/../../escape' }
            @{ Name = 'slash'; Id = 'a/b' }
            @{ Name = 'backslash'; Id = 'a\..\..\escape' }
            @{ Name = 'rooted path'; Id = '<root>/rooted' }
            @{ Name = 'drive path'; Id = 'C:\evil' }
            @{ Name = 'drive-relative'; Id = 'C:evil' }
            @{ Name = 'reserved Windows name'; Id = 'CON' }
            @{ Name = 'reserved name with extension'; Id = 'nul.txt' }
            @{ Name = 'reserved name, other case'; Id = 'Lpt1' }
            @{ Name = 'control character'; Id = "task_`a_bell" }
            @{ Name = 'escape sequence'; Id = "task_`e[2J" }
            @{ Name = 'over-long'; Id = 'task_' + ('x' * 300) }
            @{ Name = 'trailing dot'; Id = 'task_x.' }
            @{ Name = 'hidden (leading dot)'; Id = '.task_hidden' }
            @{ Name = 'right-to-left override'; Id = "task_`u{202E}4pm.exe" }
        ) {
            $root = New-Root
            $id = $Id.Replace('<root>', $root)
            $task = Get-SeedanceTask -TaskId $id
            $task.TaskId | Should -BeExactly $id     # the server echoes it: it is the id of the task
            $files = $task | Save-SeedanceVideo -Path (Join-Path $root 'videos') -ErrorVariable problems -ErrorAction SilentlyContinue

            $files | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTaskId,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].TargetObject.TaskId | Should -BeExactly $id
            $problems[0].Exception.Message | Should -Not -Match '[\x00-\x08\x0b-\x1f\x7f]'
            Get-Everything $root | Should -Be @('/videos')
            Get-FileRequests | Should -HaveCount 0
        }

        It 'saves the other tasks of the batch' {
            $root = New-Root
            $tasks = Get-SeedanceTask -TaskId 'task_good_1', '../task_bad', 'task_good_2'
            $files = $tasks | Save-SeedanceVideo -Path (Join-Path $root 'videos') -ErrorVariable problems -ErrorAction SilentlyContinue
            @($files.Name | Sort-Object) | Should -Be @('task_good_1.mp4', 'task_good_2.mp4')
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTaskId,*'
            Get-Everything $root | Should -Be @('/videos', '/videos/task_good_1.mp4', '/videos/task_good_2.mp4')
        }

        It 'a file name given with -Path is used as it is: the id does not matter then' {
            $root = New-Root
            $file = Get-SeedanceTask -TaskId '../whatever' | Save-SeedanceVideo -Path (Join-Path $root 'videos/mine.mp4')
            $file.FullName | Should -Be (Join-Path $root 'videos/mine.mp4')
            $file.Length | Should -Be 5000
        }
    }

    Context 'Get and Wait check that the service answered for the task asked' {
        BeforeEach {
            Set-StandardRules -Extra @(
                (New-HostileTaskRule -TaskId 'task_mine' -Json '{"taskId":"task_other","status":"success","output":[{"url":"{base}/files/ok.mp4"}]}'),
                (New-HostileTaskRule -TaskId 'task_mine_running' -Json '{"taskId":"task_someone_else","status":"generating"}')
            )
        }

        It 'Get-SeedanceTask: TaskIdMismatch for that id; the other ids are answered' {
            $tasks = Get-SeedanceTask -TaskId 'task_before', 'task_mine', 'task_after' -ErrorVariable problems -ErrorAction SilentlyContinue
            @($tasks.TaskId) | Should -Be @('task_before', 'task_after')
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'TaskIdMismatch,*'
            $problems[0].TargetObject | Should -Be 'task_mine'
            $problems[0].Exception.Message | Should -Match 'task_mine'
            $problems[0].Exception.Message | Should -Match 'task_other'
        }

        It 'Wait-SeedanceTask: TaskIdMismatch that names the user''s task; the substituted task is never emitted' {
            $out = Wait-SeedanceTask -TaskId 'task_mine_running', 'task_fine' -PollInterval 0.05 -Timeout 20 -ErrorVariable problems -ErrorAction SilentlyContinue
            @($out.TaskId) | Should -Be @('task_fine')
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'TaskIdMismatch,*'
            $problems[0].TargetObject.TaskId | Should -BeExactly 'task_mine_running'
        }

        It 'Save-SeedanceVideo -TaskId: nothing is downloaded for a substituted task' {
            $root = New-Root
            Save-SeedanceVideo -TaskId 'task_mine' -Path (Join-Path $root 'videos') -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'TaskIdMismatch,*'
            Get-Everything $root | Should -Be @('/videos')
            Get-FileRequests | Should -HaveCount 0
        }
    }

    Context '-Force replaces only a regular file' -Skip:$IsWindows {
        It 'a FIFO at the final name (the /dev/null case) is refused before downloading, and stays a FIFO' {
            $root = New-Root
            $fifo = Join-Path $root 'videos/task_fifo.mp4'
            & mkfifo $fifo
            $files = Get-SeedanceTask -TaskId 'task_fifo' | Save-SeedanceVideo -Path (Join-Path $root 'videos') -Force -ErrorVariable problems -ErrorAction SilentlyContinue
            $files | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'DestinationNotAFile,*'
            $problems[0].TargetObject | Should -Be $fifo
            (& stat -c '%F' $fifo) | Should -Be 'fifo'
            Get-FileRequests | Should -HaveCount 0
        }

        It 'a FIFO given as -Path with -Force is refused before downloading' {
            $root = New-Root
            $fifo = Join-Path $root 'pipe'
            & mkfifo $fifo
            Get-SeedanceTask -TaskId 'task_fifo' | Save-SeedanceVideo -Path $fifo -Force -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'DestinationNotAFile,*'
            (& stat -c '%F' $fifo) | Should -Be 'fifo'
            Get-FileRequests | Should -HaveCount 0
        }

        It 'a folder at the final name is refused before downloading, and kept' {
            $root = New-Root
            $folder = New-Item -ItemType Directory -Path (Join-Path $root 'videos/task_dir.mp4')
            Set-Content -LiteralPath (Join-Path $folder 'inside.txt') -Value 'keep me'
            Get-SeedanceTask -TaskId 'task_dir' | Save-SeedanceVideo -Path (Join-Path $root 'videos') -Force -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'DestinationNotAFile,*'
            Get-Content -LiteralPath (Join-Path $folder 'inside.txt') | Should -Be 'keep me'
            Get-FileRequests | Should -HaveCount 0
        }

        It 'a regular file is still replaced with -Force' {
            $root = New-Root
            $target = Join-Path $root 'videos/task_plain.mp4'
            Set-Content -LiteralPath $target -Value 'old'
            $file = Get-SeedanceTask -TaskId 'task_plain' | Save-SeedanceVideo -Path (Join-Path $root 'videos') -Force
            $file.Length | Should -Be 5000
        }
    }

    Context 'temporary files left by a killed process' {
        It 'are removed by the next save of that file when older than a day; nothing else is touched' {
            # Another destination's download (another Save into the same folder, or a user's file of that shape) is not
            # this save's to judge, however old it looks.
            $root = New-Root
            $videos = Join-Path $root 'videos'
            $old = Get-Date -Date ([DateTime]::Now.AddDays(-2))
            $stale = Join-Path $videos '.task_new.mp4.0123abcd.partial'
            $fresh = Join-Path $videos '.task_new.mp4.89abcdef.partial'
            $anotherDestinations = Join-Path $videos '.task_a.mp4.0123abcd.partial'
            $notOurs = Join-Path $videos '.notes.partial'
            $video = Join-Path $videos 'task_old.mp4'
            foreach ($path in $stale, $fresh, $anotherDestinations, $notOurs, $video) { Set-Content -LiteralPath $path -Value 'x' }
            foreach ($path in $stale, $anotherDestinations, $notOurs, $video) { (Get-Item -LiteralPath $path -Force).LastWriteTime = $old }
            (Get-Item -LiteralPath $fresh -Force).LastWriteTime = [DateTime]::Now.AddHours(-1)

            $file = Get-SeedanceTask -TaskId 'task_new' | Save-SeedanceVideo -Path $videos
            $file.Name | Should -Be 'task_new.mp4'
            Test-Path -LiteralPath $stale | Should -BeFalse
            foreach ($path in $fresh, $anotherDestinations, $notOurs, $video) { Test-Path -LiteralPath $path | Should -BeTrue -Because $path }
        }
    }

    Context 'a transfer that cannot be verified is an error for that task only' {
        It '<Name>: that task fails with <ErrorId>, the rest of the batch is saved, no partial file' -ForEach @(
            @{ Name = 'a body of unknown length (no Content-Length, not chunked) cut short'; ErrorId = 'InvalidResponse'
                Rule = @{ path = '/files/bad.mp4'; file = @{ length = 5000 }; length = 'none'; cutAfter = 3000 } }
            @{ Name = 'a declared length no video has (5 GB), refused before a byte is written'; ErrorId = 'InvalidResponse'
                Rule = @{ path = '/files/bad.mp4'; body = 'x'; length = '5000000000'; cutAfter = 1 } }
        ) {
            Set-StandardRules -Extra @((New-HostileTaskRule -TaskId 'task_bad' -VideoPath '/files/bad.mp4'), $Rule)
            $root = New-Root
            $tasks = Get-SeedanceTask -TaskId 'task_ok_1', 'task_bad', 'task_ok_2'
            $files = $tasks | Save-SeedanceVideo -Path (Join-Path $root 'videos') -ErrorVariable problems -ErrorAction SilentlyContinue
            @($files.Name | Sort-Object) | Should -Be @('task_ok_1.mp4', 'task_ok_2.mp4')
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $problems[0].TargetObject.TaskId | Should -Be 'task_bad'
            Get-Everything $root | Should -Be @('/videos', '/videos/task_ok_1.mp4', '/videos/task_ok_2.mp4')
            @(Get-HostileLog -Server $script:Server | Where-Object path -EQ '/files/bad.mp4') | Should -HaveCount 1
        }
    }
}
