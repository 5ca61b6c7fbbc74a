#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Inputs that only waste money, against a hostile server that would take any create: refused before anything is
# sent (prompt with nothing visible; URL with whitespace, a second scheme or credentials) or warned about and sent
# (materials and callbacks on loopback or private addresses, which the service cannot reach; the same material twice).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileServer.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Server = Start-HostileServer
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Server

    function Get-Creates { @(Get-HostileLog -Server $script:Server | Where-Object path -EQ '/api/v1/jobs/createTask') }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    Stop-HostileServer $script:Server
}

Describe 'Inputs that only waste money' {
    BeforeEach {
        Reset-HostileServer -Server $script:Server
        Set-HostileRule -Server $script:Server -Rule @(@{ path = '/api/v1/jobs/createTask'; body = '{"taskId":"task_created"}' })
    }

    Context 'refused before sending' {
        It '<Name>: <ErrorId> on <Parameter>, target the value, nothing sent' -ForEach @(
            @{ Name = 'zero-width spaces only'; ErrorId = 'PromptEmpty'; Parameter = 'Prompt'; Arguments = @{ Prompt = "`u{200B}`u{200B}`u{FEFF}" } }
            @{ Name = 'word joiners and a soft hyphen'; ErrorId = 'PromptEmpty'; Parameter = 'Prompt'; Arguments = @{ Prompt = " `u{2060}`u{00AD}`t`u{3000} " } }
            @{ Name = 'control characters only'; ErrorId = 'PromptEmpty'; Parameter = 'Prompt'; Arguments = @{ Prompt = "`a`e`0" } }
            @{ Name = 'a space inside a URL'; ErrorId = 'UrlHasWhitespace'; Parameter = 'Image'; Arguments = @{ Image = 'https://cdn.example.com/my cat.png' } }
            # A newline before another URL separates two URLs (a CSV cell listing several); one inside a URL is refused.
            @{ Name = 'a newline inside a URL'; ErrorId = 'UrlHasWhitespace'; Parameter = 'Video'; Arguments = @{ Video = "https://cdn.example.com/a`n.mp4" } }
            @{ Name = 'two URLs run together'; ErrorId = 'UrlHasSecondScheme'; Parameter = 'Image'; Arguments = @{ Image = 'https://cdn.example.com/a.pnghttps://cdn.example.com/b.png' } }
            @{ Name = 'a doubled scheme'; ErrorId = 'UrlHasSecondScheme'; Parameter = 'Image'; Arguments = @{ Image = 'https://https://cdn.example.com/a.png' } }
            @{ Name = 'user and password in a material URL'; ErrorId = 'UrlHasCredentials'; Parameter = 'Image'; Arguments = @{ Image = 'https://bob:s3cret-pass@cdn.example.com/a.png' } }
            @{ Name = 'a user in a material URL'; ErrorId = 'UrlHasCredentials'; Parameter = 'Video'; Arguments = @{ Video = 'https://bob@cdn.example.com/a.mp4' } }
            @{ Name = 'user and password in the callback'; ErrorId = 'UrlHasCredentials'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = 'https://hook:s3cret-pass@hooks.example.com/seedance' } }
            @{ Name = 'a space inside the callback'; ErrorId = 'UrlHasWhitespace'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = 'https://hooks.example.com/my hook' } }
            @{ Name = 'a bell in the callback'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = "https://hooks.example.com/cb`a" } }
            @{ Name = 'a right-to-left override in the callback'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = "https://hooks.example.com/`u{202E}cb" } }
            @{ Name = 'an escape in a material URL'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'Image'; Arguments = @{ Image = "https://cdn.example.com/a`e[2J.png" } }
            # .NET reads https:/\ (and https:\/, http:/\) as https://: not in the plain form the gate reads, so refused as such.
            @{ Name = 'user and password in a https:/\ material URL'; ErrorId = 'InvalidMaterialUrl'; Parameter = 'Image'; Arguments = @{ Image = 'https:/\bob:s3cret-pass@cdn.example.com/a.png' } }
            @{ Name = 'user and password in a https:/\ callback'; ErrorId = 'InvalidCallbackUri'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = 'https:/\hook:s3cret-pass@hooks.example.com/seedance' } }
            @{ Name = 'a 70,000-character callback'; ErrorId = 'CallbackUriTooLong'; Parameter = 'CallbackUri'; Arguments = @{ CallbackUri = 'https://hooks.example.com/cb?x=' + ('a' * 70000) } }
        ) {
            if (-not $Arguments.ContainsKey('Prompt')) { $Arguments.Prompt = 'a fox' }
            $out = New-SeedanceTask @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $problems | Should -Not -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].Exception.ParamName | Should -Be $Parameter
            "$($problems[0].Exception.Message) $($problems[0].TargetObject)" | Should -Not -Match 's3cret-pass'
            Get-Creates | Should -HaveCount 0
        }

        It 'a callback with a control character or over 2,048 characters: the value as given is the target, the message has no control character' -ForEach @(
            # Written with {BEL}/{ESC} for the control characters: Pester writes each case's data into its XML report,
            # and a raw control character there is invalid XML that fails the whole report.
            @{ Callback = 'https://hooks.example.com/cb{BEL}{ESC}]0;owned{BEL}' }
            @{ Callback = 'https://hooks.example.com/cb?x=' + ('a' * 2018) }
        ) {
            $Callback = $Callback.Replace('{BEL}', "`a").Replace('{ESC}', "`e")
            $Callback.Length | Should -BeGreaterThan 30
            New-SeedanceTask -Prompt 'a fox' -CallbackUri $Callback -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems[0].TargetObject | Should -BeExactly $Callback
            $problems[0].Exception.Message | Should -Not -Match '[\x00-\x1f]'
            Get-Creates | Should -HaveCount 0
        }

        It '<Name>: <ErrorId> on <Parameter>, the value as given is the target, nothing sent' -ForEach @(
            # {U+XXXX} stands for the character: raw, it would be written into the XML report (see above).
            @{ Name = 'an encoded line break in the callback'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'CallbackUri'; Value = 'https://ok.example/cb%0d%0aX-Injected:1' }
            @{ Name = 'an encoded bell in the callback'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'CallbackUri'; Value = 'https://ok.example/cb%07' }
            @{ Name = 'a trailing next-line in the callback'; ErrorId = 'UrlHasWhitespace'; Parameter = 'CallbackUri'; Value = 'https://ok.example/cb{U+0085}' }
            @{ Name = 'a trailing line separator in the callback'; ErrorId = 'UrlHasWhitespace'; Parameter = 'CallbackUri'; Value = 'https://ok.example/cb{U+2028}' }
            @{ Name = 'an ideographic full stop in the callback host'; ErrorId = 'UrlHostNotAscii'; Parameter = 'CallbackUri'; Value = 'https://ok.example{U+3002}evil/cb' }
            @{ Name = 'a non-ASCII callback host'; ErrorId = 'UrlHostNotAscii'; Parameter = 'CallbackUri'; Value = 'https://{U+043F}{U+0440}{U+0438}{U+043C}{U+0435}{U+0440}.{U+0440}{U+0444}/cb' }
            @{ Name = 'an encoded line break in a material URL'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'Image'; Value = 'https://cdn.example.com/a%0d%0a.png' }
            @{ Name = 'a trailing line separator in a material URL'; ErrorId = 'UrlHasWhitespace'; Parameter = 'Image'; Value = 'https://cdn.example.com/a.png{U+2028}' }
            @{ Name = 'a fullwidth full stop in a material host'; ErrorId = 'UrlHostNotAscii'; Parameter = 'Video'; Value = 'https://cdn.example{U+FF0E}evil/a.mp4' }
            # Each written so that .NET reads it as https://... while the text has no "://": still judged, or refused as not plain.
            @{ Name = 'a non-ASCII https:/\ callback host'; ErrorId = 'InvalidCallbackUri'; Parameter = 'CallbackUri'; Value = 'https:/\{U+043F}{U+0440}{U+0438}{U+043C}{U+0435}{U+0440}.{U+0440}{U+0444}/cb' }
            @{ Name = 'an ideographic full stop in a https:\/ callback host'; ErrorId = 'InvalidCallbackUri'; Parameter = 'CallbackUri'; Value = 'https:\/ok.example{U+3002}evil/cb' }
            @{ Name = 'a second scheme in a HTTPS:/\ callback'; ErrorId = 'InvalidCallbackUri'; Parameter = 'CallbackUri'; Value = 'HTTPS:/\ok.example/x.pnghttps://b.example/y.png' }
            @{ Name = 'a bell in a https:/\ material URL'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'Image'; Value = 'https:/\ok.example/a{U+0007}b.png' }
            @{ Name = 'an encoded line break in a https:/\ material URL'; ErrorId = 'UrlHasControlCharacter'; Parameter = 'Image'; Value = 'https:/\ok.example/cb%0d%0aX:1' }
            @{ Name = 'a space in a http:/\ material URL'; ErrorId = 'UrlHasWhitespace'; Parameter = 'Image'; Value = 'http:/\ok.example/a b.png' }
            @{ Name = 'an ideographic full stop in a http:/\ material host'; ErrorId = 'InvalidMaterialUrl'; Parameter = 'Image'; Value = 'http:/\ok.example{U+3002}evil/a.png' }
        ) {
            $Value = [regex]::Replace($Value, '\{U\+([0-9A-F]{4})\}', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 16) })
            $arguments = @{ Prompt = 'a fox'; $Parameter = $Value }
            New-SeedanceTask @arguments -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].Exception.ParamName | Should -Be $Parameter
            $problems[0].TargetObject | Should -BeExactly $Value
            Get-Creates | Should -HaveCount 0
        }

        It 'a callback of exactly 2,048 characters is sent' {
            $callback = 'https://hooks.example.com/cb?x=' + ('a' * 2017)
            $callback.Length | Should -Be 2048
            New-SeedanceTask -Prompt 'a fox' -CallbackUri $callback | Should -Not -BeNullOrEmpty
            Get-Creates | Should -HaveCount 1
        }

        It 'a second scheme inside the query (an image proxy) is accepted' {
            New-SeedanceTask -Prompt 'a fox' -Image 'https://images.example.com/fetch?url=https://cdn.example.com/a.png' | Should -Not -BeNullOrEmpty
            Get-Creates | Should -HaveCount 1
        }
    }

    Context 'warned about, and sent' {
        # The server here is on loopback: loopback materials are tried below, and with a public service in the xunit
        # tests (WasteValidatorTests).
        It '<Name>: a warning that the service cannot reach it' -ForEach @(
            @{ Name = '10/8 address'; Arguments = @{ Image = 'http://10.1.2.3/cat.png' } }
            @{ Name = '172.16/12 address'; Arguments = @{ Image = 'https://172.20.0.5/cat.png' } }
            @{ Name = '192.168/16 address'; Arguments = @{ Image = 'http://192.168.1.20/cat.png' } }
            @{ Name = 'link-local (cloud metadata) address'; Arguments = @{ Image = 'http://169.254.169.254/latest/cat.png' } }
            @{ Name = 'IPv6 unique-local address'; Arguments = @{ Image = 'http://[fd00::5]/cat.png' } }
            @{ Name = 'a .local name'; Arguments = @{ Image = 'http://nas.local/cat.png' } }
            @{ Name = 'private callback'; Arguments = @{ CallbackUri = 'https://192.168.0.10/hook' } }
        ) {
            $task = New-SeedanceTask -Prompt 'a fox' @Arguments -WarningVariable warnings -WarningAction SilentlyContinue
            $task.TaskId | Should -Be 'task_created'
            @($warnings | Where-Object { "$_" -match 'cannot reach' }) | Should -HaveCount 1
            Get-Creates | Should -HaveCount 1
        }

        It '<Name>: no warning when the service is on this machine too, as the emulator is (issue 18)' -ForEach @(
            @{ Name = 'loopback image'; Arguments = @{ Image = 'http://127.0.0.1:8080/cat.png' } }
            @{ Name = 'localhost video'; Arguments = @{ Video = 'http://localhost/dance.mp4' } }
            @{ Name = 'IPv6 loopback'; Arguments = @{ Image = 'http://[::1]:8080/cat.png' } }
            @{ Name = 'loopback callback'; Arguments = @{ CallbackUri = 'http://localhost:9000/hook' } }
        ) {
            (Get-SeedanceConfiguration).BaseUri.Host | Should -Be '127.0.0.1'
            $task = New-SeedanceTask -Prompt 'a fox' @Arguments -WarningVariable warnings -WarningAction SilentlyContinue
            $task.TaskId | Should -Be 'task_created'
            @($warnings | Where-Object { "$_" -match 'cannot reach' }) | Should -BeNullOrEmpty
        }

        It 'the same material URL twice: a warning naming it' {
            $task = New-SeedanceTask -Prompt 'a fox @1 @2' -Image 'https://cdn.example.com/a.png', 'https://CDN.example.com/a.png' -WarningVariable warnings -WarningAction SilentlyContinue
            $task | Should -Not -BeNullOrEmpty
            @($warnings | Where-Object { "$_" -match 'more than once' -and "$_" -match 'cdn\.example\.com/a\.png' }) | Should -HaveCount 1
            Get-Creates | Should -HaveCount 1
        }

        It 'public URLs give no warning' {
            New-SeedanceTask -Prompt 'a fox @1' -Image 'https://cdn.example.com/a.png' -CallbackUri 'https://hooks.example.com/x' -WarningVariable warnings -WarningAction SilentlyContinue | Should -Not -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
        }
    }
}

