#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What a hostile API server sends back, against the real cmdlets: oversize and endless answers (memory bound read
# from /proc), numbers out of range, the key echoed in 200 bodies in every encoding, terminal control sequences,
# a proxy in the environment, a 5xx to a create, base URIs with a query, fragment or user info.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Server = Start-HostileServer
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Server
    $script:Key = 'sk-HOSTILE-' + [guid]::NewGuid().ToString('N')
    $env:SEEDANCE_API_KEY = $script:Key
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function Get-RecordInfoRequests([string] $TaskId) {
        @(Get-HostileLog -Server $script:Server | Where-Object { $_.path -eq '/api/v1/jobs/recordInfo' -and $_.taskId -eq $TaskId })
    }

    function Get-KeyLeak([string] $Text) {
        <#
        Every form of the key found in $Text: as it is, in any case, JSON-escaped (\u00XX for any character) or
        percent-encoded (%XX), in any mixture. Written independently of the module's masking, as the test's oracle.
        #>
        if ([string]::IsNullOrEmpty($Text)) { return @() }
        $pattern = -join ($script:Key.ToCharArray() | ForEach-Object {
                $hex = '{0:x2}' -f [int]$_
                '(?:' + [regex]::Escape([string]$_) + '|%' + $hex + '|\\u00' + $hex + ')'
            })
        @([regex]::Matches($Text, $pattern, 'IgnoreCase') | ForEach-Object Value)
    }

    function Invoke-MeasuredLookup {
        <#
        In a fresh pwsh: look up a normal task (everything loaded), reset the peak RSS (/proc/self/clear_refs), look up
        $TaskId, then report the error id and how far the peak RSS (VmHWM) rose above the RSS before the call.
        #>
        param([string] $TaskId, [int] $RequestTimeout = 30)
        $script = @'
Import-Module $env:SEEDANCE_TEST_MODULE
Set-SeedanceConfiguration -RequestTimeout ([int]$env:REQUEST_TIMEOUT)
function Kb([string] $Name) { [long](([IO.File]::ReadAllLines('/proc/self/status') | Where-Object { $_.StartsWith($Name + ':') }) -replace '\D', '') }
$null = Get-SeedanceTask -TaskId 'task_warm'
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$before = Kb 'VmRSS'
try { [IO.File]::WriteAllText('/proc/self/clear_refs', '5') } catch { "CLEAR_REFS_FAILED" }
$watch = [Diagnostics.Stopwatch]::StartNew()
$result = Get-SeedanceTask -TaskId $env:TASK_ID -ErrorVariable problems -ErrorAction SilentlyContinue
"SECONDS=$($watch.Elapsed.TotalSeconds)"
"GROWTH_MB=$([math]::Round(((Kb 'VmHWM') - $before) / 1024, 1))"
"ERRORID=$(if ($problems) { $problems[0].FullyQualifiedErrorId })"
"OUTPUT=$(@($result).Count)"
'@
        $child = Invoke-ChildPwsh -Script $script -TimeoutSeconds 180 -Environment @{
            SEEDANCE_API_KEY = $script:Key; SEEDANCE_BASE_URI = $script:Server.ApiBaseUri; TASK_ID = $TaskId; REQUEST_TIMEOUT = $RequestTimeout
        }
        $values = @{}
        foreach ($line in ($child.StdOut -split "`r?`n")) { if ($line -match '^([A-Z_]+)=(.*)$') { $values[$Matches[1]] = $Matches[2].Trim() } }
        $values.StdErr = $child.StdErr
        [pscustomobject]$values
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-HostileServer $script:Server
}

