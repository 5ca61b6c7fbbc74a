# Helpers shared by the Pester tests: the built module's path, the API emulator as a child process and its control
# API, environment isolation (key store, env vars), and running a script in a child pwsh.
#
# The suite runs against the BUILT module (out/Seedance/<version>/Seedance.psd1) and the real emulator over loopback
# HTTP; tools/Invoke-PesterTests.ps1 passes both paths through SEEDANCE_TEST_MODULE and SEEDANCE_TEST_EMULATOR.

Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot)
$script:EnvNames = @('SEEDANCE_API_KEY', 'SEEDANCE_BASE_URI', 'XDG_CONFIG_HOME', 'SEEDANCE_JOURNAL_PATH', 'SEEDANCE_DAILY_CREDIT_LIMIT')

# No test may write the user's real task journal (~/.local/share/seedance/journal.jsonl): every process that imports
# these helpers, and every child it starts (they inherit the environment), journals into a temporary file unless a
# test chooses another. Enter-TestSandbox gives each test file a journal of its own.
if (-not $env:SEEDANCE_JOURNAL_PATH) {
    $env:SEEDANCE_JOURNAL_PATH = Join-Path ([IO.Path]::GetTempPath()) "seedance-test-journal-$PID/journal.jsonl"
}

# The key the emulator accepts by default (--api-key test-key).
$script:TestApiKey = 'test-key'

function Resolve-TestPath([string] $Path) {
    # The runner may pass relative paths (e.g. out/Seedance/0.1.0/Seedance.psd1): make them absolute, so that
    # Import-Module treats them as paths, and child processes started elsewhere still find them.
    [IO.Path]::GetFullPath($Path, (Get-Location -PSProvider FileSystem).ProviderPath)
}

function Get-TestModulePath {
    # The built module manifest under test.
    if ($env:SEEDANCE_TEST_MODULE) { return Resolve-TestPath $env:SEEDANCE_TEST_MODULE }
    $manifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'Seedance.psd1')
    return Join-Path $script:RepoRoot "out/Seedance/$($manifest.ModuleVersion)/Seedance.psd1"
}

function Get-TestEmulatorPath {
    if ($env:SEEDANCE_TEST_EMULATOR) { return Resolve-TestPath $env:SEEDANCE_TEST_EMULATOR }
    return Join-Path $script:RepoRoot 'out/emulator/Seedance.Emulator.dll'
}

function Get-TestApiKey { $script:TestApiKey }

function Get-PwshCommandLine {
    # The command that starts this same PowerShell: the dotnet tool runs as 'dotnet pwsh.dll'.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

function Get-InterruptDefaultPrefix {
    <#
    .SYNOPSIS
        What to start a child with so that it gets SIGINT (kill -s INT, Ctrl+C) as a pwsh started from a terminal does.
    .DESCRIPTION
        A process started with SIGINT ignored (a shell's `command &` without job control, nohup, some CI runners) hands
        that on to all its children, and .NET keeps an inherited SIG_IGN for SIGINT (it never installs its Ctrl+C handler
        over it). A test's `kill -s INT` then never reached the child pwsh, which went on waiting as if nothing happened
        (Batch's and Wait-SeedanceTask's SIGINT tests hung so whenever the run was started with `&`). Then the child is
        started through `env --default-signal=INT` (GNU coreutils 8.31+), which restores the default and execs the child
        (same process id). Linux only (/proc tells what is ignored); elsewhere nothing is added.
    #>
    if (-not (Test-InterruptIgnored)) { return @() }
    $envCommand = Get-Command env -CommandType Application -ErrorAction Stop | Select-Object -First 1
    return @($envCommand.Source, '--default-signal=INT')
}

function Test-InterruptIgnored {
    # Whether a process (this one by default) ignores SIGINT, as /proc says (Linux; elsewhere $false).
    param([int] $ProcessId = $PID)
    if (-not $IsLinux) { return $false }
    $ignored = @(Get-Content -LiteralPath "/proc/$ProcessId/status" | Where-Object { $_ -like 'SigIgn:*' }) -replace '^SigIgn:\s*', ''
    $sigintBit = [uint64]1 -shl (2 - 1)   # bit n-1 stands for signal n; SIGINT is 2
    return ($ignored.Count -gt 0) -and (([Convert]::ToUInt64($ignored[0], 16) -band $sigintBit) -ne 0)
}

function Get-DotnetCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return $process }
    $dotnet = Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1
    return $dotnet.Source
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
        Starts the emulator on free loopback ports; returns {ApiBaseUri, FilesBaseUri, ControlUri, Pid, Process}.
        It dies with this process (--parent-pid) even if Stop-TestEmulator is never reached.
    #>
    param(
        [double] $WaitingSeconds = 0.2,
        [double] $GeneratingSeconds = 0.5,
        [string[]] $ArgumentList = @()
    )

    $dll = Get-TestEmulatorPath
    if (-not (Test-Path $dll)) { throw "The emulator is not built at '$dll'. Run: dotnet pwsh ./build.ps1 Build" }

    $info = [System.Diagnostics.ProcessStartInfo]::new((Get-DotnetCommand))
    $info.ArgumentList.Add($dll)
    $arguments = @('--parent-pid', "$PID",
        '--waiting-seconds', ([string]::Format([cultureinfo]::InvariantCulture, '{0}', $WaitingSeconds)),
        '--generating-seconds', ([string]::Format([cultureinfo]::InvariantCulture, '{0}', $GeneratingSeconds))) + $ArgumentList
    foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $false

    $process = [System.Diagnostics.Process]::Start($info)
    # Logs go to stderr: drain it so the emulator can never block on a full pipe.
    $stderr = $process.StandardError.ReadToEndAsync()
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait([TimeSpan]::FromSeconds(60)) -or [string]::IsNullOrWhiteSpace($firstLine.Result)) {
        try { $process.Kill($true) } catch { }
        $errText = if ($stderr.Wait(2000)) { $stderr.Result } else { '' }
        throw "The emulator did not announce its ports. stderr: $errText"
    }

    $announced = $firstLine.Result | ConvertFrom-Json
    [pscustomobject]@{
        ApiBaseUri   = [string]$announced.apiBaseUri
        FilesBaseUri = [string]$announced.filesBaseUri
        ControlUri   = [string]$announced.controlUri
        Pid          = [int]$announced.pid
        Process      = $process
        StdErr       = $stderr
    }
}

