#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The API key never leaks. A child pwsh runs every cmdlet with -Verbose -Debug under Start-Transcript, through
# successes and failures, with a distinctive key that the emulator is configured to accept; then the key is looked
# for everywhere it could end up: the transcript, every ErrorRecord (exception, details, target, invocation), every
# output object, every file the module wrote, the child's own stdout/stderr. And on the wire: the key goes to the API
# origin only: never to the download host, never to a callback URL, never after a redirect to another origin, never
# over plain http to another machine. Finally the key store: 0600 in a 0700 folder, gone after Remove-SeedanceApiKey.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $script:Key = 'sk-LEAKCHECK-' + [guid]::NewGuid().ToString('N')
    $script:Emulator = Start-TestEmulator -ArgumentList @('--api-key', $script:Key, '--callback-delay-scale', '0.01')
    $script:Sandbox = Enter-TestSandbox -NoEnvironmentKey

    function Get-FreeLoopbackPort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }

    function Start-Redirector {
        <#
        A loopback HTTP listener on two ports, serving from a background runspace and logging every request.
        'Api' (the first port) answers anything under /api/ with 302 to the same path on 'Other', the second port,
        i.e. another origin; 'Other' answers 200 with a well-formed successful task, so a client that followed the
        redirect would visibly succeed. Any other path (a callback) gets 200.
        #>
        $apiPort = Get-FreeLoopbackPort
        $otherPort = Get-FreeLoopbackPort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$apiPort/")
        $listener.Prefixes.Add("http://127.0.0.1:$otherPort/")
        $listener.Start()
        $log = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Listener, $Log, $ApiPort, $OtherPort)
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $request = $context.Request
                    $reader = [IO.StreamReader]::new($request.InputStream)
                    $body = $reader.ReadToEnd()
                    $reader.Dispose()
                    $Log.Enqueue([pscustomobject]@{
                            Port          = $request.Url.Port
                            Method        = $request.HttpMethod
                            PathAndQuery  = $request.Url.PathAndQuery
                            Authorization = $request.Headers['Authorization']
                            UserAgent     = $request.UserAgent
                            Body          = $body
                        })
                    $response = $context.Response
                    if ($request.Url.Port -eq $ApiPort -and $request.Url.AbsolutePath.StartsWith('/api/')) {
                        $response.StatusCode = 302
                        $response.RedirectLocation = "http://127.0.0.1:$OtherPort$($request.Url.PathAndQuery)"
                        $text = ''
                    }
                    else {
                        $response.StatusCode = 200
                        $response.ContentType = 'application/json'
                        $text = '{"taskId":"demo_task_t2v_success","model":"seedance-20","status":"success","creditsUsed":0,"output":[{"url":"http://127.0.0.1/x.mp4","width":1,"height":1}],"error":null}'
                    }
                    $bytes = [Text.Encoding]::UTF8.GetBytes($text)
                    $response.ContentLength64 = $bytes.Length
                    if ($bytes.Length) { $response.OutputStream.Write($bytes, 0, $bytes.Length) }
                    $response.Close()
                }
            }).AddArgument($listener).AddArgument($log).AddArgument($apiPort).AddArgument($otherPort)
        $handle = $ps.BeginInvoke()
        [pscustomobject]@{
            ApiBaseUri  = "http://127.0.0.1:$apiPort/api/v1"
            CallbackUri = "http://127.0.0.1:$otherPort/callback"
            ApiPort     = $apiPort
            OtherPort   = $otherPort
            Log         = $log
            Listener    = $listener
            PowerShell  = $ps
            Handle      = $handle
        }
    }

    function Stop-Redirector($Redirector) {
        if (-not $Redirector) { return }
        try { $Redirector.Listener.Stop(); $Redirector.Listener.Close() } catch { }
        try { $null = $Redirector.Handle.AsyncWaitHandle.WaitOne(5000) } catch { }
        $Redirector.PowerShell.Dispose()
    }

    function Get-LeakCount([string] $Text) {
        # Occurrences of the key (also of its JSON-escaped form) in a text.
        if ([string]::IsNullOrEmpty($Text)) { return 0 }
        $escaped = $script:Key.Replace('-', '\u002d')
        ([regex]::Matches($Text, [regex]::Escape($script:Key))).Count + ([regex]::Matches($Text, [regex]::Escape($escaped))).Count
    }

    $script:Redirector = Start-Redirector
    $script:Artifacts = New-TestFolder -Prefix 'seedance-leak-artifacts'
    $script:Downloads = New-TestFolder -Prefix 'seedance-leak-downloads'
    $script:ChildConfig = New-TestFolder -Prefix 'seedance-leak-config'

    # Everything the child does; $Error, the outputs and the transcript are written to $env:ARTIFACTS.
    $childScript = @'