Describe 'Hostile server: answers' {
    BeforeEach { Reset-HostileServer -Server $script:Server }

    Context 'API answers are capped (memory read from /proc)' -Skip:(-not $IsLinux) {
        It '<Name>: InvalidResponse, asked once, peak memory grows < 100 MiB' -ForEach @(
            @{ Name = 'a 300 MB answer that says its length'; Rule = @{ body = '{"taskId":"{taskId}","pad":"'; bodyBytes = 300MB; fillByte = 97 } }
            @{ Name = 'an endless chunked answer'; Rule = @{ body = '{"taskId":"{taskId}","pad":"'; endless = $true; fillByte = 97 } }
            @{ Name = 'an endless answer ended by no length'; Rule = @{ body = '{"taskId":"{taskId}","pad":"'; endless = $true; fillByte = 97; length = 'none' } }
            @{ Name = 'a gzip bomb (256 MiB of text in a small body)'; Rule = @{ body = '{"taskId":"{taskId}","pad":"'; bodyBytes = 256MB; fillByte = 97; gzip = $true } }
        ) {
            $Rule.path = '/api/v1/jobs/recordInfo'
            $Rule.taskId = 'task_big'
            Set-HostileRule -Server $script:Server -Rule @($Rule, (New-HostileTaskRule))
            $measured = Invoke-MeasuredLookup -TaskId 'task_big' -RequestTimeout 5
            $measured.ERRORID | Should -BeLike 'InvalidResponse,*' -Because $measured.StdErr
            $measured.OUTPUT | Should -Be '0'
            [double]$measured.GROWTH_MB | Should -BeLessThan 100
            Get-RecordInfoRequests 'task_big' | Should -HaveCount 1
        }

        It 'an answer just under the cap is read' {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_padded'; body = '{"taskId":"{taskId}","status":"waiting","pad":"' + ('a' * 3MB) + '"}' },
                (New-HostileTaskRule))
            $measured = Invoke-MeasuredLookup -TaskId 'task_padded'
            $measured.ERRORID | Should -BeNullOrEmpty -Because $measured.StdErr
            $measured.OUTPUT | Should -Be '1'
        }
    }

    Context 'numbers out of range are tolerated, not an exception that ends the batch' {
        It 'Get-SeedanceTask: width 1e11, times 9e18 ms and 1e300 give nulls; the other ids are answered' {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_huge'; body = '{"taskId":"task_huge","status":"success","creditsUsed":1e30,"output":[{"url":"{base}/files/x.mp4","width":1e11,"height":-5}],"createTime":9e18,"completeTime":1e300,"updateTime":9223372036854775807000}' },
                (New-HostileTaskRule))
            $tasks = Get-SeedanceTask -TaskId 'task_before', 'task_huge', 'task_after'
            @($tasks.TaskId) | Should -Be @('task_before', 'task_huge', 'task_after')
            $huge = $tasks[1]
            $huge.Videos[0].Width | Should -BeNullOrEmpty
            $huge.Videos[0].Height | Should -BeNullOrEmpty
            $huge.CreatedAt | Should -BeNullOrEmpty
            $huge.CompletedAt | Should -BeNullOrEmpty
            $huge.UpdatedAt | Should -BeNullOrEmpty
        }

        It 'a 429 whose limit is 1e11 is RateLimited for that id; the other ids are answered' {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_limited'; status = 429; headers = @{ 'Retry-After' = '0' }; body = '{"message":"Concurrency limit reached","limit":1e11,"current":99999999999}' },
                (New-HostileTaskRule))
            $tasks = Get-SeedanceTask -TaskId 'task_before', 'task_limited', 'task_after' -ErrorVariable problems -ErrorAction SilentlyContinue
            @($tasks.TaskId) | Should -Be @('task_before', 'task_after')
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'RateLimited,*'
            $problems[0].TargetObject | Should -Be 'task_limited'
        }

        It 'Wait-SeedanceTask emits a task whose numbers are out of range' {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_huge'; body = '{"taskId":"task_huge","status":"success","output":[{"url":"{base}/files/x.mp4","width":1e11,"height":1e11}],"createTime":9e18}' },
                (New-HostileTaskRule))
            $out = Wait-SeedanceTask -TaskId 'task_huge', 'task_fine' -PollInterval 0.05 -Timeout 20
            @($out.TaskId | Sort-Object) | Should -Be @('task_fine', 'task_huge')
        }
    }

    Context 'the key echoed in 200 bodies is masked wherever it comes back' {
        BeforeAll {
            $script:Downloads = New-TestFolder -Prefix 'seedance-hostile-echo'
            $script:Folders.Add($script:Downloads)
            $script:Artifacts = New-TestFolder -Prefix 'seedance-hostile-echo-out'
            $script:Folders.Add($script:Artifacts)
            Reset-HostileServer -Server $script:Server
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'echo_fail'; body = '{"taskId":"echo_fail","status":"fail","error":{"code":"401","message":"denied for Bearer {key}"},"debug":"{key:json}","auth":"{key:upper}","creditsUsed":0}' },
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'echo_url'; body = '{"taskId":"echo_url","status":"success","output":[{"url":"{base}/files/v.mp4?sig={key:url}"}]}' },
                @{ path = '/api/v1/jobs/recordInfo'; taskId = 'echo_raw'; body = '{"taskId":"echo_raw","status":"success","output":[{"url":"{base}/files/{key}/w.mp4"}]}' },
                @{ path = '/files/*'; file = @{ length = 1000 } })
            $childScript = @'