function Stop-TestEmulator {
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        if ($null -eq $Emulator) { return }
        $process = $Emulator.Process
        try {
            if (-not $process.HasExited) {
                $process.Kill($true)
                $null = $process.WaitForExit(10000)
            }
        }
        catch { }
        finally { $process.Dispose() }
    }
}

function Invoke-EmulatorControl {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'Get',
        $Body
    )
    $parameters = @{ Uri = $Emulator.ControlUri + $Path; Method = $Method; NoProxy = $true; TimeoutSec = 30 }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function Get-EmulatorStats {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Path '/stats'
}

function Reset-EmulatorStats {
    # Clears counters, request logs and fault rules (tasks and account stay).
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path '/reset' -Method Post
}

function Get-EmulatorTask {
    # Tasks as recordInfo shows them, plus 'request' (the createTask body as received), callBackUrl, isDemo.
    param([Parameter(Mandatory)] $Emulator, [string] $TaskId)
    if ($TaskId) { return Invoke-EmulatorControl -Emulator $Emulator -Path "/tasks/$TaskId" }
    # Returned as one array: unroll it.
    (Invoke-EmulatorControl -Emulator $Emulator -Path '/tasks') | ForEach-Object { $_ }
}

function Add-EmulatorFault {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable[]] $Rule)
    $body = if ($Rule.Count -eq 1) { $Rule[0] } else { , $Rule }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path '/faults' -Method Post -Body $body
}

function Clear-EmulatorFault {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path '/faults' -Method Delete
}

function Get-EmulatorAccount {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Path '/account'
}

function Set-EmulatorAccount {
    param([Parameter(Mandatory)] $Emulator, [decimal] $Credits, [int] $MaxRunning)
    $body = @{}
    if ($PSBoundParameters.ContainsKey('Credits')) { $body.credits = $Credits }
    if ($PSBoundParameters.ContainsKey('MaxRunning')) { $body.maxRunning = $MaxRunning }
    Invoke-EmulatorControl -Emulator $Emulator -Path '/account' -Method Post -Body $body
}

function Save-TestEnvironment {
    # Snapshot of the env vars the module reads; give it back to Restore-TestEnvironment.
    $saved = @{}
    foreach ($name in $script:EnvNames) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $saved
}