$ErrorActionPreference = 'Continue'
Import-Module $env:SEEDANCE_TEST_MODULE
$key = $env:LEAK_KEY
$artifacts = $env:ARTIFACTS
$downloads = $env:DOWNLOADS
$PSDefaultParameterValues['*-Seedance*:Verbose'] = $true
$PSDefaultParameterValues['*-Seedance*:Debug'] = $true
# -Debug on a compiled cmdlet turns its warnings into questions, which a non-interactive host refuses: keep them warnings.
$PSDefaultParameterValues['*-Seedance*:WarningAction'] = 'Continue'
$outputs = [System.Collections.Generic.List[object]]::new()
function Keep { process { $outputs.Add($_); $_ } }
function Step([string] $Name, [scriptblock] $Script) {
    "=== $Name"
    try { & $Script | Keep | Out-Host } catch { Write-Host "caught: $($_.FullyQualifiedErrorId)" ; $_ | Out-Host }
}
function Fault($Rule) { $null = Invoke-RestMethod -Uri "$env:EMU_CONTROL/faults" -Method Post -Body ($Rule | ConvertTo-Json -Compress) -ContentType 'application/json' -NoProxy }

Start-Transcript -LiteralPath (Join-Path $artifacts 'transcript.txt') -IncludeInvocationHeader | Out-Null
$Error.Clear()