$ErrorActionPreference = 'Continue'
Import-Module $env:SEEDANCE_TEST_MODULE
$PSDefaultParameterValues['*-Seedance*:Verbose'] = $true
$PSDefaultParameterValues['*-Seedance*:Debug'] = $true
$PSDefaultParameterValues['*-Seedance*:WarningAction'] = 'Continue'
Start-Transcript -LiteralPath (Join-Path $env:ARTIFACTS 'transcript.txt') | Out-Null
$tasks = Get-SeedanceTask -TaskId 'echo_fail', 'echo_url', 'echo_raw'
$tasks | Format-List * | Out-Host
$tasks | Format-Table | Out-Host
Wait-SeedanceTask -TaskId 'echo_fail' -PollInterval 0.05
$saved = $tasks | Where-Object TaskId -NE 'echo_fail' | Save-SeedanceVideo -Path $env:DOWNLOADS
Stop-Transcript | Out-Null
Set-Content -LiteralPath (Join-Path $env:ARTIFACTS 'output.json') -Value (ConvertTo-Json -InputObject @($tasks) -Depth 5)
Set-Content -LiteralPath (Join-Path $env:ARTIFACTS 'errors.txt') -Value ($Error | ForEach-Object {
    "----- $($_.FullyQualifiedErrorId)"; $_.Exception.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction
    ConvertTo-Json -InputObject $_.TargetObject -Depth 4 -WarningAction SilentlyContinue; $_ | Out-String -Width 400 })
