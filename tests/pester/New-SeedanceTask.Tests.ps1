#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-SeedanceTask against the emulator: what it emits, and the createTask body the service receives.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator

    # The createTask body exactly as the emulator received it.
    function Get-SentBody([string] $TaskId) { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $TaskId).request }
    function Get-InputNames([string] $TaskId) { @((Get-SentBody $TaskId).inputs.PSObject.Properties.Name) }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'New-SeedanceTask' {
    BeforeEach { Reset-EmulatorStats -Emulator $script:Emulator }

    Context 'what it emits' {
        It 'emits the created task at once, without polling it' {
            $task = New-SeedanceTask -Prompt 'a lighthouse at dawn' -Duration 8

            $task | Should -HaveCount 1
            $task.GetType().FullName | Should -Be 'Seedance.Client.Models.SeedanceTask'
            $task.TaskId | Should -Match '^task_'
            $task.Status | Should -Be 'Waiting'
            $task.Model | Should -Be 'seedance-20'
            $task.Prompt | Should -Be 'a lighthouse at dawn'
            $task.Duration | Should -Be 8
            $task.Ratio | Should -Be '16:9'
            $task.CreatedAt | Should -Not -BeNullOrEmpty

            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 1
            $stats.recordInfoRequests | Should -Be 0
            (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).taskId | Should -Be $task.TaskId
        }

        It 'uses the defaults: seedance-20, 5 s, 16:9' {
            $task = New-SeedanceTask 'defaults'
            $task.Model | Should -Be 'seedance-20'
            $task.Duration | Should -Be 5
            $task.Ratio | Should -Be '16:9'
        }

        It 'sends the key as a Bearer header and JSON to the API origin' {
            $null = New-SeedanceTask 'headers'
            $create = @((Get-EmulatorStats -Emulator $script:Emulator).apiRequests | Where-Object path -EQ '/api/v1/jobs/createTask')
            $create | Should -HaveCount 1
            $create[0].method | Should -Be 'POST'
            $create[0].hasAuthorization | Should -BeTrue
            $create[0].contentType | Should -Match '^application/json'
        }

        It 'creates one task per piped prompt, in order' {
            $tasks = 'first prompt', 'second prompt', 'third prompt' | New-SeedanceTask
            $tasks | Should -HaveCount 3
            $tasks.Prompt | Should -Be @('first prompt', 'second prompt', 'third prompt')
            ($tasks.TaskId | Select-Object -Unique) | Should -HaveCount 3
            (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated | Should -Be 3
        }
    }

    Context 'the createTask body' {
        It 'sends duration as a string with "s", the model, prompt and ratio' {
            $task = New-SeedanceTask -Prompt 'body check' -Duration 5 -Ratio '9:16' -Model 'seedance2-fast'
            $body = Get-SentBody $task.TaskId

            $body.model | Should -Be 'seedance2-fast'
            $body.inputs.prompt | Should -Be 'body check'
            $body.inputs.ratio | Should -Be '9:16'
            $body.inputs.duration | Should -BeOfType [string]
            $body.inputs.duration | Should -BeExactly '5s'
        }

        It 'sends <Duration> seconds as "<Expected>"' -ForEach @(
            @{ Duration = 4; Expected = '4s' }
            @{ Duration = 10; Expected = '10s' }
            @{ Duration = 15; Expected = '15s' }
        ) {
            $task = New-SeedanceTask -Prompt "duration $Duration" -Duration $Duration
            (Get-SentBody $task.TaskId).inputs.duration | Should -BeExactly $Expected
        }

        It 'sends no urls, videoUrls, mode or callBackUrl for a text-only task' {
            $task = New-SeedanceTask 'text only'
            $names = Get-InputNames $task.TaskId
            $names | Should -Not -Contain 'urls'
            $names | Should -Not -Contain 'videoUrls'
            $names | Should -Not -Contain 'mode'
            (Get-SentBody $task.TaskId).PSObject.Properties.Name | Should -Not -Contain 'callBackUrl'
        }

        It 'sends <Count> image(s) as urls and no mode (first/last frame)' -ForEach @(
            @{ Count = 1 }
            @{ Count = 2 }
        ) {
            $images = 1..$Count | ForEach-Object { "https://cdn.example.com/frame$_.png" }
            $task = New-SeedanceTask -Prompt 'image to video' -Image $images
            $body = Get-SentBody $task.TaskId
            @($body.inputs.urls) | Should -Be $images
            Get-InputNames $task.TaskId | Should -Not -Contain 'mode'
            Get-InputNames $task.TaskId | Should -Not -Contain 'videoUrls'
        }

        It 'sends mode "reference" for more than two images' {
            $images = 1..3 | ForEach-Object { "https://cdn.example.com/ref$_.png" }
            $task = New-SeedanceTask -Prompt 'three references' -Image $images
            $body = Get-SentBody $task.TaskId
            @($body.inputs.urls) | Should -Be $images
            $body.inputs.mode | Should -BeExactly 'reference'
        }

        It 'sends videoUrls and mode "reference" when a video is given' {
            $task = New-SeedanceTask -Prompt 'restyle @1' -Video 'https://cdn.example.com/clip.mp4'
            $body = Get-SentBody $task.TaskId
            @($body.inputs.videoUrls) | Should -Be @('https://cdn.example.com/clip.mp4')
            $body.inputs.mode | Should -BeExactly 'reference'
            Get-InputNames $task.TaskId | Should -Not -Contain 'urls'
        }

        It 'sends mode "keyframe" when -Mode Keyframe is explicit' {
            $task = New-SeedanceTask -Prompt 'explicit keyframe' -Image 'https://cdn.example.com/a.png' -Mode Keyframe
            (Get-SentBody $task.TaskId).inputs.mode | Should -BeExactly 'keyframe'
        }

        It 'sends mode "reference" when -Mode Reference is explicit, even with one image' {
            $task = New-SeedanceTask -Prompt 'explicit reference' -Image 'https://cdn.example.com/a.png' -Mode Reference
            (Get-SentBody $task.TaskId).inputs.mode | Should -BeExactly 'reference'
        }

        It 'sends callBackUrl when -CallbackUri is given' {
            $task = New-SeedanceTask -Prompt 'with callback' -CallbackUri 'https://hooks.example.com/seedance?job=7'
            (Get-SentBody $task.TaskId).callBackUrl | Should -Be 'https://hooks.example.com/seedance?job=7'
            (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).callBackUrl | Should -Be 'https://hooks.example.com/seedance?job=7'
        }

        It 'drops blank image entries (a blank CSV cell means no material)' {
            $task = New-SeedanceTask -Prompt 'blank cell' -Image '', ' '
            Get-InputNames $task.TaskId | Should -Not -Contain 'urls'
        }
    }

    Context 'validation: nothing is sent for a bad request' {
        It 'refuses <Case> with <ErrorId> and sends nothing' -ForEach @(
            @{ Case = 'an empty prompt'; Parameters = @{ Prompt = '' }; ErrorId = 'PromptEmpty' }
            @{ Case = 'a 3 s duration'; Parameters = @{ Prompt = 'x'; Duration = 3 }; ErrorId = 'InvalidDuration' }
            @{ Case = 'a 16 s duration'; Parameters = @{ Prompt = 'x'; Duration = 16 }; ErrorId = 'InvalidDuration' }
            @{ Case = 'a 31 s seedance2-5'; Parameters = @{ Prompt = 'x'; Model = 'seedance2-5'; Duration = 31 }; ErrorId = 'InvalidDuration' }
            @{ Case = 'extend without its video'; Parameters = @{ Prompt = 'x'; Model = 'seedance2-5-extend'; Duration = 5 }; ErrorId = 'VideoRequired' }
            @{ Case = 'an unknown ratio'; Parameters = @{ Prompt = 'x'; Ratio = '2:1' }; ErrorId = 'InvalidRatio' }
            @{ Case = 'a folder as an image'; Parameters = @{ Prompt = 'x'; Image = [IO.Path]::GetTempPath() }; ErrorId = 'MaterialNotAFile' }
            @{ Case = 'four videos'; Parameters = @{ Prompt = 'x'; Video = (1..4 | ForEach-Object { "https://cdn.example.com/v$_.mp4" }) }; ErrorId = 'TooManyVideos' }
            @{ Case = 'keyframe with three images'; Parameters = @{ Prompt = 'x'; Mode = 'Keyframe'; Image = (1..3 | ForEach-Object { "https://cdn.example.com/i$_.png" }) }; ErrorId = 'KeyframeTooManyImages' }
        ) {
            $out = New-SeedanceTask @Parameters -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -Not -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
        }

        It 'refuses a request that carries the API key in <Parameter> (SecurityError, the parameter named, never the key) and writes it nowhere' -ForEach @(
            @{ Parameter = 'CallbackUri'; Parameters = @{ Prompt = 'cb'; CallbackUri = 'https://hooks.example.com/x?k=KEY' } }
            @{ Parameter = 'CallbackUri'; Parameters = @{ Prompt = 'cb'; CallbackUri = 'https://hooks.example.com/a b?k=KEY' } }
            @{ Parameter = 'CallbackUri'; Parameters = @{ Prompt = 'cb'; CallbackUri = 'ftp://hooks.example.com/x?k=KEY' } }
            # The key as the URL's password or user name: the credentials refusal masks them in what it shows, the key check reads the URL as given.
            @{ Parameter = 'CallbackUri'; Parameters = @{ Prompt = 'cb'; CallbackUri = 'https://u:KEY@hooks.example.com/x' } }
            @{ Parameter = 'Image'; Parameters = @{ Prompt = 'img'; Image = 'https://KEY@cdn.example.com/a.png' } }
            @{ Parameter = 'Image'; Parameters = @{ Prompt = 'img'; Image = 'https://cdn.example.com/a.png?token=KEY' } }
        ) {
            $key = Get-TestApiKey
            $bound = @{}
            foreach ($entry in $Parameters.GetEnumerator()) { $bound[$entry.Key] = $entry.Value -replace 'KEY', $key }
            $out = New-SeedanceTask @bound -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'RequestContainsApiKey,*'
            $errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $errors[0].TargetObject | Should -Be $Parameter
            ($errors[0] | Out-String) + $errors[0].Exception.Message | Should -Not -Match ([regex]::Escape($key))
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
            if (Test-Path -LiteralPath $env:SEEDANCE_JOURNAL_PATH) {
                Get-Content -Raw -LiteralPath $env:SEEDANCE_JOURNAL_PATH | Should -Not -Match ([regex]::Escape($key))
            }
        }

        It 'refuses a piped row whose prompt carries the API key without making the row or its prompt the error''s target or message' {
            $key = Get-TestApiKey
            $rows = @([pscustomobject]@{ Prompt = "a kite $key"; Duration = 5 }, [pscustomobject]@{ Prompt = 'clean row'; Duration = 5 })
            $tasks = $rows | New-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
            $tasks.Prompt | Should -Be 'clean row'
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'RequestContainsApiKey,*'
            $errors[0].TargetObject | Should -Be 'Prompt'
            ($errors[0] | Out-String) + $errors[0].Exception.Message | Should -Not -Match ([regex]::Escape($key))
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 1
        }

        It 'skips a bad row but still creates the good ones in the same pipeline' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'good one'; Duration = 5 }
                [pscustomobject]@{ Prompt = 'bad one'; Duration = 99 }
                [pscustomobject]@{ Prompt = 'good two'; Duration = 4 }
            )
            $tasks = $rows | New-SeedanceTask -ErrorVariable errors -ErrorAction SilentlyContinue
            $tasks.Prompt | Should -Be @('good one', 'good two')
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDuration,*'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 2
        }
    }

    Context '-WhatIf' {
        It 'sends no request and emits nothing' {
            $out = New-SeedanceTask -Prompt 'what if' -Duration 10 -WhatIf
            $out | Should -BeNullOrEmpty
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 0
            @($stats.apiRequests) | Should -HaveCount 0
        }

        It 'tells the cost in credits and dollars (child pwsh, host output captured)' {
            $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'a whatif fox' -Duration 8 -WhatIf
'a whatif whale' | New-SeedanceTask -Duration 15 -Model seedance2-fast -WhatIf
'@
            $result.ExitCode | Should -Be 0
            $text = $result.StdOut -replace '\s+', ' '
            $text | Should -Match 'What if:'
            $text | Should -Match '320 credits \(\$1\.60\)'
            $text | Should -Match "a whatif fox"
            $text | Should -Match '420 credits \(\$2\.10\)'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
        }

        It 'needs no key' {
            $saved = Save-TestEnvironment
            try {
                $env:SEEDANCE_API_KEY = $null
                { New-SeedanceTask -Prompt 'no key, what if' -WhatIf -ErrorAction Stop } | Should -Not -Throw
            }
            finally { Restore-TestEnvironment $saved }
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 0
        }
    }

    Context 'never creating a paid task twice' {
        AfterEach {
            Clear-EmulatorFault -Emulator $script:Emulator
            $null = Set-EmulatorAccount -Emulator $script:Emulator -Credits 1000000
        }

        It 'retries a 429 (not taken, not charged) and creates the task once' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'status'; status = 429; retryAfter = 0; count = 1 }
            $task = New-SeedanceTask 'rate limited once'
            $task.TaskId | Should -Match '^task_'
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 2
            $stats.tasksCreated | Should -Be 1
        }

        It 'does not retry a create whose answer was lost: CreateOutcomeUnknown, one task' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'drop'; process = $true; count = 1 }
            $caught = $null
            try { New-SeedanceTask 'answer lost' -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'CreateOutcomeUnknown,*'
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $stats.createRequests | Should -Be 1
            $stats.tasksCreated | Should -Be 1
        }

        It 'does not retry a create that got a 500: a ServerError error, one request' {
            Add-EmulatorFault -Emulator $script:Emulator -Rule @{ path = '/api/v1/jobs/createTask'; kind = 'status'; status = 500; count = 1 }
            $out = New-SeedanceTask 'server error' -ErrorVariable errors -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 1
        }

        It 'stops the batch on 402 and names the tasks it already created' {
            $null = Set-EmulatorAccount -Emulator $script:Emulator -Credits 250
            $created = [System.Collections.Generic.List[object]]::new()
            $caught = $null
            try { 'paid one', 'paid two', 'paid three' | New-SeedanceTask | ForEach-Object { $created.Add($_) } }
            catch { $caught = $_ }

            $created | Should -HaveCount 1
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits,*'
            $caught.CategoryInfo.Category | Should -Be 'QuotaExceeded'
            $caught.ErrorDetails.Message | Should -Match ([regex]::Escape($created[0].TaskId))
            # The third prompt was never sent.
            (Get-EmulatorStats -Emulator $script:Emulator).createRequests | Should -Be 2
        }
    }
}

