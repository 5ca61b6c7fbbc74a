#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# ConvertFrom-SeedanceWebhook: a callback body (the flat task or the {code,message,data} envelope, "status" or "state";
# text, piped lines, bytes, or the hashtable Azure Functions makes of a JSON body) becomes the same task object
# Get-SeedanceTask returns. The first test receives a real callback from the emulator on a loopback listener.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -ArgumentList '--callback-delay-scale', '0.01'
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator

    $script:Flat = '{"taskId":"task_hook","model":"seedance-20","status":"success","creditsUsed":200,"output":[{"url":"https://static.example.com/v.mp4","width":1280,"height":720,"seed":42,"lastFrameImage":"https://static.example.com/v.png"}],"error":null,"createTime":1763000000000,"completeTime":1763000150000,"region":"x"}'
    $script:Envelope = '{"code":200,"message":"success","data":{"taskId":"task_hook","state":"fail","error":{"code":"2038","message":"Input text violates platform rules"}}}'

    function Get-FreeLoopbackPort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'ConvertFrom-SeedanceWebhook' {
    It 'turns the callback the service really POSTs into the task Get-SeedanceTask returns' {
        $port = Get-FreeLoopbackPort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        try {
            $created = New-SeedanceTask 'a fox, reported by webhook' -CallbackUri "http://127.0.0.1:$port/hook"
            $pending = $listener.GetContextAsync()
            $pending.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'the emulator posts the finished task'
            $context = $pending.Result
            $reader = [IO.StreamReader]::new($context.Request.InputStream)
            $body = $reader.ReadToEnd()
            $reader.Dispose()
            $context.Response.StatusCode = 200
            $context.Response.Close()
        }
        finally { $listener.Stop(); $listener.Close() }

        $hint = ConvertFrom-SeedanceWebhook $body
        $hint | Should -BeOfType ([Seedance.Client.Models.SeedanceTask])
        $hint.TaskId | Should -Be $created.TaskId

        # The confirmation the help asks for: the same id read from the API gives the same object.
        $confirmed = $hint | Get-SeedanceTask
        foreach ($name in 'TaskId', 'Status', 'Model', 'CreditsUsed', 'VideoUrl', 'Width', 'Height', 'Seed', 'LastFrameImage', 'CreatedAt', 'CompletedAt') {
            $hint.$name | Should -Be $confirmed.$name -Because $name
        }
        $hint.Status | Should -Be 'Success'
    }

    It 'reads the flat task object' {
        $task = ConvertFrom-SeedanceWebhook -Body $script:Flat
        $task.TaskId | Should -Be 'task_hook'
        $task.Status | Should -Be 'Success'
        $task.VideoUrl | Should -Be 'https://static.example.com/v.mp4'
        $task.Seed | Should -Be 42
        $task.LastFrameImage | Should -Be 'https://static.example.com/v.png'
        $task.AdditionalFields['region'] | Should -Be 'x'
    }

    It 'reads the {code, message, data} envelope with "state"' {
        $task = $script:Envelope | ConvertFrom-SeedanceWebhook
        $task.TaskId | Should -Be 'task_hook'
        $task.Status | Should -Be 'Fail'
        $task.ErrorCode | Should -Be '2038'
        $task.AdditionalFields.Keys | Should -Not -Contain 'code'
    }

    It 'joins piped lines into one body (Get-Content of a pretty-printed file), like ConvertFrom-Json' {
        $lines = ($script:Flat | ConvertFrom-Json | ConvertTo-Json -Depth 5) -split "`n"
        $lines.Count | Should -BeGreaterThan 5
        $tasks = @($lines | ConvertFrom-SeedanceWebhook)
        $tasks | Should -HaveCount 1
        $tasks[0].TaskId | Should -Be 'task_hook'
    }

    It 'reads several one-line bodies piped as several tasks' {
        $tasks = @($script:Flat, $script:Envelope | ConvertFrom-SeedanceWebhook)
        $tasks.Status | Should -Be @('Success', 'Fail')
    }

    It 'reads a body PowerShell already parsed: the hashtable of an Azure Functions $Request.Body, or ConvertFrom-Json output' {
        $fromHashtable = ConvertFrom-SeedanceWebhook -InputObject ($script:Envelope | ConvertFrom-Json -AsHashtable)
        $fromHashtable.Status | Should -Be 'Fail'
        $fromHashtable.ErrorMessage | Should -Be 'Input text violates platform rules'
        $fromObject = $script:Flat | ConvertFrom-Json | ConvertFrom-SeedanceWebhook
        $fromObject.Width | Should -Be 1280
        $fromObject.Seed | Should -Be 42
    }

    It 'reads UTF-8 bytes' {
        $task = ConvertFrom-SeedanceWebhook -InputObject ([Text.Encoding]::UTF8.GetBytes($script:Flat))
        $task.TaskId | Should -Be 'task_hook'
    }

    It 'sends no request' {
        Reset-EmulatorStats -Emulator $script:Emulator
        $null = ConvertFrom-SeedanceWebhook $script:Flat
        @((Get-EmulatorStats -Emulator $script:Emulator).apiRequests) | Should -HaveCount 0
    }

    It 'refuses <Case> with a non-terminating InvalidWebhookBody (InvalidData) and goes on with the next' -ForEach @(
        @{ Case = 'text that is not JSON'; Body = 'taskId=task_1&status=success'; Says = 'not JSON' }
        @{ Case = 'JSON without a task id'; Body = '{"code":200,"message":"success","data":{"status":"success"}}'; Says = 'no taskId' }
        @{ Case = 'a JSON array'; Body = '[1,2]'; Says = 'not a Seedance task' }
        @{ Case = 'an empty body'; Body = ''; Says = 'empty' }
        @{ Case = 'a task id with half a surrogate pair'; Body = '{"taskId":"task_\ud83d","status":"success"}'; Says = 'not JSON.*surrogate' }
        @{ Case = 'a task id with a control character'; Body = '{"taskId":"task_\u001b[2Jhook","status":"success"}'; Says = 'taskId that is no id: it contains a control character' }
        @{ Case = 'JSON nested 200 deep'; Body = '{"taskId":"task_hook","x":' + ('[' * 200) + (']' * 200) + '}'; Says = 'nested more than 64 levels deep' }
    ) {
        $out = @(ConvertFrom-SeedanceWebhook -InputObject $Body -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWebhookBody,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be $Body
        "$($errors[0])" | Should -Match $Says
    }

    It 'refuses an object that is no body' {
        ConvertFrom-SeedanceWebhook -InputObject (Get-Date) -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWebhookBody,*'
        "$($errors[0])" | Should -Match 'RawBody'
    }

    It 'its help page says a webhook is unsigned and to confirm with Get-SeedanceTask' {
        $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/en-US/ConvertFrom-SeedanceWebhook.md')
        $page | Should -Match 'not signed'
        $page | Should -Match 'confirm.*Get-SeedanceTask'
    }

    Context 'a hostile body is refused with InvalidWebhookBody, never a crash (each attack in a child pwsh, so a crash shows as one)' {
        BeforeAll {
            $childScript = @'
Import-Module $env:SEEDANCE_TEST_MODULE
function Report([string] $Name, [scriptblock] $Attack) {
    try {
        $all = @(& $Attack 2>&1)
        $problems = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $out = @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] })
        "$Name=$($out.Count);$(@($problems | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) -join '+');$(@($problems | ForEach-Object { $_.Exception.Message -replace '[\r\n;=]', ' ' }) -join ' | ')"
    }
    catch { "$Name=THREW;$($_.FullyQualifiedErrorId);$($_.Exception.Message -replace '[\r\n;=]', ' ')" }
}
Report 'BIG' { ConvertFrom-SeedanceWebhook -InputObject ('{"taskId":"t","pad":"' + ('a' * 50MB) + '"}') }
$many = [Collections.Generic.Dictionary[string, object]]::new()
$many['taskId'] = 't'
for ($i = 0; $i -lt 3000000; $i++) { $many.Add("k$i", $i) }
Report 'KEYS' { ConvertFrom-SeedanceWebhook -InputObject $many }
$cycle = @{ taskId = 't'; status = 'success' }
$cycle.self = $cycle
Report 'CYCLE' { ConvertFrom-SeedanceWebhook -InputObject $cycle }
$deep = @{ taskId = 't' }
$at = $deep
for ($i = 0; $i -lt 5000; $i++) { $next = @{}; $at.next = $next; $at = $next }
Report 'DEEP' { ConvertFrom-SeedanceWebhook -InputObject $deep }
Report 'LOCALFRAME' { ConvertFrom-SeedanceWebhook -InputObject '{"taskId":"t","status":"success","output":[{"url":"https://cdn.example/v.mp4","lastFrameImage":"/home/ann/cat.png"}]}' }
$clean = ConvertFrom-SeedanceWebhook -InputObject "{`"taskId`":`"t`",`"status`":`"fail`",`"error`":{`"code`":`"x`",`"message`":`"\u001b[2J\u001b]0;pwned\u0007gone`"}}"
"CLEAN=$(($clean.ErrorMessage.ToCharArray() | ForEach-Object { [int]$_ } | Measure-Object -Minimum).Minimum);$($clean.ErrorMessage)"
"DONE=1"
'@
            $script:Attacks = Invoke-ChildPwsh -Script $childScript -TimeoutSeconds 300
            $script:Lines = @{}
            foreach ($line in ($script:Attacks.StdOut -split "`r?`n")) { if ($line -match '^([A-Z]+)=(.*)$') { $script:Lines[$Matches[1]] = $Matches[2] } }
        }

        It 'the child ran every attack to the end (no stack overflow, no out-of-memory)' {
            $script:Lines.ContainsKey('DONE') | Should -BeTrue -Because "$($script:Attacks.StdOut) $($script:Attacks.StdErr)"
        }

        It '<Name>: InvalidWebhookBody saying <Says>, no task' -ForEach @(
            @{ Name = 'a 50 MB body'; Key = 'BIG'; Says = 'larger than' }
            @{ Name = 'a table of 3 million keys'; Key = 'KEYS'; Says = 'larger than' }
            @{ Name = 'a hashtable that contains itself'; Key = 'CYCLE'; Says = 'contains itself' }
            @{ Name = 'a hashtable 5,000 levels deep'; Key = 'DEEP'; Says = 'nested more than 64 levels' }
            @{ Name = 'a lastFrameImage that is a local path'; Key = 'LOCALFRAME'; Says = "'output\[0\]\.lastFrameImage' is not an absolute http\(s\) URL" }
        ) {
            $result = $script:Lines[$Key]
            $result | Should -Not -BeNullOrEmpty -Because $script:Attacks.StdErr
            $count, $ids, $messages = $result -split ';', 3
            $count | Should -Be '0'
            $ids | Should -Be 'InvalidWebhookBody'
            $messages | Should -Match $Says
        }

        It 'text from a webhook body is stripped of control characters' {
            $script:Lines['CLEAN'] | Should -Be '101;gone'
        }
    }
}