function Restore-TestEnvironment {
    param([Parameter(Mandatory)] [hashtable] $Saved)
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

function New-TestFolder {
    # A fresh empty folder under the temp directory (for a key store, downloads, CSV files...).
    param([string] $Prefix = 'seedance-test')
    $path = Join-Path ([IO.Path]::GetTempPath()) ("$Prefix-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
    (New-Item -ItemType Directory -Path $path -Force).FullName
}

function Enter-TestSandbox {
    <#
    .SYNOPSIS
        Isolates the module's configuration: a private key-store folder (XDG_CONFIG_HOME), a task journal of its own
        (SEEDANCE_JOURNAL_PATH, in that folder; no daily limit), no session settings, and the env vars pointing at the
        emulator (or cleared with -NoEnvironmentKey). Returns what Exit-TestSandbox needs.
    #>
    param($Emulator, [switch] $NoEnvironmentKey)
    $sandbox = [pscustomobject]@{
        Saved     = Save-TestEnvironment
        ConfigDir = New-TestFolder -Prefix 'seedance-config'
    }
    $env:XDG_CONFIG_HOME = $sandbox.ConfigDir
    $env:SEEDANCE_JOURNAL_PATH = Join-Path $sandbox.ConfigDir 'journal/journal.jsonl'
    $env:SEEDANCE_DAILY_CREDIT_LIMIT = $null
    if ($Emulator -and -not $NoEnvironmentKey) {
        $env:SEEDANCE_API_KEY = $script:TestApiKey
        $env:SEEDANCE_BASE_URI = $Emulator.ApiBaseUri
    }
    else {
        $env:SEEDANCE_API_KEY = $null
        $env:SEEDANCE_BASE_URI = $null
    }
    Clear-SeedanceSession
    $sandbox
}

function Exit-TestSandbox {
    param($Sandbox)
    if ($null -eq $Sandbox) { return }
    Clear-SeedanceSession
    Restore-TestEnvironment $Sandbox.Saved
    if ($Sandbox.ConfigDir -and (Test-Path $Sandbox.ConfigDir)) { Remove-Item $Sandbox.ConfigDir -Recurse -Force -ErrorAction SilentlyContinue }
}

function Clear-SeedanceSession {
    # Session settings (the process's, and this runspace's) outlive a test file: forget them (the module must be imported).
    if (Get-Command Set-SeedanceConfiguration -ErrorAction Ignore) {
        Set-SeedanceConfiguration -Reset -Confirm:$false
        Remove-SeedanceApiKey -Scope Process -Confirm:$false
        # Settings of this runspace only, where the module knows that scope.
        if ((Get-Command Set-SeedanceConfiguration).Parameters.ContainsKey('Scope')) {
            Set-SeedanceConfiguration -Reset -Scope Runspace -Confirm:$false
            Remove-SeedanceApiKey -Scope Runspace -Confirm:$false
        }
    }
}

function Start-ChildPwsh {
    <#
    .SYNOPSIS
        Starts a script in a new pwsh process (the same PowerShell as this one) with stdout/stderr captured; give the
        result to Wait-ChildPwsh. $Environment sets (or, with $null, removes) variables for the child only. The
        script can read $env:SEEDANCE_TEST_MODULE to import the module under test. Progress is silenced.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{}
    )
    # With SIGINT at its default even when this process was started with it ignored: see Get-InterruptDefaultPrefix.
    $command = @(Get-InterruptDefaultPrefix) + @(Get-PwshCommandLine)
    $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in ($command | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
    # A script file rather than -EncodedCommand: output stays plain text (no CLIXML on stderr).
    $scriptFile = Join-Path ([IO.Path]::GetTempPath()) ('seedance-child-' + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -LiteralPath $scriptFile -Value ("`$ProgressPreference = 'SilentlyContinue'`n" + $Script) -Encoding utf8
    foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $scriptFile)) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    $info.Environment['SEEDANCE_TEST_MODULE'] = Get-TestModulePath
    $info.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) }
        else { $info.Environment[$name] = [string]$Environment[$name] }
    }

    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    [pscustomobject]@{
        Process    = $process
        Pid        = $process.Id
        StdOut     = $process.StandardOutput.ReadToEndAsync()
        StdErr     = $process.StandardError.ReadToEndAsync()
        ScriptFile = $scriptFile
    }
}