Step 'store the key for the user' { Set-SeedanceApiKey -PlainTextApiKey $key }
"STORE_FILE_MODE=$((& stat -c '%a' (Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey')))"
"STORE_DIR_MODE=$((& stat -c '%a' (Join-Path $env:XDG_CONFIG_HOME 'seedance')))"
Step 'configuration' { Get-SeedanceConfiguration }
Step 'base uri' { Set-SeedanceConfiguration -BaseUri $env:EMU_API -RequestTimeout 30 }
Step 'cost' { Get-SeedanceCreditCost 8 }
Step 'what if' { New-SeedanceTask 'a what-if fox' -Duration 8 -WhatIf }
Step 'validation' {
    New-SeedanceTask '' ; New-SeedanceTask 'x' -Duration 'abc'; New-SeedanceTask 'x' -Image './me.png'; New-SeedanceTask 'x' -CallbackUri 'ftp://x'
}
Step 'create, wait, save' {
    $script:done = New-SeedanceTask 'a fox in the snow' -Duration 4 -CallbackUri $env:CALLBACK_URI | Wait-SeedanceTask -PollInterval 0.1
    $script:done
    $script:done | Save-SeedanceVideo -Path $downloads
}
Step 'upload a local file' {
    $png = Join-Path $downloads 'local.png'
    [IO.File]::WriteAllBytes($png, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [byte[]]::new(2048))
    New-SeedanceTask 'a local picture @1' -Image $png
}
# The journal knows the saved file and would hand it on; another file under its name is FileExists.
Step 'save again without -Force' { Set-Content -LiteralPath (Join-Path $downloads "$($script:done.TaskId).mp4") -Value 'another file'; $script:done | Save-SeedanceVideo -Path $downloads }
Step 'save -WhatIf' { $script:done | Save-SeedanceVideo -Path $downloads -Force -WhatIf }
Step 'save by id' { Save-SeedanceVideo -TaskId 'demo_task_i2v_success' -Path $downloads }
Step 'failed task' { New-SeedanceTask 'a failing one #fail:2038' | Wait-SeedanceTask -PollInterval 0.1 }
Step 'demo tasks and a missing one' { Get-SeedanceTask 'demo_task_t2v_success', 'demo_task_fail_server_error', 'task_that_does_not_exist' }
Step 'save a failed task' { Get-SeedanceTask 'demo_task_fail_face_detected' | Save-SeedanceVideo -Path $downloads }
Step 'the service echoes the key (400)' {
    Fault @{ path = '/api/v1/jobs/recordInfo'; kind = 'status'; status = 400; body = "{`"message`":`"bad request from Bearer $key`",`"echo`":`"$key`"}" }
    Get-SeedanceTask 'demo_task_t2v_success'
}
Step 'the service echoes the key (500, retried)' {
    Fault @{ path = '/api/v1/jobs/recordInfo'; kind = 'status'; status = 500; body = "{`"message`":`"upstream said $key`"}" }
    # Wait-SeedanceTask polls inside its end block, so the retry's verbose line is always written (a lookup of
    # Get-SeedanceTask can log between two blocks, when no pipeline is there to take the line).
    Wait-SeedanceTask -TaskId 'demo_task_t2v_success' -PollInterval 0.1
}
Step 'a proxy echoes the key in HTML (403 on create)' {
    Fault @{ path = '/api/v1/jobs/createTask'; kind = 'status'; status = 403; body = "<html>Forbidden for Authorization: Bearer $key</html>" }
    New-SeedanceTask 'forbidden'
}
Step 'wrong path on the right host (404)' {
    Set-SeedanceConfiguration -BaseUri ($env:EMU_API + '/wrong')
    Get-SeedanceTask 'demo_task_t2v_success'
    New-SeedanceTask 'to nowhere'
}
Step 'redirect to another origin' {
    Set-SeedanceConfiguration -BaseUri $env:REDIRECT_API
    Get-SeedanceTask 'demo_task_t2v_success'
}
Step 'plain http to another machine' {
    Set-SeedanceConfiguration -BaseUri 'http://seedance.example.com/api/v1'
}
Step 'SEEDANCE_BASE_URI plain http' {
    Set-SeedanceConfiguration -Reset
    $env:SEEDANCE_BASE_URI = 'http://seedance.example.com/api/v1'
    try { Get-SeedanceConfiguration; Get-SeedanceTask 'demo_task_t2v_success' }
    finally { $env:SEEDANCE_BASE_URI = $env:EMU_API }
}
Step 'wrong key (401), a session key that contains the real key' {
    Set-SeedanceApiKey -PlainTextApiKey ($key + '-wrong') -Scope Process
    try { Get-SeedanceTask 'demo_task_t2v_success'; New-SeedanceTask 'unauthorized' }
    finally { Remove-SeedanceApiKey -Scope Process }
}
Step 'the key from the environment' {
    $env:SEEDANCE_API_KEY = $key
    try { Get-SeedanceConfiguration; Get-SeedanceTask 'demo_task_t2v_success' }
    finally { $env:SEEDANCE_API_KEY = $null }
}
Step 'a SecureString session key' {
    Set-SeedanceApiKey -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -Scope Process
    try { Get-SeedanceTask 'demo_task_i2v_success' }
    finally { Remove-SeedanceApiKey -Scope Process }
}
# Two steps: the first error ends its step.
Step 'a plain string where a SecureString goes (positional)' { Set-SeedanceApiKey $key -Scope Process }
Step 'a plain string where a SecureString goes (piped)' { $key | Set-SeedanceApiKey -Scope Process }
Step 'a webhook body, and one that is not' {
    ConvertFrom-SeedanceWebhook '{"taskId":"task_from_hook","status":"success"}'
    ConvertFrom-SeedanceWebhook 'not json'
}
Step 'the key store cannot be written' {
    $saved = $env:XDG_CONFIG_HOME
    $env:XDG_CONFIG_HOME = Join-Path $artifacts 'not-a-folder.txt'
    Set-Content -LiteralPath $env:XDG_CONFIG_HOME -Value 'a file, not a folder'
    try { Set-SeedanceApiKey -PlainTextApiKey $key }
    finally { $env:XDG_CONFIG_HOME = $saved }
}
Step 'remove the stored key' { Remove-SeedanceApiKey }
"STORE_AFTER_REMOVE=$(Test-Path -LiteralPath (Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey'))"
Step 'no key anywhere' { Get-SeedanceTask 'demo_task_t2v_success'; New-SeedanceTask 'no key' }
Step 'configuration without a key' { Get-SeedanceConfiguration }