"ERRORIDS=$(($Error | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) -join ';')"
"SAVED=$(@($saved).Count)"
'@
            $script:Echo = Invoke-ChildPwsh -Script $childScript -TimeoutSeconds 120 -Environment @{
                SEEDANCE_API_KEY = $script:Key; SEEDANCE_BASE_URI = $script:Server.ApiBaseUri; ARTIFACTS = $script:Artifacts; DOWNLOADS = $script:Downloads
            }
            $script:EchoLog = @(Get-HostileLog -Server $script:Server)
        }

        It 'went through: the tasks came back, the failure was reported, the downloads were refused' {
            $script:Echo.StdOut | Should -Match 'SAVED=0'
            $ids = (($script:Echo.StdOut -split "`n") | Where-Object { $_ -like 'ERRORIDS=*' }) -replace '^ERRORIDS=', ''
            $ids | Should -Match 'TaskFailed'
            # A URL field carrying the key is refused when the answer arrives, for that task: it never becomes a task object.
            @($ids.Trim().Split(';') | Where-Object { $_ -eq 'UnsafeServiceUrl' }) | Should -HaveCount 2
            (Get-Content -LiteralPath (Join-Path $script:Artifacts 'output.json') -Raw) | Should -Match 'echo_fail'
            (Get-Content -LiteralPath (Join-Path $script:Artifacts 'errors.txt') -Raw) | Should -Match "'output\[0\]\.url' contains the API key"
        }

        It 'is in no output object, error, transcript line or stream, in any encoding or case' {
            foreach ($name in 'output.json', 'errors.txt', 'transcript.txt') {
                $text = Get-Content -LiteralPath (Join-Path $script:Artifacts $name) -Raw
                $text | Should -Not -BeNullOrEmpty
                Get-KeyLeak $text | Should -BeNullOrEmpty -Because $name
            }
            Get-KeyLeak $script:Echo.StdOut | Should -BeNullOrEmpty
            Get-KeyLeak $script:Echo.StdErr | Should -BeNullOrEmpty
            (Get-Content -LiteralPath (Join-Path $script:Artifacts 'errors.txt') -Raw) | Should -Match 'denied for Bearer \*\*\*'
        }

        It 'no download URL carrying the key was fetched' {
            @($script:EchoLog | Where-Object { $_.path -like '/files/*' }) | Should -HaveCount 0
            @(Get-ChildItem -LiteralPath $script:Downloads -Force) | Should -HaveCount 0
        }
    }

    Context 'upload and status answers pass one gate: every URL field checked when it arrives' {
        BeforeAll {
            $script:Materials = New-TestFolder -Prefix 'seedance-hostile-gate'
            $script:Folders.Add($script:Materials)
            $script:Cat = New-MediaFile -Path (Join-Path $script:Materials 'cat.png') -Format png -Length 5000
            $script:Journal = $env:SEEDANCE_JOURNAL_PATH
        }

        It 'an upload slot <Name>: refused naming <Field>, nothing PUT or created, the key in no message and not journaled' -ForEach @(
            @{ Name = 'whose uploadUrl carries the key in its query'; Field = 'uploadUrl'; Slot = '{"uploadUrl":"{base}/put/cat.png?sig={key}","url":"{base}/files/cat.png"}' }
            @{ Name = 'whose uploadUrl is not http and carries the key'; Field = 'uploadUrl'; Slot = '{"uploadUrl":"ftp://storage.example/{key}/cat.png","url":"{base}/files/cat.png"}' }
            @{ Name = 'whose url (journaled, sent in the create) carries the key'; Field = 'url'; Slot = '{"uploadUrl":"{base}/put/cat.png","url":"{base}/files/{key:url}/cat.png"}' }
        ) {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/uploads'; method = 'POST'; body = $Slot }
                @{ path = '/put/*'; method = 'PUT'; body = '{}' }
                @{ path = '/api/v1/jobs/createTask'; body = '{"taskId":"task_gate"}' })
            $before = if (Test-Path -LiteralPath $script:Journal) { (Get-Item -LiteralPath $script:Journal).Length } else { 0 }
            $out = New-SeedanceTask -Prompt 'the cat in @1' -Image $script:Cat.FullName -Name "gate-$([guid]::NewGuid())" -ErrorVariable problems -ErrorAction SilentlyContinue
            # What the attack was after first: the key sent to the storage host, shown in a message, or journaled.
            $log = @(Get-HostileLog -Server $script:Server)
            @($log | Where-Object method -EQ 'PUT') | Should -HaveCount 0
            @($log | Where-Object path -EQ '/api/v1/jobs/createTask') | Should -HaveCount 0
            $text = "$($problems | ForEach-Object { "$($_.Exception) $($_.ErrorDetails.Message) $($_.ErrorDetails.RecommendedAction) $($_ | Out-String)" })"
            Get-KeyLeak $text | Should -BeNullOrEmpty
            if (Test-Path -LiteralPath $script:Journal) {
                $stream = [IO.File]::OpenRead($script:Journal)
                try { $null = $stream.Seek($before, 'Begin'); $added = [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
                Get-KeyLeak $added | Should -BeNullOrEmpty
                $added | Should -Not -Match '"uploaded"'
            }
            $out | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'UploadFailed,*'
            $problems[0].Exception.InnerException | Should -BeOfType ([Seedance.Client.SeedanceException])
            $problems[0].Exception.InnerException.Problem | Should -Be ([Seedance.Client.SeedanceProblem]::UnsafeServiceUrl)
            $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $problems[0].Exception.Message | Should -Match "'$Field'"
        }

        It 'a lastFrameImage that is a local path is refused at the reader; the README''s follow-up pattern uploads nothing' {
            # A real file at the path the server names: were it read as a path, it would be uploaded.
            $victim = $script:Cat.FullName
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; body = '{"taskId":"{taskId}","status":"success","output":[{"url":"{base}/files/v.mp4","lastFrameImage":' + (ConvertTo-Json $victim) + '}]}' }
                @{ path = '/api/v1/uploads'; method = 'POST'; body = '{"uploadUrl":"{base}/put/cat.png","url":"{base}/files/cat.png"}' }
                @{ path = '/put/*'; method = 'PUT'; body = '{}' }
                @{ path = '/api/v1/jobs/createTask'; body = '{"taskId":"task_follow"}' })
            # The README: Get-SeedanceTask ... | Select-Object @{n='Image';e={$_.LastFrameImage}} | New-SeedanceTask
            $null = Get-SeedanceTask -TaskId 'task_frame' -ErrorAction SilentlyContinue |
                Select-Object @{ n = 'Prompt'; e = { 'continue @1' } }, @{ n = 'Image'; e = { $_.LastFrameImage } } |
                New-SeedanceTask -ErrorAction SilentlyContinue
            $log = @(Get-HostileLog -Server $script:Server)
            @($log | Where-Object path -EQ '/api/v1/uploads') | Should -HaveCount 0
            @($log | Where-Object method -EQ 'PUT') | Should -HaveCount 0
            @($log | Where-Object path -EQ '/api/v1/jobs/createTask') | Should -HaveCount 0

            $task = Get-SeedanceTask -TaskId 'task_frame' -ErrorVariable problems -ErrorAction SilentlyContinue
            $task | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeServiceUrl,*'
            $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $problems[0].Exception.Message | Should -Match "'output\[0\]\.lastFrameImage' is not an absolute http\(s\) URL"
        }
    }

    Context 'text from the service is stripped of terminal control sequences' {
        It '<Name>: no control character reaches the message' -ForEach @(
            @{ Name = 'a failed task'; Command = 'Wait'
                Rule = @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_ansi'; body = '{"taskId":"task_ansi","status":"fail","error":{"code":"x\u001b[31m","message":"\u001b[2J\u001b]0;pwned\u0007cleared \u009b31mred\r\nforged line"}}' } }
            @{ Name = 'a JSON error answer'; Command = 'Get'
                Rule = @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_ansi'; status = 400; body = '{"message":"bad \u001b[1;31mthing\u001b[0m\u0008\u0008"}' } }
            @{ Name = 'a plain-text error answer with raw escapes'; Command = 'Get'
                Rule = @{ path = '/api/v1/jobs/recordInfo'; taskId = 'task_ansi'; status = 403; body = "<html>`e[5mno`e]8;;http://evil`a link`e\`r</html>" } }
        ) {
            Set-HostileRule -Server $script:Server -Rule @($Rule)
            if ($Command -eq 'Wait') { $null = Wait-SeedanceTask -TaskId 'task_ansi' -PollInterval 0.05 -ErrorVariable problems -ErrorAction SilentlyContinue }
            else { $null = Get-SeedanceTask -TaskId 'task_ansi' -ErrorVariable problems -ErrorAction SilentlyContinue }
            $problems | Should -HaveCount 1
            $texts = @($problems[0].Exception.Message, $problems[0].ToString(), $problems[0].ErrorDetails.Message) | Where-Object { $_ }
            $texts | Should -Not -BeNullOrEmpty
            foreach ($text in $texts) { $text | Should -Not -Match '[\x00-\x08\x0b-\x1f\x7f-\x9f]' }
            $problems[0].ToString() | Should -Match 'red|thing|no'
        }

        It 'a task object''s error text is clean too (it is shown by Format-Table)' {
            Set-HostileRule -Server $script:Server -Rule @(
                @{ path = '/api/v1/jobs/recordInfo'; body = '{"taskId":"{taskId}","status":"fail\u001b[8m","error":"\u001b[2Jgone"}' })
            $task = Get-SeedanceTask -TaskId 'task_ansi'
            $task.Error.Message | Should -BeExactly 'gone'
            $task.StatusText | Should -Not -Match '[\x00-\x1f]'
        }
    }

    Context 'the key never goes to a proxy in clear text' {
        It 'a plain-http (loopback) base URI bypasses HTTP_PROXY / ALL_PROXY' {
            $api = Start-HostileServer
            try {
                Set-HostileRule -Server $api -Rule @((New-HostileTaskRule))
                Set-HostileRule -Server $script:Server -Rule @((New-HostileTaskRule -Json '{"taskId":"{taskId}","status":"success","output":[{"url":"http://proxy.example/answered-by-the-proxy.mp4"}]}'))
                $proxy = $script:Server.BaseUri
                # Both spellings of each variable (a case-sensitive table: Unix environments are).
                $environment = [hashtable]::new([StringComparer]::Ordinal)
                $environment.SEEDANCE_API_KEY = $script:Key
                $environment.SEEDANCE_BASE_URI = $api.ApiBaseUri
                foreach ($name in 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY') { $environment[$name] = $proxy; $environment[$name.ToLowerInvariant()] = $proxy }
                foreach ($name in 'NO_PROXY', 'no_proxy') { $environment[$name] = $null }
                $child = Invoke-ChildPwsh -TimeoutSeconds 60 -Environment $environment -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
$task = Get-SeedanceTask -TaskId 'task_via_proxy'
"URL=$($task.Videos[0].Url)"
'@
                $child.StdOut | Should -Match 'URL=http://127\.0\.0\.1:\d+/files/ok\.mp4' -Because $child.StdErr
                @(Get-HostileLog -Server $script:Server) | Should -HaveCount 0
                $seen = @(Get-HostileLog -Server $api)
                $seen | Should -HaveCount 1
                $seen[0].proxied | Should -BeFalse
                $seen[0].headers.Authorization | Should -Be "Bearer $($script:Key)"
            }
            finally { Stop-HostileServer $api }
        }
    }

    Context 'a 5xx to a create' {
        It '<Status>: ServerError that says the task may exist and be billed, and how to check; sent once' -ForEach @(
            @{ Status = 500 }, @{ Status = 502 }, @{ Status = 503 }
        ) {
            Set-HostileRule -Server $script:Server -Rule @(@{ path = '/api/v1/jobs/createTask'; status = $Status; body = '{"message":"internal error, safe to retry"}' })
            New-SeedanceTask -Prompt 'a paid fox' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
            $text = "$($problems[0].Exception.Message) $($problems[0].ErrorDetails.Message) $($problems[0].ErrorDetails.RecommendedAction)"
            $text | Should -Match 'may (already )?(exist|have been created)'
            $text | Should -Match 'billed|charged'
            $text | Should -Match 'account'
            $problems[0].ErrorDetails.RecommendedAction | Should -Not -Match 'try again later'
            @(Get-HostileLog -Server $script:Server | Where-Object path -EQ '/api/v1/jobs/createTask') | Should -HaveCount 1
        }
    }

    Context 'a base URI with a query, fragment or user info is refused' {
        It '<Name>: InvalidBaseUri from Set-SeedanceConfiguration and from SEEDANCE_BASE_URI, nothing sent' -ForEach @(
            @{ Name = 'query'; Uri = 'https://seedance.example.com/api/v1?region=eu' }
            @{ Name = 'fragment'; Uri = 'https://seedance.example.com/api/v1#top' }
            @{ Name = 'user and password'; Uri = 'https://admin:hunter2secret@seedance.example.com/api/v1' }
            @{ Name = 'user only'; Uri = 'http://someone@127.0.0.1:1/api/v1' }
        ) {
            { Set-SeedanceConfiguration -BaseUri $Uri } | Should -Throw -ErrorId 'InvalidBaseUri,*'
            try { Set-SeedanceConfiguration -BaseUri $Uri } catch { $caught = $_ }
            "$($caught.Exception.Message) $($caught.ErrorDetails.Message) $($caught.TargetObject)" | Should -Not -Match 'hunter2secret'
            $env:SEEDANCE_BASE_URI = $Uri
            try {
                { Get-SeedanceTask -TaskId 'task_x' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
                # What runbooks log: the configuration shows the URI without its password.
                (Get-SeedanceConfiguration -WarningAction SilentlyContinue | Format-List | Out-String) | Should -Not -Match 'hunter2secret'
            }
            finally { $env:SEEDANCE_BASE_URI = $script:Server.ApiBaseUri; Set-SeedanceConfiguration -Reset }
            Get-HostileLog -Server $script:Server | Should -BeNullOrEmpty
        }
    }
}

Describe 'Hostile server: downloads into this machine''s own networks (issue 15)' {
    # The API is the hostile server on loopback (the emulator's case), so loopback downloads are allowed; a video URL,
    # a redirect hop or a last frame on a private or link-local network is not. A refused URL is never requested.
    BeforeEach {
        Reset-HostileServer -Server $script:Server
        $script:Out = Join-Path ([IO.Path]::GetTempPath()) ('seedance-internal-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $script:Out
        $script:Folders.Add($script:Out)
    }

    It 'a video URL on <Name>: InternalAddressRefused, nothing fetched, no file' -ForEach @(
        @{ Name = 'the cloud metadata address'; Url = 'http://169.254.169.254/latest/meta-data/v.mp4'; Kind = 'link-local' }
        @{ Name = 'a private IPv4 network'; Url = 'http://10.255.0.1/v.mp4'; Kind = 'private' }
        @{ Name = 'an IPv6 unique-local network'; Url = 'http://[fd00::1]/v.mp4'; Kind = 'private' }
        @{ Name = 'an IPv4-mapped private address'; Url = 'http://[::ffff:192.168.0.1]/v.mp4'; Kind = 'private' }
    ) {
        $json = '{"taskId":"{taskId}","model":"seedance-20","status":"success","output":[{"url":"' + $Url + '"}]}'
        Set-HostileRule -Server $script:Server -Rule @(New-HostileTaskRule -Json $json)

        $saved = Save-SeedanceVideo -TaskId 'task_internal' -Path $script:Out -ErrorVariable problems -ErrorAction SilentlyContinue

        $saved | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InternalAddressRefused,*'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $problems[0].Exception.Message | Should -Match $Kind
        @(Get-ChildItem -LiteralPath $script:Out -Force) | Should -HaveCount 0
    }

    It 'a redirect hop to <Name>: refused, the hop never requested, no file' -ForEach @(
        @{ Name = 'the cloud metadata address'; Location = 'http://169.254.169.254/latest/meta-data/' }
        @{ Name = 'a private IPv6 address'; Location = 'http://[fd12::7]/admin' }
    ) {
        Set-HostileRule -Server $script:Server -Rule @(
            (New-HostileTaskRule -VideoPath '/files/moved.mp4'),
            @{ path = '/files/moved.mp4'; status = 302; headers = @{ Location = $Location }; body = '' })

        $saved = Save-SeedanceVideo -TaskId 'task_redirected' -Path $script:Out -ErrorVariable problems -ErrorAction SilentlyContinue

        $saved | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InternalAddressRefused,*'
        $problems[0].Exception.Message | Should -Match 'redirect'
        @(Get-HostileLog -Server $script:Server | Where-Object path -EQ '/files/moved.mp4') | Should -HaveCount 1
        @(Get-ChildItem -LiteralPath $script:Out -Force) | Should -HaveCount 0
    }

    It 'a redirect on loopback (the emulator''s own files) is still followed and saved' {
        Set-HostileRule -Server $script:Server -Rule @(
            (New-HostileTaskRule -VideoPath '/files/moved.mp4'),
            @{ path = '/files/moved.mp4'; status = 301; headers = @{ Location = '/files/ok.mp4' }; body = '' },
            @{ path = '/files/ok.mp4'; file = @{ length = 4096; etag = '"v1"' } })

        $saved = Save-SeedanceVideo -TaskId 'task_loopback' -Path $script:Out

        $saved.Length | Should -Be 4096
    }

    It 'the gallery''s poster on a link-local address: not fetched, a warning, the video still saved' {
        $json = '{"taskId":"{taskId}","model":"seedance-20","status":"success","output":[{"url":"{base}/files/ok.mp4","lastFrameImage":"http://169.254.169.254/frame.png"}]}'
        Set-HostileRule -Server $script:Server -Rule @(
            (New-HostileTaskRule -Json $json),
            @{ path = '/files/ok.mp4'; file = @{ length = 4096; etag = '"v1"' } })

        $saved = Save-SeedanceVideo -TaskId 'task_poster' -Path $script:Out -Gallery -WarningVariable warnings -WarningAction SilentlyContinue

        $saved.Length | Should -Be 4096
        ($warnings -join ' ') | Should -Match 'link-local'
        @(Get-ChildItem -LiteralPath $script:Out -Filter '*last-frame*') | Should -HaveCount 0
        @(Get-HostileLog -Server $script:Server | Where-Object path -EQ '/frame.png') | Should -HaveCount 0
    }
}

Describe 'Hostile server: Export-Csv of tasks is spreadsheet-safe (issue 15)' {
    BeforeEach { Reset-HostileServer -Server $script:Server }

    It 'every cell of the service''s words that a spreadsheet would run as a formula starts with an apostrophe' {
        $json = '{"taskId":"{taskId}","model":"-2+3","status":"fail","statusText":"@SUM(1+1)*cmd|calc","creditsUsed":0,' +
            '"error":{"code":"+1","message":"=HYPERLINK(\"http://evil.example/\",\"click\")"},"region":"=1+1"}'
        Set-HostileRule -Server $script:Server -Rule @(New-HostileTaskRule -Json $json)
        $csv = Join-Path ([IO.Path]::GetTempPath()) ('seedance-formula-' + [guid]::NewGuid().ToString('N') + '.csv')
        $script:Folders.Add($csv)

        Get-SeedanceTask -TaskId 'task_formula' | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv

        $row.ErrorMessage | Should -BeExactly "'=HYPERLINK(""http://evil.example/"",""click"")"
        $row.ErrorCode | Should -BeExactly "'+1"
        $row.Error | Should -BeExactly "'+1: =HYPERLINK(""http://evil.example/"",""click"")"
        $row.Model | Should -BeExactly "'-2+3"
        $row.AdditionalFields | Should -BeExactly 'statusText=@SUM(1+1)*cmd|calc; region==1+1' # starts with a name: no formula
        # No cell of the file starts like a formula (a quoted CSV cell starts after its quote).
        foreach ($property in $row.PSObject.Properties) {
            if ($property.Value) { $property.Value | Should -Not -Match '^[=+\-@\t\r]' -Because "the $($property.Name) cell" }
        }
    }

    It 'a tab or carriage return first is neutralised too; ordinary text is exact' {
        $json = '{"taskId":"{taskId}","model":"seedance-20","status":"=cmd|calc","error":{"code":"2038","message":"\tcmd"}}'
        Set-HostileRule -Server $script:Server -Rule @(New-HostileTaskRule -Json $json)

        $task = Get-SeedanceTask -TaskId 'task_tab'

        $task.ErrorMessage | Should -BeExactly "'`tcmd"
        $task.StatusText | Should -BeExactly "'=cmd|calc"
        $task.ErrorCode | Should -BeExactly '2038'
        $task.Model | Should -BeExactly 'seedance-20'
    }
}