function Wait-ChildPwsh {
    # Waits for a child started by Start-ChildPwsh (killing it after $TimeoutSeconds); returns {ExitCode, StdOut, StdErr, TimedOut}.
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 120)
    $process = $Child.Process
    try {
        $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
        if ($timedOut) { try { $process.Kill($true) } catch { } ; $null = $process.WaitForExit(10000) }
        $null = $Child.StdOut.Wait(10000); $null = $Child.StdErr.Wait(10000)
        [pscustomobject]@{
            ExitCode = if ($timedOut) { $null } else { $process.ExitCode }
            StdOut   = $Child.StdOut.Result
            StdErr   = $Child.StdErr.Result
            TimedOut = $timedOut
        }
    }
    finally {
        $process.Dispose()
        Remove-Item -LiteralPath $Child.ScriptFile -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-ChildPwsh {
    # Runs a script in a child pwsh and waits for it: {ExitCode, StdOut, StdErr, TimedOut}. See Start-ChildPwsh.
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 120
    )
    Wait-ChildPwsh -Child (Start-ChildPwsh -Script $Script -Environment $Environment) -TimeoutSeconds $TimeoutSeconds
}

function Get-UnixMode {
    # Permission bits as stat prints them (e.g. '600').
    param([Parameter(Mandatory)] [string] $Path)
    (& stat -c '%a' $Path).Trim()
}

function Wait-Until {
    # Polls $Condition until it is true or $TimeoutSeconds pass; returns whether it became true.
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $TimeoutSeconds = 30, [int] $IntervalMs = 100)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds $IntervalMs
    }
    return [bool](& $Condition)
}

Export-ModuleMember -Function *

# --- Added for Concurrency.Tests.ps1: request-log arithmetic and synthetic-file checks -------------------------------

function ConvertTo-EpochMilliseconds {
    # A time from the emulator's logs (DateTime from JSON, DateTimeOffset, or an ISO string) or an epoch-ms number
    # (createTime, completeTime) as epoch milliseconds, so both kinds compare on one scale.
    param([Parameter(Mandatory, ValueFromPipeline)] $Time)
    process {
        if ($Time -is [string]) { $Time = [DateTimeOffset]::Parse($Time, [cultureinfo]::InvariantCulture) }
        if ($Time -is [DateTime] -or $Time -is [DateTimeOffset]) {
            return (([DateTimeOffset]$Time).UtcDateTime - [DateTime]::UnixEpoch).TotalMilliseconds
        }
        [double]$Time
    }
}

function Get-MaxCountInWindow {
    <#
    .SYNOPSIS
        The largest number of $Times (epoch ms) that fall in any window [t, t + $WindowMs). Used with the emulator's
        request logs, whose time is taken when a request has been answered: if every answer is held back by a `slow`
        fault for D ms, then k answers logged less than D ms apart were all in flight at the same moment (each began
        at least D ms before its own end, so before the first of them ended). So, with a window a little under D,
        the count bounds the requests in flight from below, and a client that keeps at most N in flight can never
        exceed N.
    #>
    param([Parameter(Mandatory)] [double[]] $Times, [Parameter(Mandatory)] [double] $WindowMs)
    $sorted = @($Times | Sort-Object)
    $max = 0
    $last = 0
    for ($first = 0; $first -lt $sorted.Count; $first++) {
        if ($last -lt $first) { $last = $first }
        while ($last + 1 -lt $sorted.Count -and $sorted[$last + 1] - $sorted[$first] -lt $WindowMs) { $last++ }
        $max = [Math]::Max($max, $last - $first + 1)
    }
    $max
}

function Test-SyntheticVideoContent {
    <#
    .SYNOPSIS
        True when the file at $Path is exactly the emulator's synthetic output of $Length bytes (--output-bytes): the
        ftyp box at the start, then byte i == i % 251 for every i >= 32 (compared in full, by hash).
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [long] $Length)
    $actual = [IO.File]::ReadAllBytes($Path)
    if ($actual.LongLength -ne $Length) { return $false }
    if ([Text.Encoding]::ASCII.GetString($actual, 4, 4) -cne 'ftyp') { return $false }
    # Byte i is i % 251: fill one period, then double the filled part (every doubling keeps a multiple of 251).
    $expected = [byte[]]::new($Length)
    $filled = [Math]::Min(251, $Length)
    for ($i = 0; $i -lt $filled; $i++) { $expected[$i] = [byte]$i }
    while ($filled -lt $Length) {
        $chunk = [Math]::Min($filled, $Length - $filled)
        [Array]::Copy($expected, 0, $expected, $filled, $chunk)
        $filled += $chunk
    }
    $sha = [Security.Cryptography.SHA256]::Create()
    try {
        $a = [Convert]::ToHexString($sha.ComputeHash($actual, 32, $Length - 32))
        $e = [Convert]::ToHexString($sha.ComputeHash($expected, 32, $Length - 32))
    }
    finally { $sha.Dispose() }
    $a -eq $e
}

