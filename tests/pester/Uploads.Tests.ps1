#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Local files as materials: New-SeedanceTask -Image/-Video with paths and file objects, checked before anything is
# sent, uploaded through the emulator's upload endpoint (POST /uploads with the key, PUT to the signed URL without
# it) or through a script-block uploader, then created with the uploaded URLs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:NoUploads = Start-TestEmulator -ArgumentList '--no-uploads'
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-uploads'
    $script:Cat = New-MediaFile -Path (Join-Path $script:Folder 'cat.png') -Format png -Length 50000
    $script:Dog = New-MediaFile -Path (Join-Path $script:Folder 'dog.jpg') -Format jpeg -Length 30000 -Seed 2
    $script:Clip = New-MediaFile -Path (Join-Path $script:Folder 'clip.mp4') -Format mp4 -Length 200000 -Seed 3
    $script:Web = New-MediaFile -Path (Join-Path $script:Folder 'clip.webm') -Format webm -Length 60000 -Seed 4
    $script:Mov = New-MediaFile -Path (Join-Path $script:Folder 'clip.mov') -Format mov -Length 70000 -Seed 5
    $script:Elsewhere = New-TestFolder -Prefix 'seedance-uploads-cwd'

    function Get-SentBody([string] $TaskId) { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $TaskId).request }

    function Get-Puts($Emulator = $script:Emulator) {
        @((Get-EmulatorStats -Emulator $Emulator).fileRequests | Where-Object method -EQ 'PUT')
    }

    function Invoke-Captured {
        # Runs $Script; returns {Output, Errors}: non-terminating errors in order, the terminating one (if any) last.
        param([Parameter(Mandatory)] [scriptblock] $Script)
        $ErrorActionPreference = 'Continue'
        $output = [System.Collections.Generic.List[object]]::new()
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        try {
            # Streamed, so what came out before a terminating error is kept.
            & $Script 2>&1 3>$null | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } else { $output.Add($_) }
            }
        }
        catch { $errors.Add($_) }
        [pscustomobject]@{ Output = $output.ToArray(); Errors = $errors.ToArray() }
    }

    function Split-Verbose {
        # Runs $Script with its verbose stream merged; returns {Output, Verbose} (the verbose messages as text).
        param([Parameter(Mandatory)] [scriptblock] $Script)
        $all = @(& $Script 4>&1)
        [pscustomobject]@{
            Output  = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        }
    }

    function Get-ErrorText([System.Management.Automation.ErrorRecord] $Record) {
        $message = if ($Record.ErrorDetails -and $Record.ErrorDetails.Message) { $Record.ErrorDetails.Message } else { $Record.Exception.Message }
        ($message, $Record.ErrorDetails.RecommendedAction) -join ' '
    }

    function Assert-NothingUploadedOrCreated($Emulator = $script:Emulator) {
        $stats = Get-EmulatorStats -Emulator $Emulator
        $stats.createRequests | Should -Be 0
        $stats.uploadRequests | Should -Be 0
        @($stats.fileRequests) | Should -HaveCount 0
    }
}