Stop-Transcript | Out-Null

# Every error of the session, in every form a user or a tool could see or keep.
$errorText = foreach ($record in $Error) {
    "----- $($record.FullyQualifiedErrorId)"
    $record.Exception.ToString()
    if ($record.ErrorDetails) { "DETAILS: $($record.ErrorDetails.Message) | $($record.ErrorDetails.RecommendedAction)" }
    "TARGET: $(ConvertTo-Json -InputObject $record.TargetObject -Depth 3 -WarningAction SilentlyContinue)"
    "INVOCATION: $(ConvertTo-Json -InputObject $record.InvocationInfo -Depth 3 -WarningAction SilentlyContinue)"
    "BOUND: $(ConvertTo-Json -InputObject $record.InvocationInfo.BoundParameters -Depth 3 -WarningAction SilentlyContinue)"
    "DISPLAY: $($record | Out-String -Width 300)"
    "CLIXML: $([System.Management.Automation.PSSerializer]::Serialize($record, 3))"
}
Set-Content -LiteralPath (Join-Path $artifacts 'errors.txt') -Value $errorText
Set-Content -LiteralPath (Join-Path $artifacts 'output.json') -Value (ConvertTo-Json -InputObject $outputs.ToArray() -Depth 3 -WarningAction SilentlyContinue)
"ERRORIDS=$(($Error | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] } | Sort-Object -Unique) -join ';')"
"OUTPUTTYPES=$(($outputs | ForEach-Object { $_.GetType().Name } | Sort-Object -Unique) -join ';')"
"DONE"
'@

    $script:Child = Invoke-ChildPwsh -TimeoutSeconds 180 -Script $childScript -Environment @{
        LEAK_KEY          = $script:Key
        ARTIFACTS         = $script:Artifacts
        DOWNLOADS         = $script:Downloads
        EMU_API           = $script:Emulator.ApiBaseUri
        EMU_CONTROL       = $script:Emulator.ControlUri
        REDIRECT_API      = $script:Redirector.ApiBaseUri
        CALLBACK_URI      = $script:Redirector.CallbackUri
        XDG_CONFIG_HOME   = $script:ChildConfig
        SEEDANCE_API_KEY  = $null
        SEEDANCE_BASE_URI = $null
    }
    # The emulator posts the callback once the task is final; give it a moment to arrive.
    $null = Wait-Until -TimeoutSeconds 10 -Condition { @($script:Redirector.Log | Where-Object PathAndQuery -EQ '/callback').Count -gt 0 }
    $script:Stats = Get-EmulatorStats -Emulator $script:Emulator
    $idLine = ($script:Child.StdOut -split "`n") | Where-Object { $_ -like 'ERRORIDS=*' } | Select-Object -First 1
    $script:ErrorIds = @(("$idLine".Trim() -replace '^ERRORIDS=', '').Split(';'))
}