Export-ModuleMember -Function *

# --- Added for BadInput.Tests.ps1, KeySafety.Tests.ps1 and Coexistence.Tests.ps1 ------------------------------------

function Test-FolderWritable {
    # Whether this process can create a file in $Path, tried for real (permission bits do not bind root).
    param([Parameter(Mandatory)] [string] $Path)
    $probe = Join-Path $Path ('.seedance-probe-' + [guid]::NewGuid().ToString('N'))
    try { [IO.File]::Create($probe).Dispose(); Remove-Item -LiteralPath $probe -Force; $true }
    catch { $false }
}

function New-UnwritableFolder {
    <#
    .SYNOPSIS
        A folder that exists and that this process cannot create files in, as {Path, Undo}, or $null when none can
        be had. A fresh temp folder with mode 0500 for a normal user; as root (CI containers), where mode bits do not
        bind, the same folder made immutable (chattr +i: ext4, xfs, btrfs); failing that /sys, which refuses new files
        even to root. Each candidate is checked by really trying to write. Give the result to Remove-UnwritableFolder.
    #>
    if ($IsWindows) { return $null }
    $folder = New-TestFolder -Prefix 'seedance-readonly'
    & chmod 0500 $folder
    if (-not (Test-FolderWritable $folder)) {
        return [pscustomobject]@{ Path = $folder; How = 'mode 0500'; Undo = { param($p) & chmod 0700 $p } }
    }

    $chattr = Get-Command chattr -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($chattr) {
        & $chattr.Source +i $folder 2>$null
        if ($LASTEXITCODE -eq 0) {
            if (-not (Test-FolderWritable $folder)) {
                return [pscustomobject]@{ Path = $folder; How = 'chattr +i (running as root)'; Undo = { param($p) & chattr -i $p 2>$null; & chmod 0700 $p } }
            }
            & $chattr.Source -i $folder 2>$null
        }
    }

    & chmod 0700 $folder
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
    if ((Test-Path -LiteralPath '/sys' -PathType Container) -and -not (Test-FolderWritable '/sys')) {
        return [pscustomobject]@{ Path = '/sys'; How = '/sys (running as root)'; Undo = $null }
    }
    return $null
}

function Get-TestFixturePath {
    # The folder of the fixture modules build.ps1 Test builds (out/fixtures): SEEDANCE_TEST_FIXTURES, set by
    # tools/Invoke-PesterTests.ps1 -FixturesDir, or the repository's out/fixtures.
    if ($env:SEEDANCE_TEST_FIXTURES) { return Resolve-TestPath $env:SEEDANCE_TEST_FIXTURES }
    return Join-Path $script:RepoRoot 'out/fixtures'
}