AfterAll {
    Set-Location $PSScriptRoot
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
    Stop-TestEmulator $script:NoUploads
    Remove-Item -LiteralPath $script:Folder, $script:Elsewhere -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Local files as materials' {
    BeforeEach {
        Reset-EmulatorStats -Emulator $script:Emulator
        Reset-EmulatorStats -Emulator $script:NoUploads
        Set-SeedanceConfiguration -Uploader $null
        Set-Location -LiteralPath $script:Folder
    }

    Context 'through the service' {
        It 'uploads a local image, then creates the task with its URL; the bytes on the files origin are the file' {
            $run = Split-Verbose { New-SeedanceTask -Prompt 'the cat in @1' -Image cat.png -Verbose }
            $task = $run.Output
            $task | Should -HaveCount 1

            $urls = @((Get-SentBody $task[0].TaskId).inputs.urls)
            $urls | Should -HaveCount 1
            $urls[0] | Should -Match ('^' + [regex]::Escape($script:Emulator.FilesBaseUri) + '/uploads/upl_[0-9a-f]+/cat\.png$')

            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.uploadRequests | Should -Be 1
            $stats.createRequests | Should -Be 1
            @($stats.uploadPuts) | Should -HaveCount 1
            $put = $stats.uploadPuts[0]
            $put.status | Should -Be 200
            $put.contentType | Should -Be 'image/png'
            $put.bytes | Should -Be $script:Cat.Length
            $put.sha256 | Should -Be (Get-FileSha256 $script:Cat.FullName)

            # Served back on the files origin, whole and by range, without a key.
            $copy = Join-Path $script:Elsewhere 'served.png'
            Invoke-WebRequest -Uri $urls[0] -OutFile $copy -NoProxy
            Get-FileSha256 $copy | Should -Be (Get-FileSha256 $script:Cat.FullName)
            $part = Invoke-WebRequest -Uri $urls[0] -Headers @{ Range = 'bytes=100-199' } -NoProxy -SkipHttpErrorCheck
            $part.StatusCode | Should -Be 206
            [Convert]::ToHexString($part.Content) | Should -Be ([Convert]::ToHexString([IO.File]::ReadAllBytes($script:Cat.FullName)[100..199]))

            # The upload hook (the journal will record it there) reports path, bytes and URL.
            ($run.Verbose -join "`n") | Should -Match ([regex]::Escape("Uploaded $($script:Cat.FullName) (50,000 bytes, Service) as $($urls[0])"))
        }

        It 'never sends the key with the PUT, and the signed URL refuses a request that carries one' {
            $null = New-SeedanceTask -Prompt 'no key on the PUT' -Image cat.png -Video clip.mp4
            $puts = Get-Puts
            $puts | Should -HaveCount 2
            $puts.hasAuthorization | Should -Not -Contain $true
            $puts.status | Should -Be @(200, 200)

            # The emulator really refuses an Authorization header there, so the 200s above prove none was sent.
            $slot = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.ApiBaseUri)/uploads" -Headers @{ Authorization = "Bearer $(Get-TestApiKey)" } -ContentType 'application/json' -Body '{"fileName":"x.png"}' -NoProxy
            $refused = Invoke-WebRequest -Method Put -Uri $slot.uploadUrl -Headers @{ Authorization = "Bearer $(Get-TestApiKey)" } -ContentType 'image/png' -Body ([byte[]](1, 2, 3)) -NoProxy -SkipHttpErrorCheck
            $refused.StatusCode | Should -Be 400
            $signedType = Invoke-WebRequest -Method Put -Uri $slot.uploadUrl -ContentType 'image/jpeg' -Body ([byte[]](1, 2, 3)) -NoProxy -SkipHttpErrorCheck
            $signedType.StatusCode | Should -Be 403
        }

        It 'sends images to urls and videos to videoUrls, in the order given, each with its own Content-Type' {
            $task = New-SeedanceTask -Prompt '@1 @2 @3 @4 @5' -Image cat.png, 'https://cdn.example.com/ref.png' -Video clip.mp4, clip.webm, clip.mov
            $inputs = (Get-SentBody $task.TaskId).inputs
            @($inputs.urls) | Should -HaveCount 2
            $inputs.urls[0] | Should -Match '/cat\.png$'
            $inputs.urls[1] | Should -Be 'https://cdn.example.com/ref.png'
            @($inputs.videoUrls | ForEach-Object { ($_ -split '/')[-1] }) | Should -Be @('clip.mp4', 'clip.webm', 'clip.mov')
            @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts.contentType) | Should -Be @('image/png', 'video/mp4', 'video/webm', 'video/quicktime')
        }

        It 'reads several local paths in one CSV cell, separated by '';'' as the help says, in their order' {
            $row = [pscustomobject]@{ Prompt = 'both @1 @2'; Image = './cat.png; dog.jpg' }
            $task = $row | New-SeedanceTask
            @((Get-SentBody $task.TaskId).inputs.urls | ForEach-Object { ($_ -split '/')[-1] }) | Should -Be @('cat.png', 'dog.jpg')
        }

        It 'uploads the same file once per command, however it is spelled and however many inputs use it' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'row one @1'; Image = 'cat.png' }
                [pscustomobject]@{ Prompt = 'row two @1'; Image = (Join-Path $script:Folder 'cat.png') }
                [pscustomobject]@{ Prompt = 'row three @1 @2'; Image = @('./cat.png', "../$(Split-Path $script:Folder -Leaf)/cat.png") }
            )
            $tasks = $rows | New-SeedanceTask
            $tasks | Should -HaveCount 3
            (Get-EmulatorStats -Emulator $script:Emulator).uploadRequests | Should -Be 1
            Get-Puts | Should -HaveCount 1
            $urls = $tasks | ForEach-Object { (Get-SentBody $_.TaskId).inputs.urls }
            @($urls) | Should -HaveCount 4
            @($urls | Select-Object -Unique) | Should -HaveCount 1

            # A new command uploads again: the service deletes uploads after 24 h, so nothing is reused across commands.
            $null = New-SeedanceTask -Prompt 'another command @1' -Image (Get-Item cat.png)
            (Get-EmulatorStats -Emulator $script:Emulator).uploadRequests | Should -Be 2
        }

        It 'takes FileInfo objects from Get-Item as they are, in their order' {
            $folder = New-TestFolder -Prefix 'seedance-uploads-glob'
            $b = New-MediaFile -Path (Join-Path $folder 'b.png') -Format png -Seed 7
            $a = New-MediaFile -Path (Join-Path $folder 'a[1].png') -Format png -Seed 8
            $files = @(Get-Item (Join-Path $folder '*.png'))
            $files | Should -HaveCount 2
            $task = New-SeedanceTask -Prompt 'two files @1 @2' -Image $files
            @((Get-SentBody $task.TaskId).inputs.urls | ForEach-Object { [uri]::UnescapeDataString(($_ -split '/')[-1]) }) | Should -Be @($files.Name)
            @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts.sha256) | Should -Be @($files | ForEach-Object { Get-FileSha256 $_.FullName })
        }

        It 'takes a FileInfo as the file it names (its FullName), even one made with a relative path' {
            $process = [Environment]::CurrentDirectory
            try {
                # .NET resolves a relative FileInfo against the process directory; the string 'cat.png' would be
                # looked for in the PowerShell location, where there is no cat.png.
                [Environment]::CurrentDirectory = $script:Folder
                Set-Location -LiteralPath $script:Elsewhere
                $file = [IO.FileInfo]::new('cat.png')
                $file.FullName | Should -Be $script:Cat.FullName
                $task = New-SeedanceTask -Prompt 'a FileInfo @1' -Image $file
                $task | Should -HaveCount 1
                @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts)[0].sha256 | Should -Be (Get-FileSha256 $script:Cat.FullName)
            }
            finally { [Environment]::CurrentDirectory = $process }
        }

        It 'takes a path string literally: a wildcard is not expanded, brackets are part of the name' {
            $folder = New-TestFolder -Prefix 'seedance-uploads-literal'
            $null = New-MediaFile -Path (Join-Path $folder 'a[1].png') -Format png
            $null = New-MediaFile -Path (Join-Path $folder 'b.png') -Format png
            Set-Location -LiteralPath $folder

            $result = Invoke-Captured { New-SeedanceTask -Prompt 'a wildcard @1' -Image '*.png' }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MaterialFileNotFound,*'
            $result.Errors[0].TargetObject | Should -Be (Join-Path $folder '*.png')
            Assert-NothingUploadedOrCreated

            $task = New-SeedanceTask -Prompt 'brackets @1' -Image 'a[1].png'
            (Get-SentBody $task.TaskId).inputs.urls | Should -Match '/a%5B1%5D\.png$'
        }

        It 'resolves a relative path against the PowerShell location, not the process directory' {
            $process = [Environment]::CurrentDirectory
            try {
                [Environment]::CurrentDirectory = $script:Elsewhere
                Set-Location -LiteralPath $script:Folder
                $task = New-SeedanceTask -Prompt 'relative @1' -Image cat.png
                @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts)[0].sha256 | Should -Be (Get-FileSha256 $script:Cat.FullName)
                $task | Should -HaveCount 1

                # And the other way round: the file is in the process directory only, so it is not found.
                [Environment]::CurrentDirectory = $script:Folder
                Set-Location -LiteralPath $script:Elsewhere
                $result = Invoke-Captured { New-SeedanceTask -Prompt 'not here @1' -Image cat.png }
                $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MaterialFileNotFound,*'
                $result.Errors[0].TargetObject | Should -Be (Join-Path $script:Elsewhere 'cat.png')
            }
            finally { [Environment]::CurrentDirectory = $process }
        }

        It 'resolves ~ and PowerShell drives (Temp:)' {
            $name = 'seedance-upload-' + [guid]::NewGuid().ToString('N') + '.png'
            Copy-Item -LiteralPath $script:Cat.FullName -Destination (Join-Path ([IO.Path]::GetTempPath()) $name)
            try {
                $task = New-SeedanceTask -Prompt 'from a drive @1' -Image "Temp:/$name"
                $task | Should -HaveCount 1
                @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts)[0].fileName | Should -Be $name
            }
            finally { Remove-Item -LiteralPath (Join-Path ([IO.Path]::GetTempPath()) $name) -ErrorAction SilentlyContinue }
        }

        It 'resolves paths in CSV cells the same way' {
            $csv = Join-Path $script:Folder 'jobs.csv'
            Set-Content -LiteralPath $csv -Value @('Prompt,Image,Video', '"a dog @1, dancing like @2",dog.jpg,clip.mp4')
            $task = Import-Csv -LiteralPath $csv | New-SeedanceTask
            $inputs = (Get-SentBody $task.TaskId).inputs
            $inputs.urls | Should -Match '/dog\.jpg$'
            $inputs.videoUrls | Should -Match '/clip\.mp4$'
        }

        It 'sends a PUT again from byte 0 when it was cut off or answered 503, and the stored bytes are whole' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @(
                @{ path = '/uploads/'; method = 'PUT'; kind = 'drop'; count = 1 }
                @{ path = '/uploads/'; method = 'PUT'; kind = 'status'; status = 503; retryAfter = 0; count = 1 }
            )
            $run = Split-Verbose { New-SeedanceTask -Prompt 'retried @1' -Video clip.mp4 -Verbose }
            $run.Output | Should -HaveCount 1
            Get-Puts | Should -HaveCount 3
            $stored = @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts | Where-Object status -EQ 200)
            $stored | Should -HaveCount 1
            $stored[0].sha256 | Should -Be (Get-FileSha256 $script:Clip.FullName)
            @($run.Verbose -match 'sending clip\.mp4 again from byte 0') | Should -HaveCount 2
        }

        It 'Ctrl+C during a PUT stops the command at once and creates nothing' {
            # The PUT is held 60 s by the emulator; its one-shot rule leaves the list when the PUT arrives.
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/uploads/'; method = 'PUT'; kind = 'slow'; delayMs = 60000; count = 1 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Set-Location -LiteralPath '$($script:Folder)'; New-SeedanceTask -Prompt 'stopped @1' -Image cat.png")
                $handle = $ps.BeginInvoke()
                Wait-Until -TimeoutSeconds 30 -Condition { @(Invoke-EmulatorControl -Emulator $script:Emulator -Path '/faults' | ForEach-Object { $_ }).Count -eq 0 } | Should -BeTrue
                $ps.Stop()
                $handle.IsCompleted | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally { $ps.Dispose() }
            # The PUT itself was cancelled (the emulator saw the client go away), not left running for its 60 s.
            Wait-Until -TimeoutSeconds 20 -Condition { @(Get-Puts | Where-Object aborted).Count -eq 1 } | Should -BeTrue
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.uploadRequests | Should -Be 1
            $stats.createRequests | Should -Be 0
            @($stats.uploadPuts | Where-Object status -EQ 200) | Should -HaveCount 0
        }

        It 'creates no task when the upload keeps failing, and goes on with the next input' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/uploads/'; method = 'PUT'; kind = 'status'; status = 503; retryAfter = 0; count = -1 }
            $rows = @(
                [pscustomobject]@{ Prompt = 'fails @1'; Image = 'cat.png' }
                [pscustomobject]@{ Prompt = 'a plain text task' }
            )
            $result = Invoke-Captured { $rows | New-SeedanceTask }
            $result.Output | Should -HaveCount 1
            $result.Output[0].Prompt | Should -Be 'a plain text task'
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UploadFailed,*'
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $result.Errors[0].TargetObject | Should -Be $script:Cat.FullName
            Get-ErrorText $result.Errors[0] | Should -Match 'No task was created for this input'
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 1
            @(Get-Puts) | Should -HaveCount 5
            @((Get-EmulatorTask -Emulator $script:Emulator) | Where-Object { $_.request.inputs.prompt -eq 'fails @1' }) | Should -HaveCount 0
        }
    }

    Context 'a host without the upload endpoint' {
        It '404: UploadsNotSupported says so and names -Uploader; the command stops, naming the tasks it created' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'a url-only task'; Image = 'https://cdn.example.com/a.png' }
                [pscustomobject]@{ Prompt = 'local @1'; Image = 'cat.png' }
                [pscustomobject]@{ Prompt = 'never reached' }
            )
            $result = Invoke-Captured {
                $env:SEEDANCE_BASE_URI = $script:NoUploads.ApiBaseUri
                try { $rows | New-SeedanceTask } finally { $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri }
            }
            $result.Output | Should -HaveCount 1
            $result.Errors | Should -HaveCount 1
            $record = $result.Errors[0]
            $record.FullyQualifiedErrorId | Should -BeLike 'UploadsNotSupported,*'
            $record.CategoryInfo.Category | Should -Be 'NotImplemented'
            $record.TargetObject | Should -Be $script:Cat.FullName
            Get-ErrorText $record | Should -Match 'has no upload endpoint \(it answered 404'
            Get-ErrorText $record | Should -Match 'Set-SeedanceConfiguration -Uploader'
            Get-ErrorText $record | Should -Match ([regex]::Escape($result.Output[0].TaskId))
            $stats = Get-EmulatorStats -Emulator $script:NoUploads
            $stats.uploadRequests | Should -Be 1
            $stats.createRequests | Should -Be 1
            @($stats.fileRequests) | Should -HaveCount 0
        }

        It '405: the same error, and nothing is created' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/uploads'; kind = 'status'; status = 405; count = -1 }
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'local @1' -Image cat.png }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UploadsNotSupported,*'
            Get-ErrorText $result.Errors[0] | Should -Match 'answered 405'
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.uploadRequests | Should -Be 1
            $stats.createRequests | Should -Be 0
        }

        It '401 on the upload endpoint is Unauthorized and stops the command' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/uploads'; kind = 'status'; status = 401; count = -1 }
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'local @1' -Image cat.png }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
        }
    }

    Context 'your own uploader (Set-SeedanceConfiguration -Uploader)' {
        It 'is called once per file, with the FileInfo, on the pipeline thread; its URL goes into the create' {
            $script:Calls = [System.Collections.Generic.List[object]]::new()
            $thread = [Threading.Thread]::CurrentThread.ManagedThreadId
            Set-SeedanceConfiguration -Uploader {
                param($File)
                $script:Calls.Add([pscustomobject]@{ Type = $File.GetType().FullName; Path = $File.FullName; Underscore = $_.FullName; Thread = [Threading.Thread]::CurrentThread.ManagedThreadId })
                [pscustomobject]@{ what = 'an object an upload cmdlet emitted' }   # ignored: the last output is the answer
                # Passed on exactly as written: a pre-signed URL's signature covers its text (.NET would turn %7E into ~).
                return "https://storage.example.com/materials/%7E$($File.Name)?sig=a%2Bb"
            }
            (Get-SeedanceConfiguration).UploadsVia | Should -Be 'ScriptBlock'

            $task = New-SeedanceTask -Prompt 'mine @1 @2 @3' -Image cat.png, ./cat.png -Video clip.mp4
            $inputs = (Get-SentBody $task.TaskId).inputs
            @($inputs.urls) | Should -BeExactly @('https://storage.example.com/materials/%7Ecat.png?sig=a%2Bb', 'https://storage.example.com/materials/%7Ecat.png?sig=a%2Bb')
            @($inputs.videoUrls) | Should -BeExactly @('https://storage.example.com/materials/%7Eclip.mp4?sig=a%2Bb')

            $script:Calls | Should -HaveCount 2
            $script:Calls.Type | Should -Be @('System.IO.FileInfo', 'System.IO.FileInfo')
            $script:Calls.Path | Should -Be @($script:Cat.FullName, $script:Clip.FullName)
            $script:Calls.Underscore | Should -Be @($script:Cat.FullName, $script:Clip.FullName)
            $script:Calls.Thread | Should -Be @($thread, $thread)
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.uploadRequests | Should -Be 0
            @($stats.fileRequests) | Should -HaveCount 0
        }

        It '<Case>: <ErrorId>, the path as target, nothing created' -ForEach @(
            @{ Case = 'returns text that is not a URL'; Block = { param($File) 'uploaded!' }; ErrorId = 'InvalidUploaderResult'; Category = 'InvalidResult'; Advice = "returned 'uploaded!'" }
            @{ Case = 'returns a relative URL'; Block = { param($File) '/materials/cat.png' }; ErrorId = 'InvalidUploaderResult'; Category = 'InvalidResult'; Advice = 'absolute http\(s\) URL' }
            @{ Case = 'returns nothing'; Block = { param($File) $null = $File }; ErrorId = 'InvalidUploaderResult'; Category = 'InvalidResult'; Advice = 'returned nothing' }
            @{ Case = 'returns an ftp URL'; Block = { param($File) [uri]'ftp://files.example.com/cat.png' }; ErrorId = 'InvalidUploaderResult'; Category = 'InvalidResult'; Advice = 'ftp://' }
            @{ Case = 'throws'; Block = { param($File) throw 'bucket not found' }; ErrorId = 'UploaderFailed'; Category = 'InvalidOperation'; Advice = 'bucket not found' }
            @{ Case = 'writes a non-terminating error, then returns a URL'; Block = { param($File) Write-Error 'upload refused'; 'https://storage.example.com/cat.png' }; ErrorId = 'UploaderFailed'; Category = 'InvalidOperation'; Advice = 'upload refused' }
        ) {
            Set-SeedanceConfiguration -Uploader $Block
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'mine @1' -Image cat.png }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $result.Errors[0].CategoryInfo.Category | Should -Be $Category
            $result.Errors[0].TargetObject | Should -Be $script:Cat.FullName
            Get-ErrorText $result.Errors[0] | Should -Match $Advice
            Assert-NothingUploadedOrCreated
        }

        It 'returns a URL the material gate refuses (<Rule>): InvalidUploaderResult naming the rule and the file, nothing created' -ForEach @(
            # {U+XXXX} stands for the character: raw, it would be written into the XML report.
            @{ Rule = 'UrlHasCredentials'; Url = 'https://u:secretpw@storage.example.com/cat.png' }
            @{ Rule = 'UrlHasControlCharacter'; Url = 'https://storage.example.com/cat%0d%0aX-Injected:1' }
            @{ Rule = 'UrlHasControlCharacter'; Url = 'https://storage.example.com/a{U+0007}b.png' }
            @{ Rule = 'UrlHostNotAscii'; Url = 'https://{U+043F}{U+0440}{U+0438}{U+043C}{U+0435}{U+0440}.{U+0440}{U+0444}/cat.png' }
            @{ Rule = 'UrlHostNotAscii'; Url = 'https://storage.example.com{U+3002}evil/cat.png' }
            @{ Rule = 'UrlHasSecondScheme'; Url = 'https://storage.example.com/a.pnghttps://b.example/b.png' }
            @{ Rule = 'InvalidMaterialUrl'; Url = 'https:/\u:secretpw@storage.example.com/cat.png' }
        ) {
            $answer = [regex]::Replace($Url, '\{U\+([0-9A-F]{4})\}', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 16) })
            Set-SeedanceConfiguration -Uploader { param($File) $answer }.GetNewClosure()
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'mine @1' -Image cat.png }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUploaderResult,*'
            $result.Errors[0].TargetObject | Should -Be $script:Cat.FullName
            Get-ErrorText $result.Errors[0] | Should -Match $Rule
            Get-ErrorText $result.Errors[0] | Should -Not -Match 'secretpw'
            Assert-NothingUploadedOrCreated
        }

        It 'is kept in the runspace that set it: another runspace uploads through the service; -Uploader $null and -Reset go back' {
            Set-SeedanceConfiguration -Uploader { param($File) 'https://storage.example.com/x.png' }
            $other = [powershell]::Create()
            try {
                $null = $other.AddScript("Import-Module '$(Get-TestModulePath)'; (Get-SeedanceConfiguration).UploadsVia")
                $other.Invoke() | Should -Be 'Service'
            }
            finally { $other.Dispose() }
            (Get-SeedanceConfiguration).UploadsVia | Should -Be 'ScriptBlock'
            Set-SeedanceConfiguration -Uploader $null
            (Get-SeedanceConfiguration).UploadsVia | Should -Be 'Service'
            Set-SeedanceConfiguration -Uploader { param($File) 'https://storage.example.com/x.png' }
            Set-SeedanceConfiguration -Reset
            (Get-SeedanceConfiguration).UploadsVia | Should -Be 'Service'
        }
    }

    Context '-WhatIf' {
        It 'uploads nothing and names each file with its size' {
            $result = Invoke-ChildPwsh -TimeoutSeconds 120 -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @"
Import-Module `$env:SEEDANCE_TEST_MODULE
Set-Location -LiteralPath '$($script:Folder)'
New-SeedanceTask -Prompt 'what if @1 @2' -Image cat.png -Video clip.mp4 -WhatIf
"@
            $result.TimedOut | Should -BeFalse
            # 240: 5 s at the reference-video rate of seedance-20 at 720p (48 a second, the model catalog), not the plain 40.
            $result.StdOut | Should -Match ([regex]::Escape("What if: Performing the operation `"Upload $($script:Cat.FullName) (50.0 KB), $($script:Clip.FullName) (200.0 KB) to the service, then create Seedance task costing 240 credits"))
            Assert-NothingUploadedOrCreated
        }
    }

    Context 'files that cannot be used: refused before anything is sent' {
        BeforeAll {
            $script:Bad = New-TestFolder -Prefix 'seedance-uploads-bad'
            $null = New-MediaFile -Path (Join-Path $script:Bad 'notes.png') -Format text
            $null = New-MediaFile -Path (Join-Path $script:Bad 'photo.png') -Format jpeg
            $null = New-MediaFile -Path (Join-Path $script:Bad 'phone.mp4') -Format heic
            $null = New-MediaFile -Path (Join-Path $script:Bad 'movie.webm') -Format mkv
            $null = New-MediaFile -Path (Join-Path $script:Bad 'anim.gif') -Format gif
            $null = New-MediaFile -Path (Join-Path $script:Bad 'notes.txt') -Format text
            $null = New-MediaFile -Path (Join-Path $script:Bad 'still.png') -Format png
            $null = New-MediaFile -Path (Join-Path $script:Bad 'big.mp4') -Format mp4 -Length 50000001 -Sparse
            [IO.File]::WriteAllBytes((Join-Path $script:Bad 'empty.png'), [byte[]]::new(0))
            $null = New-Item -ItemType Directory -Path (Join-Path $script:Bad 'folder.png')
            $script:Unreadable = New-UnreadableFile -Path (Join-Path $script:Bad 'locked.png')
        }

        It '<Parameter> <Value>: <ErrorId> (<Category>)' -ForEach @(
            @{ Parameter = 'Image'; Value = 'missing.png'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'Cannot find the image file' }
            @{ Parameter = 'Image'; Value = './missing.png'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'relative paths are resolved against the current location' }
            @{ Parameter = 'Image'; Value = '/home/me/pictures/cat.png'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'Cannot find' }
            @{ Parameter = 'Image'; Value = 'file:///home/me/cat.png'; Target = 'file:///home/me/cat.png'; ErrorId = 'MaterialNotAFile'; Category = 'InvalidArgument'; Advice = 'never read as a local file' }
            @{ Parameter = 'Image'; Value = '~/seedance-no-such-cat.png'; Target = 'HOME/seedance-no-such-cat.png'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'Cannot find' }
            @{ Parameter = 'Image'; Value = 'C:\Users\me\cat.png'; Target = 'C:\Users\me\cat.png'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'Cannot find' }
            @{ Parameter = 'Video'; Value = '../clips/dance.mp4'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'Cannot find the video file' }
            @{ Parameter = 'Image'; Value = 'not a url'; ErrorId = 'MaterialFileNotFound'; Category = 'ObjectNotFound'; Advice = 'if you meant a web address, write it in full' }
            @{ Parameter = 'Image'; Value = 'folder.png'; ErrorId = 'MaterialNotAFile'; Category = 'InvalidArgument'; Advice = 'is a folder, not a file' }
            @{ Parameter = 'Image'; Value = 'locked.png'; ErrorId = 'MaterialFileUnreadable'; Category = 'PermissionDenied'; Advice = 'Cannot read' }
            @{ Parameter = 'Image'; Value = 'anim.gif'; ErrorId = 'UnsupportedMaterialType'; Category = 'InvalidArgument'; Advice = 'is a \.gif file; the service takes images as \.png, \.jpg, \.jpeg, \.webp' }
            @{ Parameter = 'Image'; Value = 'notes.txt'; ErrorId = 'UnsupportedMaterialType'; Category = 'InvalidArgument'; Advice = 'is a \.txt file' }
            @{ Parameter = 'Video'; Value = 'still.png'; ErrorId = 'UnsupportedMaterialType'; Category = 'InvalidArgument'; Advice = 'is an image, but was given as a video.*Pass it with -Image' }
            @{ Parameter = 'Image'; Value = 'notes.png'; ErrorId = 'MaterialContentMismatch'; Category = 'InvalidData'; Advice = 'its content is not PNG data' }
            @{ Parameter = 'Image'; Value = 'photo.png'; ErrorId = 'MaterialContentMismatch'; Category = 'InvalidData'; Advice = 'holds JPEG data\. Rename it to photo\.jpg' }
            @{ Parameter = 'Image'; Value = 'empty.png'; ErrorId = 'MaterialContentMismatch'; Category = 'InvalidData'; Advice = 'is empty' }
            @{ Parameter = 'Video'; Value = 'phone.mp4'; ErrorId = 'MaterialContentMismatch'; Category = 'InvalidData'; Advice = 'holds HEIC/HEIF data' }
            @{ Parameter = 'Video'; Value = 'movie.webm'; ErrorId = 'MaterialContentMismatch'; Category = 'InvalidData'; Advice = 'holds Matroska \(MKV\) data' }
            @{ Parameter = 'Video'; Value = 'big.mp4'; ErrorId = 'VideoFileTooLarge'; Category = 'LimitsExceeded'; Advice = '50,000,001 bytes.*at most 50 MB \(50,000,000 bytes\)' }
        ) {
            if ($Value -eq 'locked.png' -and -not $script:Unreadable) { Set-ItResult -Skipped -Because 'no unreadable file can be made here'; return }
            Set-Location -LiteralPath $script:Bad
            $expected = if ($Target) { $Target -replace '^HOME', $HOME } else { [IO.Path]::GetFullPath($Value, $script:Bad) }
            $arguments = @{ Prompt = 'a bad file @1'; $Parameter = $Value }
            $result = Invoke-Captured { New-SeedanceTask @arguments }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $record = $result.Errors[0]
            $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $record.CategoryInfo.Category | Should -Be $Category
            $record.TargetObject | Should -Be $expected
            $record.Exception.ParamName | Should -Be $Parameter
            Get-ErrorText $record | Should -Match $Advice
            Assert-NothingUploadedOrCreated
        }

        It 'reports every bad file of one input, one error each, alongside other bad input' {
            Set-Location -LiteralPath $script:Bad
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'many @1' -Duration 99 -Image missing.png, notes.png, still.png -Video big.mp4 }
            @($result.Errors.FullyQualifiedErrorId -replace ',.*$') | Should -Be @('InvalidDuration', 'MaterialFileNotFound', 'MaterialContentMismatch', 'VideoFileTooLarge')
            Assert-NothingUploadedOrCreated
        }

        It 'counts local files with the URLs: 10 images are refused before any upload' {
            $images = @(1..9 | ForEach-Object { "https://cdn.example.com/$_.png" }) + @($script:Cat.FullName)
            $result = Invoke-Captured { New-SeedanceTask -Prompt 'too many' -Image $images }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TooManyImages,*'
            Assert-NothingUploadedOrCreated
        }

        It 'skips only the CSV row with the bad file' {
            $csv = Join-Path $script:Bad 'jobs.csv'
            Set-Content -LiteralPath $csv -Value @('Prompt,Image', 'good @1,still.png', 'bad @1,notes.png', 'also good @1,still.png')
            Set-Location -LiteralPath $script:Bad
            $result = Invoke-Captured { Import-Csv -LiteralPath $csv | New-SeedanceTask }
            @($result.Output.Prompt) | Should -Be @('good @1', 'also good @1')
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].TargetObject | Should -Be (Join-Path $script:Bad 'notes.png')
            (Get-EmulatorStats -Emulator $script:Emulator).uploadRequests | Should -Be 1
        }
    }

    Context 'large files' {
        It 'reports upload progress and closes the bar' {
            $big = New-MediaFile -Path (Join-Path $script:Folder 'large.png') -Format png -Length 8MB -Sparse
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Set-Location -LiteralPath '$($script:Folder)'; New-SeedanceTask -Prompt 'progress @1' -Image large.png")
                $tasks = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $tasks | Should -HaveCount 1
                $bars = @($ps.Streams.Progress | Where-Object Activity -EQ 'Uploading large.png')
                $bars.Count | Should -BeGreaterThan 1
                $bars[-1].RecordType | Should -Be 'Completed'
                @($bars | Where-Object { $_.RecordType -ne 'Completed' -and $_.StatusDescription -match '8\.4 MB' }).Count | Should -BeGreaterThan 0
            }
            finally { $ps.Dispose() }
            Remove-Item -LiteralPath $big.FullName
        }

        It 'streams the file: the process peak memory grows by less than 50 MiB for a 200 MB upload' {
            $bytes = 200MB
            $big = New-MediaFile -Path (Join-Path $script:Folder 'huge.png') -Format png -Length $bytes -Sparse
            try {
                $result = Invoke-ChildPwsh -TimeoutSeconds 180 -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module `$env:SEEDANCE_TEST_MODULE
`$null = New-SeedanceTask -Prompt 'warm up' -WhatIf
`$self = Get-Process -Id `$PID
`$self.Refresh(); `$before = `$self.PeakWorkingSet64
`$task = New-SeedanceTask -Prompt 'huge @1' -Image '$($big.FullName)'
`$self.Refresh(); `$after = `$self.PeakWorkingSet64
'RESULT {0} {1}' -f `$task.TaskId, (`$after - `$before)
"@
            }
            finally { Remove-Item -LiteralPath $big.FullName }
            $result.TimedOut | Should -BeFalse
            $line = @($result.StdOut -split "`n" | Where-Object { $_ -match '^RESULT ' })
            $line | Should -HaveCount 1 -Because "the child printed: $($result.StdOut) $($result.StdErr)"
            $fields = $line[0].Trim() -split ' '
            $fields[1] | Should -Match '^task_'
            @((Get-EmulatorStats -Emulator $script:Emulator).uploadPuts | Where-Object status -EQ 200)[0].bytes | Should -Be $bytes
            ([long]$fields[2] / 1MB) | Should -BeLessThan 50 -Because 'the file is streamed from disk through a small buffer, never held in memory'
        }
    }
}
