#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Bad input is refused before anything is sent: one error per case with its own stable ErrorId, the category
# PowerShell users filter on, the offending value as TargetObject, a message that says what to do, and not a single
# request reaching the emulator (so no money spent). Also: what must keep working (CSV strings, "8s"), and the @N
# warning, which is a warning and not an error.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folder = New-TestFolder -Prefix 'seedance-badinput'
    $script:Unwritable = New-UnwritableFolder
    # A finished task to save; read once here, the counters are reset before every test.
    $script:Done = Get-SeedanceTask 'demo_task_t2v_success' -ErrorAction Stop

    function Invoke-Refused {
        # Runs $Script and returns {Output, Errors}: non-terminating errors from the error stream, and the
        # terminating one, if any, last.
        param([Parameter(Mandatory)] [scriptblock] $Script)
        $ErrorActionPreference = 'Continue'
        $output = [System.Collections.Generic.List[object]]::new()
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        try {
            foreach ($item in (& $Script 2>&1 3>$null)) {
                if ($item -is [System.Management.Automation.ErrorRecord]) { $errors.Add($item) } else { $output.Add($item) }
            }
        }
        catch { $errors.Add($_) }
        [pscustomobject]@{ Output = $output.ToArray(); Errors = $errors.ToArray() }
    }

    function Get-ErrorText([System.Management.Automation.ErrorRecord] $Record) {
        # What the user reads: ErrorDetails when set (it replaces the exception message), and the recommended action.
        $message = if ($Record.ErrorDetails -and $Record.ErrorDetails.Message) { $Record.ErrorDetails.Message } else { $Record.Exception.Message }
        ($message, $Record.ErrorDetails.RecommendedAction) -join ' '
    }

    function Assert-NothingSent {
        $stats = Get-EmulatorStats -Emulator $script:Emulator
        $stats.createRequests | Should -Be 0
        @($stats.apiRequests) | Should -HaveCount 0
        @($stats.fileRequests) | Should -HaveCount 0
    }

    function Assert-Refused {
        # The one contract every case below shares.
        param($Result, [string] $ErrorId, [string] $Category, $Target, [string] $Advice)
        $Result.Output | Should -BeNullOrEmpty
        $Result.Errors | Should -HaveCount 1
        $record = $Result.Errors[0]
        $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $record.CategoryInfo.Category | Should -Be $Category
        if ($Target -is [array]) { @($record.TargetObject) | Should -Be $Target }
        else { "$($record.TargetObject)" | Should -BeExactly "$Target" }
        Get-ErrorText $record | Should -Match $Advice
        Assert-NothingSent
    }

    $script:Https = 'https://cdn.example.com'
}