function Remove-UnwritableFolder {
    param($Folder)
    if ($null -eq $Folder -or $null -eq $Folder.Undo) { return }
    & $Folder.Undo $Folder.Path
    Remove-Item -LiteralPath $Folder.Path -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function *

# --- Added for NetFramework.Tests.ps1: Mono for the .NET Framework smoke run ----------------------------------------

function Initialize-TestMono {
    <#
    .SYNOPSIS
        Mono for the .NET Framework smoke run: {Path, Facades, SkipReason}. Installs Debian's mono-runtime (and
        System.Net.Http) with apt-get when missing and this process may (root, apt-get present); takes the runtime
        facades (netstandard.dll and the rest, which .NET Framework 4.7.2 has built in) from the mono-devel package
        without installing it (it pulls in ~100 packages). Idempotent and quiet; SkipReason says why not, when not.
    #>
    param([Parameter(Mandatory)] [string] $CacheDir)

    $result = [pscustomobject]@{ Path = $null; Facades = $null; SkipReason = $null }
    $apt = Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $root = $IsLinux -and ((& id -u) -eq '0')
    $mono = Get-Command mono -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $needed = 'mono-runtime', 'libmono-system-net-http4.0-cil'
    if (-not $mono -or -not (Test-Path '/usr/lib/mono/4.5/System.Net.Http.dll')) {
        if (-not $apt -or -not $root) {
            $result.SkipReason = 'Mono is not installed and this process cannot install it (needs Debian/Ubuntu apt-get as root): apt-get install mono-runtime libmono-system-net-http4.0-cil'
            return $result
        }

        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get install -y -qq --no-install-recommends @needed *> $null
        if ($LASTEXITCODE -ne 0) {
            & apt-get update -qq *> $null
            & apt-get install -y -qq --no-install-recommends @needed *> $null
        }

        $mono = Get-Command mono -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $mono) {
            $result.SkipReason = "apt-get could not install $($needed -join ', ') (exit $LASTEXITCODE)"
            return $result
        }
    }

    $result.Path = $mono.Source
    $installed = '/usr/lib/mono/4.5/Facades'
    $cached = Join-Path $CacheDir 'Facades'
    if (Test-Path (Join-Path $installed 'netstandard.dll')) { $result.Facades = $installed; return $result }
    if (Test-Path (Join-Path $cached 'netstandard.dll')) { $result.Facades = $cached; return $result }
    if (-not $apt) {
        $result.SkipReason = 'Mono has no runtime facades (netstandard.dll): install mono-devel'
        $result.Path = $null
        return $result
    }

    $download = Join-Path ([IO.Path]::GetTempPath()) "mono-devel-$PID"
    New-Item -ItemType Directory -Path $download -Force | Out-Null
    try {
        Push-Location $download
        & apt-get download -qq mono-devel *> $null
        $deb = Get-ChildItem -Filter 'mono-devel_*.deb' | Select-Object -First 1
        if ($deb) { & dpkg-deb -x $deb.FullName (Join-Path $download 'x') *> $null }
        $facades = Join-Path $download 'x/usr/lib/mono/4.5/Facades'
        if (-not (Test-Path (Join-Path $facades 'netstandard.dll'))) {
            $result.SkipReason = 'could not take the runtime facades from the mono-devel package (apt-get download mono-devel)'
            $result.Path = $null
            return $result
        }

        New-Item -ItemType Directory -Path $CacheDir -Force | Out-Null
        Copy-Item -LiteralPath $facades -Destination $CacheDir -Recurse -Force
        $result.Facades = $cached
        return $result
    }
    finally {
        Pop-Location
        Remove-Item -LiteralPath $download -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function *

# --- Added for the key-in-a-task-id checks of Get-, Wait-, Save- and Register-SeedanceTask --------------------------

function Get-ErrorRecordText {
    # Everything an ErrorRecord shows or carries as text: Format-List * -Force, the details and recommended action, the
    # exception's message, ToString and properties (inner exceptions too), and the target: what a log or a transcript could keep.
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Record)
    ($Record | Format-List * -Force | Out-String -Width 500)
    $Record.ErrorDetails.Message
    $Record.ErrorDetails.RecommendedAction
    $Record.Exception.Message
    $Record.Exception.ToString()
    # Every property of the exception and its inner ones (a request's URI is one), as Format-List and Export-Clixml show them.
    for ($inner = $Record.Exception; $inner; $inner = $inner.InnerException) { $inner | Format-List * -Force | Out-String -Width 500 }
    "$($Record.TargetObject)"
}

function Get-KeyCarryingTaskId {
    # Task ids that hold the test key in the forms the module must mask (Shown: the form to look for): as it is, in
    # upper case, percent-encoded three times (each character as %XX, then the % itself encoded twice), JSON-escaped.
    $key = Get-TestApiKey
    $percent = (-join ($key.ToCharArray() | ForEach-Object { '%{0:X2}' -f [int] $_ })).Replace('%', '%2525')
    $json = -join ($key.ToCharArray() | ForEach-Object { '\u{0:x4}' -f [int] $_ })
    @{ Form = 'as it is'; TaskId = "task_$key"; Shown = $key }
    @{ Form = 'in upper case'; TaskId = "task_$($key.ToUpperInvariant())"; Shown = $key }
    @{ Form = 'percent-encoded three times'; TaskId = "task_$percent"; Shown = $percent }
    @{ Form = 'JSON-escaped'; TaskId = "task_$json"; Shown = $json }
}

function Assert-KeyAbsent {
    # The error holds the key in none of its text, in none of the forms given (and names a task, if it does, by its masked id).
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Record, [Parameter(Mandatory)] [string[]] $Shown)
    $text = (Get-ErrorRecordText $Record) -join "`n"
    $text | Should -Not -Match ([regex]::Escape((Get-TestApiKey)))
    foreach ($form in $Shown) { $text | Should -Not -Match ([regex]::Escape($form)) -Because $Record.FullyQualifiedErrorId }
}

Export-ModuleMember -Function *
