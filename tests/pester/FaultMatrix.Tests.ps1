#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The fault matrix: every fault the emulator can inject (status, drop, slow, malformed, truncate, with and without
# process:true), on every path (createTask, recordInfo, the files origin), driven through the REAL cmdlets of the
# built module, asserting what the user sees (object, or error id + category, terminating or not) and, in every
# case, that no create was sent twice and no partial file is left behind.
#
# The module's retry backoff is not configurable (1 s base, up to 5 attempts for reads, 4 for creates), so fault
# counts stay at 1-2 and persistent faults that would walk the whole backoff send 'Retry-After: 0' where the case is
# about the attempt bound, not the wait. Slow cases lower the per-request timeout to 2 s.

BeforeDiscovery {
    # recordInfo faults, each run through Get-SeedanceTask and through Wait-SeedanceTask.
    $readFaults = @(
        @{ Case = '429 with Retry-After: 1'; Rule = @{ kind = 'status'; status = 429; retryAfter = 1 }; Requests = 2; Logged = 1; AtLeast = 0.9 }
        @{ Case = '429 with Retry-After as an HTTP date'; Rule = @{ kind = 'status'; status = 429; retryAfter = 'DATE+2' }; Requests = 2; Logged = 1; AtLeast = 0.9 }
        @{ Case = '429 without Retry-After'; Rule = @{ kind = 'status'; status = 429 }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = '500'; Rule = @{ kind = 'status'; status = 500 }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = '502'; Rule = @{ kind = 'status'; status = 502 }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = '503'; Rule = @{ kind = 'status'; status = 503 }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = '500 twice'; Rule = @{ kind = 'status'; status = 500; count = 2 }; Requests = 3; Logged = 2; AtLeast = 1.4 }
        @{ Case = 'connection dropped'; Rule = @{ kind = 'drop' }; Requests = 2; Logged = -1; AtLeast = 0 }
        @{ Case = 'malformed JSON 200'; Rule = @{ kind = 'malformed' }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = 'malformed JSON 200 (process:true)'; Rule = @{ kind = 'malformed'; process = $true }; Requests = 2; Logged = 1; AtLeast = 0.4 }
        @{ Case = 'slow (0.5 s) within the 2 s RequestTimeout'; Rule = @{ kind = 'slow'; delayMs = 500 }; Requests = 1; Logged = 0; AtLeast = 0.45; Timeout = 2 }
        @{ Case = 'slow (3 s) beyond the 2 s RequestTimeout, once'; Rule = @{ kind = 'slow'; delayMs = 3000 }; Requests = 2; Logged = 1; AtLeast = 2; Timeout = 2 }
    )
    $ReadCases = foreach ($command in 'Get-SeedanceTask', 'Wait-SeedanceTask') {
        foreach ($fault in $readFaults) { $fault + @{ Command = $command } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    # One emulator for the whole matrix; 5 MB synthetic outputs so a cut lands in the middle of the body.
    $script:OutputBytes = 5000000
    $script:Emulator = Start-TestEmulator -ArgumentList '--output-bytes', "$script:OutputBytes"
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    $script:CreatePath = '/api/v1/jobs/createTask'
    $script:ReadPath = '/api/v1/jobs/recordInfo'
    $script:FilesPath = '/files/'
    $script:DemoId = 'demo_task_t2v_success'

    function Add-Fault([hashtable[]] $Rule) { Add-EmulatorFault -Emulator $script:Emulator -Rule $Rule }
    function Get-Stats { Get-EmulatorStats -Emulator $script:Emulator }

    function Invoke-Case {
        <#
        Runs $Command and sorts what it produced: objects, non-terminating errors, a terminating error, warnings and
        verbose lines (the client logs each retry there), and how long it took.
        #>
        param([Parameter(Mandatory)] [scriptblock] $Command)
        $output = [System.Collections.Generic.List[object]]::new()
        $errors = [System.Collections.Generic.List[object]]::new()
        $warnings = [System.Collections.Generic.List[string]]::new()
        $verbose = [System.Collections.Generic.List[string]]::new()
        $terminating = $null
        # Pester runs tests with 'Stop', which would make every error terminating: here only a real one is.
        $ErrorActionPreference = 'Continue'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        try {
            & $Command 2>&1 3>&1 4>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) }
                elseif ($_ -is [System.Management.Automation.WarningRecord]) { $warnings.Add($_.Message) }
                elseif ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose.Add($_.Message) }
                else { $output.Add($_) }
            }
        }
        catch { $terminating = $_ }
        $clock.Stop()
        [pscustomobject]@{
            Output      = $output.ToArray()
            Errors      = $errors.ToArray()
            Terminating = $terminating
            Warnings    = $warnings.ToArray()
            Verbose     = $verbose.ToArray()
            Seconds     = $clock.Elapsed.TotalSeconds
            # Retries the client logged ("recordInfo: 503 ...; retry 1 of 4 in 0.7 s.").
            Retries     = @($verbose | Where-Object { $_ -match '; retry \d+ of \d+' -or $_ -match 'resuming at byte' -or $_ -match '; waiting for a free slot, try \d+' })
        }
    }

    function Assert-Error {
        # The one error a case must produce: its ErrorId, its category, and whether it ended the command.
        param($Result, [string] $ErrorId, [string] $Category, [bool] $Terminating)
        $Result.Output | Should -BeNullOrEmpty
        if ($Terminating) {
            $Result.Terminating | Should -Not -BeNullOrEmpty
            $Result.Errors | Should -HaveCount 0
            $record = $Result.Terminating
        }
        else {
            $Result.Terminating | Should -BeNullOrEmpty
            $Result.Errors | Should -HaveCount 1
            $record = $Result.Errors[0]
        }
        $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $record.CategoryInfo.Category | Should -Be $Category
        # The key never reaches the user, whatever the failure.
        "$($record.Exception)" | Should -Not -Match ([regex]::Escape((Get-TestApiKey)) + '\b')
        $record
    }

    function Assert-NoDuplicateCreate {
        # createTask requests as the emulator received them, and tasks it really created.
        param([int] $Requests, [int] $Tasks)
        $stats = Get-Stats
        $stats.createRequests | Should -Be $Requests -Because 'a create is sent again only when the service certainly did not take it'
        $stats.tasksCreated | Should -Be $Tasks
    }

    function New-DownloadFolder {
        $folder = New-TestFolder -Prefix 'seedance-faults'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-PartialFile([string] $Folder) {
        @(Get-ChildItem -LiteralPath $Folder -Force -Recurse -File | Where-Object { $_.Name -like '*.partial' -or $_.Name -like '.*' })
    }

    function Assert-SyntheticVideo([string] $Path) {
        # Whole, and byte for byte the emulator's pattern: byte i is i % 251 after the 32 header bytes (ftyp + mdat).
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes.Length | Should -Be $script:OutputBytes
        [Text.Encoding]::ASCII.GetString($bytes, 4, 4) | Should -BeExactly 'ftyp'
        # The expected bytes, built by doubling one 251-byte period, compared in full by hash.
        $expected = [byte[]]::new($bytes.Length)
        for ($i = 0; $i -lt 251; $i++) { $expected[$i] = [byte]$i }
        for ($filled = 251; $filled -lt $expected.Length; $filled *= 2) {
            [Array]::Copy($expected, 0, $expected, $filled, [Math]::Min($filled, $expected.Length - $filled))
        }
        $sha = [Security.Cryptography.SHA256]::Create()
        try { $same = [Linq.Enumerable]::SequenceEqual($sha.ComputeHash($bytes, 32, $bytes.Length - 32), $sha.ComputeHash($expected, 32, $expected.Length - 32)) }
        finally { $sha.Dispose() }
        if (-not $same) {
            $first = 32; while ($bytes[$first] -eq $expected[$first]) { $first++ }
            $first | Should -Be -1 -Because 'the first byte that does not follow the pattern (e.g. a resume off by some bytes)'
        }
    }

    # A finished task with a 5 MB output to download, and its URL on the files origin.
    $script:Video = New-SeedanceTask 'fault matrix video' | Wait-SeedanceTask -PollInterval 0.1
    $script:Video.Status | Should -Be 'Success'
    $head = Invoke-WebRequest -Method Head -Uri $script:Video.Videos[0].Url -NoProxy -TimeoutSec 30
    [long]($head.Headers['Content-Length'] | Select-Object -First 1) | Should -Be $script:OutputBytes
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Fault matrix' {
    BeforeEach {
        # Counters, request logs and fault rules: every case starts clean (tasks and account stay).
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    AfterEach {
        Clear-EmulatorFault -Emulator $script:Emulator
        Set-SeedanceConfiguration -Reset -Confirm:$false
    }

    Context 'createTask (New-SeedanceTask): retried only when the service certainly did not take it' {
        It '<Case>: created once, after <Requests> requests' -ForEach @(
            @{ Case = '429 with Retry-After: 1, once'; Rule = @{ kind = 'status'; status = 429; retryAfter = 1; count = 1 }; Requests = 2; AtLeast = 0.9 }
            @{ Case = '429 without Retry-After, once'; Rule = @{ kind = 'status'; status = 429; count = 1 }; Requests = 2; AtLeast = 0.4 }
            @{ Case = '429 with Retry-After: 0, twice'; Rule = @{ kind = 'status'; status = 429; retryAfter = 0; count = 2 }; Requests = 3; AtLeast = 0 }
        ) {
            Add-Fault ($Rule + @{ path = $script:CreatePath })
            $result = Invoke-Case { New-SeedanceTask "created after a 429 ($Case)" -Verbose }

            $result.Errors | Should -HaveCount 0
            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $result.Output[0].TaskId | Should -Match '^task_'
            # Retry-After (or the backoff) was waited out before the next attempt.
            $result.Seconds | Should -BeGreaterOrEqual $AtLeast
            $result.Retries | Should -HaveCount ($Requests - 1)
            $result.Retries[0] | Should -Match '^createTask: 429 '
            Assert-NoDuplicateCreate -Requests $Requests -Tasks 1
        }

        It '429 persisting past -SlotTimeout: RateLimited (LimitsExceeded), nothing created' {
            Add-Fault @{ path = $script:CreatePath; kind = 'status'; status = 429; retryAfter = 0; count = -1 }
            $result = Invoke-Case { New-SeedanceTask 'always rate limited' -SlotTimeout 1 }

            $record = Assert-Error $result -ErrorId 'RateLimited' -Category 'LimitsExceeded' -Terminating $false
            $record.Exception.Limit | Should -Not -BeNullOrEmpty
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.tasksCreated | Should -Be 0
            # Retry-After: 0 is honoured with a short floor, so a second of waiting is a handful of tries, not a flood.
            $stats.createRequests | Should -BeGreaterOrEqual 2
            $stats.createRequests | Should -BeLessOrEqual 6
        }

        It '<Status>: ServerError (ResourceUnavailable), not retried: the service may have acted on it' -ForEach @(
            @{ Status = 500 }, @{ Status = 502 }, @{ Status = 503 }
        ) {
            Add-Fault @{ path = $script:CreatePath; kind = 'status'; status = $Status; count = 1 }
            $result = Invoke-Case { New-SeedanceTask "server error $Status" }

            $record = Assert-Error $result -ErrorId 'ServerError' -Category 'ResourceUnavailable' -Terminating $false
            [int]$record.Exception.StatusCode | Should -Be $Status
            Assert-NoDuplicateCreate -Requests 1 -Tasks 0
        }

        It '<Case>: terminating CreateOutcomeUnknown (OperationTimeout) naming the request; sent once, <Tasks> task(s)' -ForEach @(
            @{ Case = 'connection dropped before processing'; Rule = @{ kind = 'drop'; count = 1 }; Tasks = 0; Timeout = 0 }
            @{ Case = 'connection dropped after processing (process:true)'; Rule = @{ kind = 'drop'; process = $true; count = 1 }; Tasks = 1; Timeout = 0 }
            @{ Case = 'malformed JSON 200 after processing (process:true)'; Rule = @{ kind = 'malformed'; process = $true; count = 1 }; Tasks = 1; Timeout = 0 }
            @{ Case = 'answer slower (3 s) than the 2 s RequestTimeout'; Rule = @{ kind = 'slow'; delayMs = 3000; count = 1 }; Tasks = 0; Timeout = 2 }
        ) {
            if ($Timeout) { Set-SeedanceConfiguration -RequestTimeout $Timeout }
            Add-Fault ($Rule + @{ path = $script:CreatePath })
            $prompt = "outcome unknown: $Case"
            $result = Invoke-Case { New-SeedanceTask $prompt -Duration 4 }

            $record = Assert-Error $result -ErrorId 'CreateOutcomeUnknown' -Category 'OperationTimeout' -Terminating $true
            # The request rides along, so the user can look for the task or decide to send it again.
            $record.TargetObject.Prompt | Should -BeExactly $prompt
            $record.TargetObject.Duration | Should -Be 4
            $record.Exception.Message | Should -Match 'may exist'
            if ($Rule.kind -eq 'slow') {
                # Let the emulator's delayed handler run out, so a late create would be counted below.
                Start-Sleep -Milliseconds 1500
            }
            Assert-NoDuplicateCreate -Requests 1 -Tasks $Tasks
        }

        It '<Status>: <ErrorId> (<Category>), terminating=<Terminating>, not retried' -ForEach @(
            @{ Status = 400; ErrorId = 'InvalidRequest'; Category = 'InvalidArgument'; Terminating = $false }
            @{ Status = 401; ErrorId = 'Unauthorized'; Category = 'AuthenticationError'; Terminating = $true }
            @{ Status = 402; ErrorId = 'InsufficientCredits'; Category = 'QuotaExceeded'; Terminating = $true }
            @{ Status = 403; ErrorId = 'Forbidden'; Category = 'PermissionDenied'; Terminating = $true }
        ) {
            Add-Fault @{ path = $script:CreatePath; kind = 'status'; status = $Status; count = 1 }
            $result = Invoke-Case { New-SeedanceTask "client error $Status" }

            $null = Assert-Error $result -ErrorId $ErrorId -Category $Category -Terminating $Terminating
            Assert-NoDuplicateCreate -Requests 1 -Tasks 0
        }
    }

    Context 'an error body that echoes the key' {
        It '<Command> <Status>: <ErrorId>, the key masked in the exception, the details and the log' -ForEach @(
            @{ Command = 'New-SeedanceTask'; Path = '/api/v1/jobs/createTask'; Status = 401; ErrorId = 'Unauthorized'; Terminating = $true; Creates = 1 }
            @{ Command = 'Get-SeedanceTask'; Path = '/api/v1/jobs/recordInfo'; Status = 403; ErrorId = 'Forbidden'; Terminating = $false; Creates = 0 }
            @{ Command = 'Get-SeedanceTask'; Path = '/api/v1/jobs/recordInfo'; Status = 500; ErrorId = 'ServerError'; Terminating = $false; Creates = 0 }
        ) {
            # The service (or a proxy) answers with the request's Authorization header in its message.
            $key = Get-TestApiKey
            Add-Fault @{ path = $Path; kind = 'status'; status = $Status; retryAfter = 0; count = -1; body = "{`"message`":`"rejected Authorization: Bearer $key`"}" }
            $result = if ($Command -eq 'New-SeedanceTask') { Invoke-Case { New-SeedanceTask 'echoed key' -Verbose } }
            else { Invoke-Case { Get-SeedanceTask $script:DemoId -Verbose } }

            $record = if ($Terminating) { $result.Terminating } else { $result.Errors | Select-Object -First 1 }
            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $record.Exception.Message | Should -Match 'Bearer \*\*\*'
            foreach ($text in @($record.Exception.Message, $record.Exception.ApiMessage, $record.ErrorDetails.Message, "$record") + $result.Verbose) {
                $text | Should -Not -Match ([regex]::Escape($key))
            }
            Assert-NoDuplicateCreate -Requests $Creates -Tasks 0
        }
    }

    Context 'recordInfo (Get-SeedanceTask): reads retry transient failures' {
        It '<Command> through <Case>: the task, after <Requests> requests' -ForEach $ReadCases {
            if ($Timeout) { Set-SeedanceConfiguration -RequestTimeout $Timeout }
            $applied = $Rule.Clone()
            if ($applied.retryAfter -eq 'DATE+2') { $applied.retryAfter = [DateTime]::UtcNow.AddSeconds(2).ToString('r', [cultureinfo]::InvariantCulture) }
            if (-not $applied.ContainsKey('count')) { $applied.count = 1 }
            Add-Fault ($applied + @{ path = $script:ReadPath })
            $result = if ($Command -eq 'Get-SeedanceTask') { Invoke-Case { Get-SeedanceTask $script:DemoId -Verbose } }
            else { Invoke-Case { Wait-SeedanceTask -TaskId $script:DemoId -PollInterval 0.1 -Timeout 30 -Verbose } }

            $result.Errors | Should -HaveCount 0
            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $result.Output[0].TaskId | Should -Be $script:DemoId
            $result.Output[0].Status | Should -Be 'Success'
            $result.Seconds | Should -BeGreaterOrEqual $AtLeast
            # A drop may be re-sent by HttpClient itself (a GET on a reused connection): still exactly 2 requests.
            (Get-Stats).recordInfoByTask.$script:DemoId | Should -Be $Requests
            if ($Logged -ge 0) {
                # Every retry is logged to the verbose stream, with its reason.
                # Also for a lookup that straddles the process and end blocks: lines written between blocks wait for the next.
                $result.Retries | Should -HaveCount $Logged
                $result.Retries | ForEach-Object { $_ | Should -Match '^recordInfo: ' }
            }
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It '500 persisting (Retry-After: 0): ServerError (ResourceUnavailable) after the 5 attempts a read may make' {
            Add-Fault @{ path = $script:ReadPath; kind = 'status'; status = 500; retryAfter = 0; count = -1 }
            $result = Invoke-Case { Get-SeedanceTask $script:DemoId -Verbose }

            $null = Assert-Error $result -ErrorId 'ServerError' -Category 'ResourceUnavailable' -Terminating $false
            (Get-Stats).recordInfoByTask.$script:DemoId | Should -Be 5
            $result.Retries | Should -HaveCount 4
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'an unknown task: TaskNotFound (ObjectNotFound), asked once' {
            $result = Invoke-Case { Get-SeedanceTask 'task_does_not_exist' }

            $record = Assert-Error $result -ErrorId 'TaskNotFound' -Category 'ObjectNotFound' -Terminating $false
            $record.TargetObject | Should -Be 'task_does_not_exist'
            (Get-Stats).recordInfoByTask.'task_does_not_exist' | Should -Be 1
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It '<Status>: <ErrorId> (<Category>), asked once' -ForEach @(
            @{ Status = 401; ErrorId = 'Unauthorized'; Category = 'AuthenticationError' }
            @{ Status = 403; ErrorId = 'Forbidden'; Category = 'PermissionDenied' }
            @{ Status = 404; ErrorId = 'TaskNotFound'; Category = 'ObjectNotFound' }
        ) {
            Add-Fault @{ path = $script:ReadPath; kind = 'status'; status = $Status; count = -1 }
            $result = Invoke-Case { Get-SeedanceTask $script:DemoId }

            $null = Assert-Error $result -ErrorId $ErrorId -Category $Category -Terminating $false
            (Get-Stats).recordInfoByTask.$script:DemoId | Should -Be 1
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'a 200 with fields missing: the task, with what it has' {
            Add-Fault @{ path = $script:ReadPath; kind = 'status'; status = 200; count = 1; body = '{"taskId":"demo_task_t2v_success","status":"generating"}' }
            $result = Invoke-Case { Get-SeedanceTask $script:DemoId }

            $result.Errors | Should -HaveCount 0
            $result.Output | Should -HaveCount 1
            $task = $result.Output[0]
            $task.TaskId | Should -Be $script:DemoId
            $task.Status | Should -Be 'Generating'
            $task.Model | Should -BeNullOrEmpty
            $task.CreditsUsed | Should -BeNullOrEmpty
            $task.Videos | Should -HaveCount 0
            $task.CreatedAt | Should -BeNullOrEmpty
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'a 200 with extra fields: the task, extra fields kept' {
            # The emulator always adds region and progress; this adds a nested one too.
            Add-Fault @{ path = $script:ReadPath; kind = 'status'; status = 200; count = 1; body = '{"taskId":"demo_task_t2v_success","status":"success","output":[{"url":"http://127.0.0.1:1/x.mp4","width":1280,"height":720,"fps":24}],"futureField":{"nested":[1,2]},"region":"emulator"}' }
            $result = Invoke-Case { Get-SeedanceTask $script:DemoId }

            $result.Errors | Should -HaveCount 0
            $result.Output | Should -HaveCount 1
            $task = $result.Output[0]
            $task.Status | Should -Be 'Success'
            $task.Videos | Should -HaveCount 1
            $task.Videos[0].Width | Should -Be 1280
            # Kept as values, not JSON text: a nested object is a dictionary, an item's unknown field stays on the item.
            $task.AdditionalFields['futureField']['nested'] | Should -Be @(1, 2)
            $task.AdditionalFields['region'] | Should -BeExactly 'emulator'
            $task.Videos[0].AdditionalFields['fps'] | Should -Be 24
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'an unknown status: the task is kept, Status Unknown, StatusText as sent; Wait-SeedanceTask waits through it' {
            $created = New-SeedanceTask 'odd status #status:rendering #duration:1'
            Assert-NoDuplicateCreate -Requests 1 -Tasks 1
            Start-Sleep -Milliseconds 300

            $result = Invoke-Case { Get-SeedanceTask $created.TaskId }
            $result.Errors | Should -HaveCount 0
            $result.Output | Should -HaveCount 1
            $result.Output[0].Status | Should -Be 'Unknown'
            $result.Output[0].StatusText | Should -BeExactly 'rendering'

            $waited = Invoke-Case { $created | Wait-SeedanceTask -PollInterval 0.1 -Timeout 20 }
            $waited.Errors | Should -HaveCount 0
            $waited.Output | Should -HaveCount 1
            $waited.Output[0].Status | Should -Be 'Success'
            Assert-NoDuplicateCreate -Requests 1 -Tasks 1
        }
    }

    Context 'recordInfo while waiting (Wait-SeedanceTask)' {
        It 'rides out 503, a drop and malformed JSON mid-wait and emits the finished task' {
            $created = New-SeedanceTask 'waited through faults'
            Add-Fault @(
                @{ path = $script:ReadPath; kind = 'status'; status = 503; count = 1 }
                @{ path = $script:ReadPath; kind = 'drop'; count = 1 }
                @{ path = $script:ReadPath; kind = 'malformed'; count = 1 }
            )
            $result = Invoke-Case { $created | Wait-SeedanceTask -PollInterval 0.1 -Timeout 30 }

            $result.Errors | Should -HaveCount 0
            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $result.Output[0].Status | Should -Be 'Success'
            $result.Output[0].Prompt | Should -Be 'waited through faults'
            Assert-NoDuplicateCreate -Requests 1 -Tasks 1
        }

        It 'a task that is not found: TaskNotFound (ObjectNotFound) for it, asked once' {
            $result = Invoke-Case { Wait-SeedanceTask -TaskId 'task_never_made' -PollInterval 0.1 -Timeout 10 }

            $record = Assert-Error $result -ErrorId 'TaskNotFound' -Category 'ObjectNotFound' -Terminating $false
            $record.TargetObject.TaskId | Should -Be 'task_never_made'
            (Get-Stats).recordInfoByTask.'task_never_made' | Should -Be 1
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'a failed task whose error is <Shape>: TaskFailed (<Category>) naming it' -ForEach @(
            @{ Shape = 'a string'; Directive = '#fail'; Category = 'InvalidResult'; Text = 'Task execution failed' }
            @{ Shape = 'an object {code, message}'; Directive = '#fail:2038'; Category = 'InvalidData'; Text = 'error 2038: Your input text violates platform rules' }
        ) {
            $result = Invoke-Case { New-SeedanceTask "doomed $Directive" | Wait-SeedanceTask -PollInterval 0.1 -Timeout 20 }

            $record = Assert-Error $result -ErrorId 'TaskFailed' -Category $Category -Terminating $false
            $record.Exception.Message | Should -Match ([regex]::Escape($Text))
            $record.ErrorDetails.Message | Should -Match ([regex]::Escape($Text))
            $record.TargetObject.Status | Should -Be 'Fail'
            $record.TargetObject.TaskId | Should -Match '^task_'
            Assert-NoDuplicateCreate -Requests 1 -Tasks 1
        }
    }

    Context 'download (Save-SeedanceVideo, 5 MB): resumed, or nothing left under the final name' {
        It '<Case>: the whole file, byte for byte' -ForEach @(
            @{ Case = 'truncated after 2 MB, once'; Rule = @{ kind = 'truncate'; afterBytes = 2000000; count = 1 }; Requests = 2; MaxCut = 2000000 }
            @{ Case = 'truncated after 1 MB, twice'; Rule = @{ kind = 'truncate'; afterBytes = 1000000; count = 2 }; Requests = 3; MaxCut = 1000000 }
            @{ Case = '500 once'; Rule = @{ kind = 'status'; status = 500; count = 1 }; Requests = 2 }
            @{ Case = '503 once'; Rule = @{ kind = 'status'; status = 503; count = 1 }; Requests = 2 }
            @{ Case = '429 with Retry-After: 0, once'; Rule = @{ kind = 'status'; status = 429; retryAfter = 0; count = 1 }; Requests = 2 }
            @{ Case = 'connection dropped once'; Rule = @{ kind = 'drop'; count = 1 }; Requests = 2 }
            @{ Case = 'slow (1 s) within the 2 s RequestTimeout'; Rule = @{ kind = 'slow'; delayMs = 1000; count = 1 }; Requests = 1; Timeout = 2 }
            @{ Case = 'slow (3 s) beyond the 2 s RequestTimeout, once'; Rule = @{ kind = 'slow'; delayMs = 3000; count = 1 }; Requests = 2; Timeout = 2 }
        ) {
            if ($Timeout) { Set-SeedanceConfiguration -RequestTimeout $Timeout }
            Add-Fault ($Rule + @{ path = $script:FilesPath })
            $folder = New-DownloadFolder
            $result = Invoke-Case { $script:Video | Save-SeedanceVideo -Path $folder }

            $result.Errors | Should -HaveCount 0
            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $file = $result.Output[0]
            $file.FullName | Should -Be (Join-Path $folder "$($script:Video.TaskId).mp4")
            $sent = @((Get-Stats).fileRequests)
            $sent | Should -HaveCount $Requests
            $sent | ForEach-Object { $_.hasAuthorization | Should -BeFalse }
            $sent[0].range | Should -BeNullOrEmpty
            $sent[-1].aborted | Should -BeFalse
            # Where each retry resumed: after a cut, from the bytes already on disk (at most what the server sent
            # before aborting: bytes in flight die with the reset), with Range, answered 206; otherwise from 0.
            $previous = 0
            foreach ($request in ($sent | Select-Object -Skip 1)) {
                if ($MaxCut) {
                    $offset = if ($request.range) { [long]($request.range -replace '^bytes=(\d+)-$', '$1') } else { 0 }
                    $offset | Should -BeGreaterOrEqual $previous
                    $offset | Should -BeLessOrEqual ($previous + $MaxCut)
                    if ($offset -gt 0) { $request.status | Should -Be 206 }
                    $previous = $offset
                }
                else { $request.range | Should -BeNullOrEmpty }
            }
            if ($MaxCut) { @($sent | Where-Object range).Count | Should -BeGreaterThan 0 -Because 'a cut transfer resumes with Range' }
            Assert-SyntheticVideo $file.FullName
            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @("$($script:Video.TaskId).mp4")
            Get-PartialFile $folder | Should -HaveCount 0
            # Downloads never touch createTask.
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It 'truncated every time: <ErrorId> (<Category>) after 5 attempts, no file and no partial file' -ForEach @(
            @{ ErrorId = 'ConnectionFailed'; Category = 'ConnectionError' }
        ) {
            Add-Fault @{ path = $script:FilesPath; kind = 'truncate'; afterBytes = 200000; count = -1 }
            $folder = New-DownloadFolder
            $result = Invoke-Case { $script:Video | Save-SeedanceVideo -Path $folder -Verbose }

            $record = Assert-Error $result -ErrorId $ErrorId -Category $Category -Terminating $false
            $record.TargetObject.TaskId | Should -Be $script:Video.TaskId
            Test-Path -LiteralPath (Join-Path $folder "$($script:Video.TaskId).mp4") | Should -BeFalse
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
            $sent = @((Get-Stats).fileRequests)
            $sent | Should -HaveCount 5
            # Each attempt resumed from where the previous one stopped (at most 200,000 bytes further on).
            $sent[0].range | Should -BeNullOrEmpty
            $previous = 0
            foreach ($request in ($sent | Select-Object -Skip 1)) {
                $offset = if ($request.range) { [long]($request.range -replace '^bytes=(\d+)-$', '$1') } else { 0 }
                $offset | Should -BeGreaterOrEqual $previous
                $offset | Should -BeLessOrEqual ($previous + 200000)
                $previous = $offset
            }
            # Four resumes, each logged (verbose) with its reason: lines written between blocks wait for the next one.
            $resumes = @($result.Retries | Where-Object { $_ -match '^download: .*cut off.*; resuming at byte [\d,.]+ in' })
            $resumes.Count | Should -Be 4
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It '<Status> once: recovered after one fresh read of the task and one more try' -ForEach @(
            @{ Status = 404 }, @{ Status = 403 }
        ) {
            Add-Fault @{ path = $script:FilesPath; kind = 'status'; status = $Status; count = 1 }
            $folder = New-DownloadFolder
            $result = Invoke-Case { $script:Video | Save-SeedanceVideo -Path $folder }

            $result.Errors | Should -HaveCount 0
            $result.Terminating | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            Assert-SyntheticVideo $result.Output[0].FullName
            @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @("$($script:Video.TaskId).mp4")
            $stats = Get-Stats
            # The URL may have expired: the task is read again (the emulator gives the same URL) and tried once more.
            $stats.recordInfoByTask.($script:Video.TaskId) | Should -Be 1
            @($stats.fileRequests).status | Should -Be @($Status, 200)
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }

        It '<Status> persisting: <ErrorId> (<Category>) after one fresh read and one more try, no file' -ForEach @(
            @{ Status = 404; ErrorId = 'VideoNotFound'; Category = 'ObjectNotFound' }
            @{ Status = 403; ErrorId = 'VideoUrlForbidden'; Category = 'PermissionDenied' }
        ) {
            Add-Fault @{ path = $script:FilesPath; kind = 'status'; status = $Status; count = -1 }
            $folder = New-DownloadFolder
            $result = Invoke-Case { $script:Video | Save-SeedanceVideo -Path $folder }

            $record = Assert-Error $result -ErrorId $ErrorId -Category $Category -Terminating $false
            $record.TargetObject.TaskId | Should -Be $script:Video.TaskId
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -HaveCount 0
            $stats = Get-Stats
            $stats.recordInfoByTask.($script:Video.TaskId) | Should -Be 1
            # Not retried beyond that: 4xx is not transient.
            @($stats.fileRequests).status | Should -Be @($Status, $Status)
            Assert-NoDuplicateCreate -Requests 0 -Tasks 0
        }
    }
}
