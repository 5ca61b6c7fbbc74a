#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The stored key: created with private parent folders whatever the umask; a store that another user owns or can
# read is refused (ApiKeyStoreInsecure), so no one can plant their key; a key that cannot travel in a header is
# refused when set; two processes setting and removing the key at once never fail or leave a temp file.

BeforeDiscovery {
    $script:IsRoot = (-not $IsWindows) -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Sandbox = Enter-TestSandbox -NoEnvironmentKey
    # A port nothing listens on: a request that escaped a refusal would fail here, never reach a real host.
    $env:SEEDANCE_BASE_URI = 'http://127.0.0.1:1/api/v1'
    $script:Folders = [System.Collections.Generic.List[string]]::new()

    function New-StoreRoot {
        $folder = New-TestFolder -Prefix 'seedance-store'
        $script:Folders.Add($folder)
        $folder
    }

    function Invoke-ChildWithUmask {
        # A child pwsh started by /bin/sh after 'umask 000': every folder and file it creates is 0777/0666 unless the
        # module asks for less. Returns {ExitCode, StdOut, StdErr}.
        param([string] $Script, [hashtable] $Environment)
        $scriptFile = Join-Path ([IO.Path]::GetTempPath()) ('seedance-umask-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $scriptFile -Value $Script
        $info = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in @('-c', 'umask 000 && exec "$@"', 'sh') + @(Get-PwshCommandLine) + @('-NoProfile', '-NonInteractive', '-File', $scriptFile)) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['SEEDANCE_TEST_MODULE'] = Get-TestModulePath
        $info.Environment.Remove('SEEDANCE_API_KEY') | Out-Null
        foreach ($name in $Environment.Keys) { $info.Environment[$name] = [string]$Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($info)
        $out = $process.StandardOutput.ReadToEndAsync(); $err = $process.StandardError.ReadToEndAsync()
        try {
            if (-not $process.WaitForExit(120000)) { $process.Kill($true) }
            [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $out.Result; StdErr = $err.Result }
        }
        finally { $process.Dispose(); Remove-Item -LiteralPath $scriptFile -Force -ErrorAction SilentlyContinue }
    }

    function Set-Store([string] $ConfigHome) {
        # Stores a key under $ConfigHome/seedance the normal way; returns the key file's path.
        $env:XDG_CONFIG_HOME = $ConfigHome
        Set-SeedanceApiKey -PlainTextApiKey 'sk-store-0123456789'
        Join-Path $ConfigHome 'seedance/apikey'
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
}

Describe 'The key store' -Skip:$IsWindows {
    AfterEach { $env:XDG_CONFIG_HOME = $script:Sandbox.ConfigDir; Clear-SeedanceSession }

    Context 'creating it under umask 000' {
        It 'creates every missing folder of XDG_CONFIG_HOME 0700, the store folder 0700, the key 0600' {
            $root = New-StoreRoot
            $config = Join-Path $root 'missing/deeper/config'
            $result = Invoke-ChildWithUmask -Script 'Import-Module $env:SEEDANCE_TEST_MODULE; Set-SeedanceApiKey -PlainTextApiKey sk-umask-0123456789; "DONE"' -Environment @{ XDG_CONFIG_HOME = $config }
            $result.StdOut | Should -Match 'DONE' -Because $result.StdErr
            foreach ($folder in 'missing', 'missing/deeper', 'missing/deeper/config', 'missing/deeper/config/seedance') {
                Get-UnixMode (Join-Path $root $folder) | Should -Be '700' -Because $folder
            }
            Get-UnixMode (Join-Path $config 'seedance/apikey') | Should -Be '600'
        }

        It 'creates a missing ~/.config 0700 (HOME, no XDG_CONFIG_HOME), and leaves existing folders alone' {
            $userHome = New-StoreRoot
            & chmod 0755 $userHome
            $result = Invoke-ChildWithUmask -Script 'Import-Module $env:SEEDANCE_TEST_MODULE; Set-SeedanceApiKey -PlainTextApiKey sk-umask-0123456789; "DONE"' -Environment @{ HOME = $userHome; XDG_CONFIG_HOME = '' }
            $result.StdOut | Should -Match 'DONE' -Because $result.StdErr
            Get-UnixMode (Join-Path $userHome '.config') | Should -Be '700'
            Get-UnixMode (Join-Path $userHome '.config/seedance') | Should -Be '700'
            Get-UnixMode (Join-Path $userHome '.config/seedance/apikey') | Should -Be '600'
            Get-UnixMode $userHome | Should -Be '755'
        }
    }

    Context 'reading it: a store someone else could have written is refused' {
        It '<Name>: ApiKeyStoreInsecure (terminating), naming the path and the fix; no key is used' -ForEach @(
            @{ Name = 'key file readable by the group'; Mode = '640'; Which = 'file' }
            @{ Name = 'key file readable by everyone'; Mode = '644'; Which = 'file' }
            @{ Name = 'key file writable by everyone'; Mode = '602'; Which = 'file' }
            @{ Name = 'store folder open to the group'; Mode = '770'; Which = 'folder' }
            @{ Name = 'store folder readable by everyone'; Mode = '755'; Which = 'folder' }
        ) {
            $file = Set-Store (New-StoreRoot)
            $path = if ($Which -eq 'file') { $file } else { Split-Path $file }
            & chmod $Mode $path
            foreach ($command in { Get-SeedanceTask -TaskId 'task_x' }, { Get-SeedanceConfiguration }) {
                $caught = $null
                try { & $command } catch { $caught = $_ }
                $caught | Should -Not -BeNullOrEmpty
                $caught.FullyQualifiedErrorId | Should -BeLike 'ApiKeyStoreInsecure,*'
                $caught.CategoryInfo.Category | Should -Be 'SecurityError'
                $caught.TargetObject | Should -Be $path
                $caught.Exception.Message | Should -Match ([regex]::Escape($path))
                "$($caught.Exception.Message) $($caught.ErrorDetails.RecommendedAction)" | Should -Match 'chmod|Set-SeedanceApiKey|Remove-SeedanceApiKey'
                "$($caught.Exception.Message)" | Should -Not -Match 'sk-store'
            }
            # The way out works: remove it and store the key again.
            Remove-SeedanceApiKey
            Set-SeedanceApiKey -PlainTextApiKey 'sk-store-0123456789'
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'CurrentUser'
        }

        It 'a store owned by another user: ApiKeyStoreInsecure (<Which>)' -Skip:(-not $script:IsRoot) -ForEach @(
            @{ Which = 'file' }, @{ Which = 'folder' }
        ) {
            $file = Set-Store (New-StoreRoot)
            $path = if ($Which -eq 'file') { $file } else { Split-Path $file }
            & chown 12345:12345 $path
            $caught = $null
            try { Get-SeedanceConfiguration } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ApiKeyStoreInsecure,*'
            $caught.Exception.Message | Should -Match '12345'
            $caught.TargetObject | Should -Be $path
        }

        It 'a key file that is a symbolic link to someone else''s file is refused' -Skip:(-not $script:IsRoot) {
            $file = Set-Store (New-StoreRoot)
            $planted = Join-Path (New-StoreRoot) 'planted'
            Set-Content -LiteralPath $planted -Value 'sk-planted-0123456789'
            & chmod 600 $planted
            & chown 12345:12345 $planted
            Remove-Item -LiteralPath $file
            $null = New-Item -ItemType SymbolicLink -Path $file -Target $planted
            { Get-SeedanceConfiguration } | Should -Throw -ErrorId 'ApiKeyStoreInsecure,*'
        }

        It 'a key file that is <Name> is refused (ApiKeyStoreInsecure), never followed or opened' -ForEach @(
            @{ Name = 'a FIFO'; Make = { param($file) & mkfifo $file }; Problem = 'FIFO' }
            @{ Name = 'a link of the user''s own to a 0600 file'; Make = { param($file) $other = "$file.real"; Copy-Item -LiteralPath "$file.bak" $other; & chmod 600 $other; $null = New-Item -ItemType SymbolicLink -Path $file -Target $other }; Problem = 'symbolic link' }
        ) {
            $file = Set-Store (New-StoreRoot)
            Move-Item -LiteralPath $file "$file.bak"
            & $Make $file
            $job = Start-ThreadJob { param($m) Import-Module $m; try { Get-SeedanceConfiguration } catch { $_ } } -ArgumentList (Get-TestModulePath)
            Wait-Job $job -Timeout 60 | Should -Not -BeNullOrEmpty -Because 'a FIFO must never hang the command'
            $caught = Receive-Job $job; Remove-Job $job -Force
            $caught.FullyQualifiedErrorId | Should -BeLike 'ApiKeyStoreInsecure,*'
            $caught.TargetObject | Should -Be $file
            $caught.Exception.Message | Should -Match $Problem
        }

        It 'the environment key still works beside an insecure store (the store is not read then)' {
            $file = Set-Store (New-StoreRoot)
            & chmod 644 $file
            $env:SEEDANCE_API_KEY = 'sk-env-0123456789'
            try { (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'Environment' }
            finally { $env:SEEDANCE_API_KEY = $null }
        }
    }

    Context 'Set-SeedanceApiKey refuses a key that cannot be sent' {
        It '<Name>: InvalidApiKey, nothing stored, the key not in the message' -ForEach @(
            @{ Name = 'a control character'; Key = "sk-abc`u{0007}def-0123456789" }
            @{ Name = 'a newline inside'; Key = "sk-abc`ndef-0123456789" }
            @{ Name = 'non-ASCII'; Key = 'sk-abcdéf-0123456789' }
            @{ Name = 'a space inside (a pasted "Bearer ...")'; Key = 'Bearer sk-abcdef-0123456789' }
        ) {
            $env:XDG_CONFIG_HOME = New-StoreRoot
            foreach ($scope in 'CurrentUser', 'Process') {
                $caught = $null
                try { Set-SeedanceApiKey -PlainTextApiKey $Key -Scope $scope } catch { $caught = $_ }
                $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidApiKey,*'
                $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $caught.Exception.Message | Should -Not -Match 'abc.?def'
                $caught.TargetObject | Should -BeNullOrEmpty
            }
            Test-Path -LiteralPath (Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey') | Should -BeFalse
            (Get-SeedanceConfiguration).ApiKeySource | Should -Be 'None'
        }
    }

    Context 'two processes at once' {
        It 'setting, reading and removing the key in a loop never fails and leaves no temp file' {
            $config = New-StoreRoot
            # Both start at the same moment (pwsh start-up times differ) and race for three seconds.
            $script = @'
Import-Module $env:SEEDANCE_TEST_MODULE
$failures = 0
$start = [DateTime]::new([long]$env:START_TICKS, 'Utc')
while ([DateTime]::UtcNow -lt $start) { }
$i = 0
while ([DateTime]::UtcNow -lt $start.AddSeconds(3)) {
    $i++
    try {
        Set-SeedanceApiKey -PlainTextApiKey "sk-race-$PID-$i-0123456789" -ErrorAction Stop
        $null = Get-SeedanceConfiguration -ErrorAction Stop
        Remove-SeedanceApiKey -ErrorAction Stop -Confirm:$false
    }
    catch { $failures++; "FAIL: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
}
"ROUNDS=$i"
"FAILURES=$failures"
'@
            $startTicks = [DateTime]::UtcNow.AddSeconds(8).Ticks
            $children = 1..2 | ForEach-Object { Start-ChildPwsh -Script $script -Environment @{ XDG_CONFIG_HOME = $config; SEEDANCE_API_KEY = $null; START_TICKS = $startTicks } }
            $results = $children | ForEach-Object { Wait-ChildPwsh -Child $_ -TimeoutSeconds 180 }
            foreach ($result in $results) {
                $result.StdOut | Should -Match 'FAILURES=0' -Because "$($result.StdOut) $($result.StdErr)"
            }
            @(Get-ChildItem -LiteralPath (Join-Path $config 'seedance') -Force | Where-Object Name -NE 'apikey') | Should -BeNullOrEmpty
        }
    }
}