Describe 'Control characters in CSV cells (issue 15)' {
    BeforeEach {
        Reset-HostileServer -Server $script:Server
        Set-HostileRule -Server $script:Server -Rule @(@{ path = '/api/v1/jobs/createTask'; body = '{"taskId":"task_clean"}' })
    }

    It 'a Prompt and a Name cell with terminal escapes reach neither the request, the task object nor a message' {
        # An OSC that retitles the window, a CSI that clears the screen, a bell, a bidi override, a carriage return.
        $row = [pscustomobject]@{ Prompt = "a fox`e]0;pwned`a in`e[2J snow`u{202E}`r"; Name = "row`e[31m-1" + [guid]::NewGuid().ToString('N') }

        $task = $row | New-SeedanceTask -Duration 4 -Verbose 4>&1 | Tee-Object -Variable everything | Where-Object { $_ -is [Seedance.Client.Models.SeedanceTask] }

        $task.Prompt | Should -BeExactly 'a fox in snow'
        $task.Name | Should -Match '^row-1[0-9a-f]{32}$'
        (Get-Creates)[0].body | Should -Not -Match '\\u001b|\\u0007|\\u202e|\\r'
        ($everything | Where-Object { $_ -isnot [Seedance.Client.Models.SeedanceTask] } | Out-String) | Should -Not -Match "[`e`a`u{202E}]"
    }
}