Describe 'New-SeedanceTask completion (issue 18)' {
    It '-<Parameter> <Tab> inserts the values as they are, without quotes that PowerShell does not need' -ForEach @(
        @{ Parameter = 'Ratio'; Expected = '16:9' }
        @{ Parameter = 'Model'; Expected = 'seedance-20' }
        @{ Parameter = 'Duration'; Expected = '8' }
    ) {
        $line = "New-SeedanceTask -$Parameter "
        $texts = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $texts | Should -Contain $Expected
        @($texts | Where-Object { $_ -match "^'" }) | Should -BeNullOrEmpty
        # Each inserted value reads back as itself, unquoted.
        foreach ($text in $texts) { & ([scriptblock]::Create("Write-Output $text")) | Should -BeExactly $text }
    }
}

Describe 'New-SeedanceTask: no silent columns (issue 18)' {
    It 'names the columns that bind to nothing in one warning per command, before anything is sent' {
        $rows = @(
            [pscustomobject]@{ Prompt = 'a fox'; Name = 'cols-1'; Resolutoin = '1080p'; Colour = 'red' }
            [pscustomobject]@{ Prompt = 'a cat'; Name = 'cols-2'; Resolutoin = '1080p'; Colour = 'blue' }
        )
        $null = $rows | New-SeedanceTask -Duration 4 -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $about = @($warnings | Where-Object { "$_" -match 'No parameter of New-SeedanceTask takes' })
        $about | Should -HaveCount 1
        "$($about[0])" | Should -Match "'Resolutoin', 'Colour'"
        "$($about[0])" | Should -Not -Match "'Prompt'|'Name'"
    }

    It 'says nothing when every column binds (parameter names and aliases, any case)' {
        $row = [pscustomobject]@{ prompt = 'a fox'; AspectRatio = '16:9'; ImageUrl = ''; duration = '4' }
        $null = $row | New-SeedanceTask -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | Where-Object { "$_" -match 'No parameter of' }) | Should -BeNullOrEmpty
    }

    It "does not warn about the module's own columns when its tasks are exported and piped back" {
        $task = New-SeedanceTask 'an exported row' -Name 'cols-export' -Duration 4
        $csv = Join-Path ([IO.Path]::GetTempPath()) "seedance-cols-$PID.csv"
        try {
            $task | Export-Csv -LiteralPath $csv
            $null = Import-Csv -LiteralPath $csv | New-SeedanceTask -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings | Where-Object { "$_" -match 'No parameter of' }) | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }
}