AfterAll {
    if ($script:Unwritable) { Remove-UnwritableFolder $script:Unwritable }
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Bad input is refused before any request' {
    BeforeEach {
        Clear-SeedanceSession
        $env:SEEDANCE_API_KEY = Get-TestApiKey
        $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    Context 'New-SeedanceTask' {
        It '<Case>: <ErrorId>' -ForEach @(
            @{ Case = 'duration 3'; Parameters = @{ Duration = 3 }; ErrorId = 'InvalidDuration'; Target = 3; Advice = 'whole number of seconds from 4 to 15' }
            @{ Case = 'duration 16'; Parameters = @{ Duration = 16 }; ErrorId = 'InvalidDuration'; Target = 16; Advice = 'whole number of seconds from 4 to 15' }
            @{ Case = "duration 'abc'"; Parameters = @{ Duration = 'abc' }; ErrorId = 'InvalidDuration'; Target = 'abc'; Advice = "'abc' is not a number.*from 4 to 15" }
            @{ Case = 'duration 8.5 (not rounded to 8)'; Parameters = @{ Duration = 8.5 }; ErrorId = 'InvalidDuration'; Target = '8.5'; Advice = 'not a whole number.*from 4 to 15' }
            @{ Case = "ratio '5:4'"; Parameters = @{ Ratio = '5:4' }; ErrorId = 'InvalidRatio'; Target = '5:4'; Advice = 'Use one of: 16:9, 9:16' }
            @{ Case = 'an empty prompt'; Parameters = @{ Prompt = '' }; ErrorId = 'PromptEmpty'; Target = ''; Advice = 'Describe the video' }
            @{ Case = 'a blank prompt'; Parameters = @{ Prompt = "  `t " }; ErrorId = 'PromptEmpty'; Target = "  `t "; Advice = 'Describe the video' }
            @{ Case = 'a 4,001-character prompt'; Parameters = @{ Prompt = 'p' * 4001 }; ErrorId = 'PromptTooLong'; Target = 'p' * 4001; Advice = '4001 characters.*at most 4000.*Shorten it by 1 ' }
            @{ Case = 'a 31 s seedance2-5'; Parameters = @{ Model = 'seedance2-5'; Duration = 31 }; ErrorId = 'InvalidDuration'; Target = 31; Advice = 'seedance2-5 video is 4 to 30 seconds' }
            @{ Case = '-Mode Sideways'; Parameters = @{ Mode = 'Sideways' }; ErrorId = 'InvalidMode'; Target = 'sideways'; Advice = 'Use Keyframe or Reference' }
        ) {
            $arguments = @{ Prompt = 'a lighthouse at dawn' }
            foreach ($name in $Parameters.Keys) { $arguments[$name] = $Parameters[$name] }
            $result = Invoke-Refused { New-SeedanceTask @arguments }
            Assert-Refused $result -ErrorId $ErrorId -Category 'InvalidArgument' -Target $Target -Advice $Advice
        }

        It '<Case>: <ErrorId>' -ForEach @(
            @{ Case = '4 videos'; Videos = 4; Images = 0; Mode = $null; ErrorId = 'TooManyVideos'; Parameter = 'Video'; Advice = 'at most 3\. Remove 1 of them' }
            @{ Case = '10 images'; Videos = 0; Images = 10; Mode = $null; ErrorId = 'TooManyImages'; Parameter = 'Image'; Advice = 'at most 9\. Remove 1 of them' }
            @{ Case = '3 images with -Mode Keyframe'; Videos = 0; Images = 3; Mode = 'Keyframe'; ErrorId = 'KeyframeTooManyImages'; Parameter = 'Image'; Advice = 'Use -Mode Reference' }
            @{ Case = 'a video with -Mode Keyframe'; Videos = 1; Images = 1; Mode = 'Keyframe'; ErrorId = 'KeyframeWithVideo'; Parameter = 'Video'; Advice = 'Use -Mode Reference or leave -Mode out' }
        ) {
            $images = @(if ($Images) { 1..$Images | ForEach-Object { "$script:Https/image$_.png" } })
            $videos = @(if ($Videos) { 1..$Videos | ForEach-Object { "$script:Https/clip$_.mp4" } })
            $arguments = @{ Prompt = 'materials'; Image = $images; Video = $videos }
            if ($Mode) { $arguments.Mode = $Mode }
            $result = Invoke-Refused { New-SeedanceTask @arguments }
            $target = if ($Parameter -eq 'Video') { $videos } else { $images }
            Assert-Refused $result -ErrorId $ErrorId -Category 'InvalidArgument' -Target $target -Advice $Advice
            $result.Errors[0].Exception.ParamName | Should -Be $Parameter
        }

        It '<Parameter> <Value>: <ErrorId>' -ForEach @(
            @{ Parameter = 'Image'; Value = 'ftp://cdn.example.com/cat.png'; ErrorId = 'InvalidMaterialUrl'; Advice = 'only over http\(s\): give a public link such as https://' }
            @{ Parameter = 'Image'; Value = 'https://'; ErrorId = 'InvalidMaterialUrl'; Advice = 'give a public link such as https://' }
            @{ Parameter = 'Video'; Value = 'ftp://cdn.example.com/clip.mp4'; ErrorId = 'InvalidMaterialUrl'; Advice = 'give a public link such as https://' }
            # Local paths (and text that is neither a URL nor a file) are files to upload now: Uploads.Tests.ps1 covers them.
            @{ Parameter = 'CallbackUri'; Value = 'hooks/seedance'; ErrorId = 'InvalidCallbackUri'; Advice = 'Give a public https:// URL that accepts POST' }
            @{ Parameter = 'CallbackUri'; Value = 'ftp://hooks.example.com/seedance'; ErrorId = 'InvalidCallbackUri'; Advice = 'Give a public https:// URL that accepts POST' }
            @{ Parameter = 'CallbackUri'; Value = 'https://'; ErrorId = 'InvalidCallbackUri'; Advice = 'Give a public https:// URL that accepts POST' }
        ) {
            $arguments = @{ Prompt = 'a cat'; $Parameter = $Value }
            $result = Invoke-Refused { New-SeedanceTask @arguments }
            Assert-Refused $result -ErrorId $ErrorId -Category 'InvalidArgument' -Target $Value -Advice $Advice
            $result.Errors[0].Exception.ParamName | Should -Be $Parameter
        }

        It "a CSV row with duration 'abc' is refused, not created with the 5 s default" {
            $csv = Join-Path $script:Folder 'abc.csv'
            Set-Content -LiteralPath $csv -Value @('Prompt,Duration', 'a bad row,abc')
            $result = Invoke-Refused { Import-Csv -LiteralPath $csv | New-SeedanceTask }
            # The row itself is the target (so a script can tie the error to it); the message quotes the value and the prompt.
            Assert-Refused $result -ErrorId 'InvalidDuration' -Category 'InvalidArgument' -Target '@{Prompt=a bad row; Duration=abc}' -Advice "'abc'.*from 4 to 15.*prompt 'a bad row'"
            $result.Errors[0].TargetObject.Duration | Should -BeExactly 'abc'
        }

        It 'a CSV row with a malformed callback URL is refused, not created without its callback' {
            $csv = Join-Path $script:Folder 'callback.csv'
            Set-Content -LiteralPath $csv -Value @('Prompt,CallbackUri', 'a bad row,http://')
            $result = Invoke-Refused { Import-Csv -LiteralPath $csv | New-SeedanceTask }
            Assert-Refused $result -ErrorId 'InvalidCallbackUri' -Category 'InvalidArgument' -Target '@{Prompt=a bad row; CallbackUri=http://}' -Advice "'http://'.*https://"
            $result.Errors[0].TargetObject.CallbackUri | Should -BeExactly 'http://'
        }

        It 'reports every problem of one input, one error each, and still sends nothing' {
            $result = Invoke-Refused { New-SeedanceTask -Prompt '' -Duration 'abc' -Ratio '5:4' -Model 'seedance2-fast' }
            @($result.Errors.FullyQualifiedErrorId -replace ',.*$' | Sort-Object) | Should -Be @('InvalidDuration', 'InvalidRatio', 'PromptEmpty')
            Assert-NothingSent
        }
    }

    Context 'the base URI and the key' {
        It 'Set-SeedanceConfiguration -BaseUri <Value>: InvalidBaseUri (<Why>)' -ForEach @(
            @{ Value = 'api/v1'; Why = 'not absolute'; Advice = 'not an absolute URI; use e\.g\. https://seedance2-pro\.com/api/v1' }
            @{ Value = 'http://seedance.example.com/api/v1'; Why = 'plain http to another host'; Advice = 'the key would travel in clear text\. Use https' }
            @{ Value = 'ftp://seedance.example.com/api/v1'; Why = 'not http(s)'; Advice = 'must use https' }
        ) {
            $result = Invoke-Refused { Set-SeedanceConfiguration -BaseUri $Value }
            Assert-Refused $result -ErrorId 'InvalidBaseUri' -Category 'InvalidArgument' -Target $Value -Advice $Advice
            (Get-SeedanceConfiguration).BaseUriSource | Should -Be 'Environment'
        }

        It 'SEEDANCE_BASE_URI <Value>: <Command> stops with InvalidBaseUri' -ForEach @(
            @{ Value = 'not a uri'; Command = 'Get-SeedanceTask'; Script = { Get-SeedanceTask 'demo_task_t2v_success' } }
            @{ Value = 'http://seedance.example.com/api/v1'; Command = 'New-SeedanceTask'; Script = { New-SeedanceTask 'insecure' } }
            @{ Value = 'seedance2-pro.com/api/v1'; Command = 'Wait-SeedanceTask'; Script = { Wait-SeedanceTask -TaskId 'demo_task_t2v_success' } }
        ) {
            $env:SEEDANCE_BASE_URI = $Value
            $result = Invoke-Refused $Script
            Assert-Refused $result -ErrorId 'InvalidBaseUri' -Category 'InvalidArgument' -Target $Value -Advice "SEEDANCE_BASE_URI is '$([regex]::Escape($Value))'.*https"
            # And Get-SeedanceConfiguration says why, instead of showing nothing.
            $config = Get-SeedanceConfiguration -WarningVariable warnings -WarningAction SilentlyContinue
            $config.BaseUriProblem | Should -Match 'SEEDANCE_BASE_URI'
            "$warnings" | Should -Match 'InvalidBaseUri'
        }

        It 'no key anywhere: ApiKeyNotSet (terminating) says how to set one' {
            $env:SEEDANCE_API_KEY = $null
            $result = Invoke-Refused { 'one', 'two' | New-SeedanceTask }
            Assert-Refused $result -ErrorId 'ApiKeyNotSet' -Category 'AuthenticationError' -Target $script:Emulator.ApiBaseUri -Advice "Set-SeedanceApiKey.*-Scope Process.*SEEDANCE_API_KEY"
            $result.Errors[0].Exception | Should -Not -BeOfType [System.Management.Automation.ParameterBindingException]
        }

        It 'Set-SeedanceApiKey with a blank key: ApiKeyEmpty' {
            $result = Invoke-Refused { Set-SeedanceApiKey -PlainTextApiKey '   ' -Scope Process }
            Assert-Refused $result -ErrorId 'ApiKeyEmpty' -Category 'InvalidArgument' -Target '' -Advice 'Pass the key'
        }
    }

    Context 'Save-SeedanceVideo' {
        It 'a destination folder that cannot be created: DestinationFolderNotCreated' {
            $blocker = Join-Path $script:Folder 'a-file'
            Set-Content -LiteralPath $blocker -Value 'not a folder'
            $path = Join-Path $blocker 'videos/'
            $result = Invoke-Refused { $script:Done | Save-SeedanceVideo -Path $path }
            Assert-Refused $result -ErrorId 'DestinationFolderNotCreated' -Category 'WriteError' -Target $path -Advice 'could not be created.*Nothing was created or paid for'
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'a file whose folder does not exist: DestinationFolderNotFound' {
            $path = Join-Path $script:Folder 'no-such-folder/video.mp4'
            $result = Invoke-Refused { $script:Done | Save-SeedanceVideo -Path $path }
            Assert-Refused $result -ErrorId 'DestinationFolderNotFound' -Category 'ObjectNotFound' -Target $path -Advice 'does not exist\. Create it first'
            Test-Path -LiteralPath (Split-Path $path) | Should -BeFalse
        }

        It 'a folder that cannot be written: DestinationNotWritable, no download started' {
            if (-not $script:Unwritable) {
                Set-ItResult -Skipped -Because "no folder this process cannot write to could be made (uid $(& id -u); chmod, chattr +i and /sys all writable)"
                return
            }
            $path = $script:Unwritable.Path
            $result = Invoke-Refused { $script:Done | Save-SeedanceVideo -Path $path }
            Assert-Refused $result -ErrorId 'DestinationNotWritable' -Category 'PermissionDenied' -Target $path -Advice 'folder you can write to'
            Test-Path -LiteralPath (Join-Path $path 'demo_task_t2v_success.mp4') | Should -BeFalse
        }

        It 'an existing file without -Force: FileExists, and the file is untouched' {
            $path = Join-Path $script:Folder 'keep-me.mp4'
            Set-Content -LiteralPath $path -Value 'the original' -NoNewline
            $before = (Get-Item -LiteralPath $path).LastWriteTimeUtc
            $result = Invoke-Refused { $script:Done | Save-SeedanceVideo -Path $path }
            Assert-Refused $result -ErrorId 'FileExists' -Category 'ResourceExists' -Target $path -Advice 'Use -Force to overwrite'
            Get-Content -LiteralPath $path -Raw | Should -BeExactly 'the original'
            (Get-Item -LiteralPath $path).LastWriteTimeUtc | Should -Be $before
        }
    }

    Context 'Get-SeedanceTask, Get-SeedanceCreditCost, Wait-SeedanceTask' {
        It 'Get-SeedanceTask with a blank id: EmptyTaskId' {
            $result = Invoke-Refused { Get-SeedanceTask -TaskId ' ' }
            Assert-Refused $result -ErrorId 'EmptyTaskId' -Category 'InvalidArgument' -Target ' ' -Advice 'task id is empty'
        }

        It 'Get-SeedanceTask with an empty id: EmptyTaskId (not a binding error)' {
            $result = Invoke-Refused { Get-SeedanceTask -TaskId '' }
            Assert-Refused $result -ErrorId 'EmptyTaskId' -Category 'InvalidArgument' -Target '' -Advice 'Give the id that New-SeedanceTask returned'
        }

        It 'Wait-SeedanceTask with a blank id: EmptyTaskId instead of silently skipping it' {
            $result = Invoke-Refused { Wait-SeedanceTask -TaskId ' ' }
            Assert-Refused $result -ErrorId 'EmptyTaskId' -Category 'InvalidArgument' -Target ' ' -Advice 'Give the id that New-SeedanceTask returned'
        }

        It 'Get-SeedanceCreditCost <Case>: <ErrorId>' -ForEach @(
            @{ Case = 'duration 3'; Parameters = @{ Duration = 3 }; ErrorId = 'InvalidDuration'; Target = 3; Advice = 'from 4 to 15' }
            @{ Case = "duration 'abc'"; Parameters = @{ Duration = 'abc' }; ErrorId = 'InvalidDuration'; Target = 'abc'; Advice = 'not a number.*from 4 to 15' }
            @{ Case = "model 'x'"; Parameters = @{ Duration = 5; Model = 'x' }; ErrorId = 'UnknownModel'; Target = 'x'; Advice = "'x' has no price in the catalog \(its models: seedance-20, seedance2-fast, seedance2.0-mini, seedance2-5" }
        ) {
            $result = Invoke-Refused { Get-SeedanceCreditCost @Parameters }
            Assert-Refused $result -ErrorId $ErrorId -Category 'InvalidArgument' -Target $Target -Advice $Advice
        }

        It 'Wait-SeedanceTask -Timeout -5: PowerShell''s own ValidateRange error' {
            $result = Invoke-Refused { Wait-SeedanceTask -TaskId 'demo_task_t2v_success' -Timeout -5 }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $result.Errors[0].Exception.Message | Should -Match 'greater than or equal to -1'
            Assert-NothingSent
        }
    }
}

Describe 'What must keep working' {
    BeforeEach {
        Clear-SeedanceSession
        $env:SEEDANCE_API_KEY = Get-TestApiKey
        $env:SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
        Reset-EmulatorStats -Emulator $script:Emulator
    }

    It 'Import-Csv | New-SeedanceTask with "5", " 8 " and "10s" strings creates 5, 8 and 10 s tasks' {
        $csv = Join-Path $script:Folder 'good.csv'
        Set-Content -LiteralPath $csv -Value @('Prompt,Duration', 'five,5', 'eight, 8 ', 'ten,10s')
        $tasks = Import-Csv -LiteralPath $csv | New-SeedanceTask -ErrorAction Stop
        $tasks.Duration | Should -Be @(5, 8, 10)
        foreach ($task in $tasks) {
            (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request.inputs.duration | Should -BeExactly "$($task.Duration)s"
        }
    }

    It 'a blank callback cell means no callback' {
        $csv = Join-Path $script:Folder 'blank-callback.csv'
        Set-Content -LiteralPath $csv -Value @('Prompt,CallbackUri', 'no callback,')
        $task = Import-Csv -LiteralPath $csv | New-SeedanceTask -ErrorAction Stop
        (Get-EmulatorTask -Emulator $script:Emulator -TaskId $task.TaskId).request.PSObject.Properties.Name | Should -Not -Contain 'callBackUrl'
    }

    It 'Get-SeedanceCreditCost takes "8s" and a [int]' {
        (Get-SeedanceCreditCost '8s').Credits | Should -Be 320
        (Get-SeedanceCreditCost ([int]8)).Credits | Should -Be 320
    }

    It 'an @N beyond the materials is a warning naming N and the count, and the task is still created' {
        $images = "$script:Https/a.png", "$script:Https/b.png"
        $task = New-SeedanceTask -Prompt '@1 meets @2 under @3' -Image $images -WarningVariable warnings -WarningAction SilentlyContinue
        $task.TaskId | Should -Match '^task_'
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match '@3'
        "$warnings" | Should -Match '2 material\(s\)'
        (Get-EmulatorStats -Emulator $script:Emulator).tasksCreated | Should -Be 1
    }

    It '@1..@N within the materials: no warning' {
        $images = "$script:Https/a.png", "$script:Https/b.png"
        $task = New-SeedanceTask -Prompt '@1 meets @2 and @3 watches' -Image $images -Video "$script:Https/c.mp4" -WarningVariable warnings -WarningAction SilentlyContinue
        $task.TaskId | Should -Match '^task_'
        $warnings | Should -HaveCount 0
    }
}