AfterAll {
    Stop-Redirector $script:Redirector
    foreach ($folder in $script:Artifacts, $script:Downloads, $script:ChildConfig) {
        if ($folder) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'The API key never leaks' {
    Context 'the run (child pwsh, every cmdlet with -Verbose -Debug under Start-Transcript)' {
        It 'completed' {
            $script:Child.TimedOut | Should -BeFalse
            $script:Child.StdOut | Should -Match '(?m)^DONE\s*$'
        }

        It 'went through successes: tasks, costs, a configuration and saved files' {
            $types = (($script:Child.StdOut -split "`n") | Where-Object { $_ -like 'OUTPUTTYPES=*' }) -replace '^OUTPUTTYPES=', ''
            foreach ($type in 'SeedanceTask', 'CreditCost', 'SeedanceConfiguration', 'FileInfo') { $types | Should -Match $type }
            @(Get-ChildItem -LiteralPath $script:Downloads -Filter '*.mp4').Count | Should -Be 2
        }

        It 'raised no error but the ones expected (no prompt, no unexpected failure)' {
            $script:ErrorIds | Should -Not -Contain 'InvalidOperation'
            $script:ErrorIds | Should -Not -Contain 'UnexpectedError'
        }

        It 'went through failures: <_>' -ForEach @(
            'InvalidDuration', 'PromptEmpty', 'MaterialFileNotFound', 'InvalidCallbackUri', 'FileExists', 'TaskFailed',
            'TaskNotFound', 'TaskNotSucceeded', 'InvalidRequest', 'Forbidden', 'UnexpectedResponse', 'InvalidBaseUri',
            'Unauthorized', 'ApiKeyStoreFailed', 'ApiKeyNotSet', 'ApiKeyNotSecureString', 'InvalidWebhookBody', 'ApiEndpointNotFound'
        ) {
            $script:ErrorIds | Should -Contain $_
        }

        It 'retried the 500 that echoed the key, and then succeeded' {
            $script:Child.StdOut | Should -Match 'the service echoes the key \(500, retried\)'
            Get-Content -LiteralPath (Join-Path $script:Artifacts 'transcript.txt') -Raw | Should -Match 'VERBOSE: recordInfo: 500 .*retry 1'
        }
    }

    Context 'where the key could end up' {
        It 'is not in the transcript (which does hold the verbose and debug lines)' {
            $transcript = Get-Content -LiteralPath (Join-Path $script:Artifacts 'transcript.txt') -Raw
            $transcript | Should -Match 'VERBOSE: '
            $transcript | Should -Match 'DEBUG: Seedance API'
            $transcript | Should -Match 'What if: '
            Get-LeakCount $transcript | Should -Be 0
        }

        It 'is in no ErrorRecord: exception, details, target, invocation, display, CLIXML' {
            $text = Get-Content -LiteralPath (Join-Path $script:Artifacts 'errors.txt') -Raw
            ([regex]::Matches($text, '(?m)^----- ')).Count | Should -BeGreaterThan 15
            # The checks can see a leak: the service's echoes are there, redacted.
            $text | Should -Match 'bad request from Bearer \*\*\*'
            $text | Should -Match 'Forbidden for Authorization: Bearer \*\*\*'
            Get-LeakCount $text | Should -Be 0
        }

        It 'is in no output object' {
            $json = Get-Content -LiteralPath (Join-Path $script:Artifacts 'output.json') -Raw
            $json | Should -Match 'demo_task_t2v_success'
            Get-LeakCount $json | Should -Be 0
        }

        It 'is in no file the module wrote (downloads, and the config folder but for the key store)' {
            $files = @(Get-ChildItem -LiteralPath $script:Downloads, $script:ChildConfig -Recurse -File -Force |
                    Where-Object { $_.FullName -ne (Join-Path $script:ChildConfig 'seedance/apikey') })
            $files.Count | Should -BeGreaterThan 0
            foreach ($file in $files) {
                $text = [Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($file.FullName))
                Get-LeakCount $text | Should -Be 0 -Because $file.FullName
            }
        }

        It 'is not in the child''s stdout or stderr' {
            Get-LeakCount $script:Child.StdOut | Should -Be 0
            Get-LeakCount $script:Child.StdErr | Should -Be 0
        }
    }

    Context 'on the wire: the key goes to the API origin and nowhere else' {
        It 'the API requests all went to /api/v1 and carried the key' {
            $api = @($script:Stats.apiRequests)
            $api.Count | Should -BeGreaterThan 10
            $api | ForEach-Object { $_.path | Should -BeLike '/api/v1/*' }
            $api | ForEach-Object { $_.hasAuthorization | Should -BeTrue }
        }

        It 'no download request carried an Authorization header' {
            $files = @($script:Stats.fileRequests)
            $files.Count | Should -BeGreaterThan 1
            $files | ForEach-Object { $_.hasAuthorization | Should -BeFalse }
            @($files | Where-Object method -EQ 'PUT') | Should -HaveCount 1 -Because 'the upload of a local file is a PUT to the files origin, also without the key'
        }

        It 'the callback URL was called by the service only, without the key; our client never called it' {
            $callbacks = @($script:Redirector.Log | Where-Object PathAndQuery -EQ '/callback')
            $callbacks.Count | Should -BeGreaterThan 0
            foreach ($callback in $callbacks) {
                $callback.Method | Should -Be 'POST'
                $callback.Authorization | Should -BeNullOrEmpty
                $callback.UserAgent | Should -Not -Match '^Seedance/'
                Get-LeakCount $callback.Body | Should -Be 0
            }
            @($script:Stats.callbacks).Count | Should -BeGreaterThan 0
        }

        It 'a 302 from the API host to another origin is not followed (the key stays with the API host)' {
            $log = @($script:Redirector.Log)
            $toApi = @($log | Where-Object { $_.Port -eq $script:Redirector.ApiPort })
            $toApi | Should -HaveCount 1
            $toApi[0].PathAndQuery | Should -BeLike '/api/v1/jobs/recordInfo*'
            @($log | Where-Object { $_.Port -eq $script:Redirector.OtherPort -and $_.PathAndQuery -ne '/callback' }) | Should -HaveCount 0
            $script:ErrorIds | Should -Contain 'UnexpectedResponse'
        }

        It 'plain http to a machine other than this one is refused before any request (<Source>)' -ForEach @(
            @{ Source = 'Set-SeedanceConfiguration' }
            @{ Source = 'SEEDANCE_BASE_URI' }
        ) {
            Set-SeedanceApiKey -PlainTextApiKey $script:Key -Scope Process
            try {
                if ($Source -eq 'SEEDANCE_BASE_URI') {
                    $env:SEEDANCE_BASE_URI = 'http://seedance.example.com/api/v1'
                    { Get-SeedanceTask 'demo_task_t2v_success' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
                }
                else {
                    { Set-SeedanceConfiguration -BaseUri 'http://seedance.example.com/api/v1' } | Should -Throw -ErrorId 'InvalidBaseUri,*'
                }
                # http to this machine (the emulator) is allowed: the key does not leave it.
                { Set-SeedanceConfiguration -BaseUri 'http://127.0.0.1:1/api/v1' } | Should -Not -Throw
            }
            finally {
                $env:SEEDANCE_BASE_URI = $null
                Clear-SeedanceSession
            }
        }
    }

    Context 'the key store' -Skip:$IsWindows {
        It 'was 0600 in a 0700 folder in the child run, and gone after Remove-SeedanceApiKey' {
            $script:Child.StdOut | Should -Match 'STORE_FILE_MODE=600'
            $script:Child.StdOut | Should -Match 'STORE_DIR_MODE=700'
            $script:Child.StdOut | Should -Match 'STORE_AFTER_REMOVE=False'
        }

        It 'holds the key in a 0600 file in a 0700 folder, removed by Remove-SeedanceApiKey' {
            $env:XDG_CONFIG_HOME = New-TestFolder -Prefix 'seedance-leak-store'
            try {
                Set-SeedanceApiKey -PlainTextApiKey $script:Key
                $path = Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey'
                Get-UnixMode $path | Should -Be '600'
                Get-UnixMode (Split-Path $path) | Should -Be '700'
                (Get-SeedanceConfiguration).KeyStorePath | Should -Be $path
                Remove-SeedanceApiKey
                Test-Path -LiteralPath $path | Should -BeFalse
                (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'None'
            }
            finally {
                Remove-Item -LiteralPath $env:XDG_CONFIG_HOME -Recurse -Force -ErrorAction SilentlyContinue
                $env:XDG_CONFIG_HOME = $script:Sandbox.ConfigDir
            }
        }
    }
}
