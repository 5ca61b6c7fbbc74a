# The hostile loopback server (tests/Seedance.HostileServer) as a child process, and its control API: set the
# scripted rules, read the request log. Separate from the emulator, which stays a faithful model of the API.
# build.ps1 Test builds it to out/hostile/; SEEDANCE_TEST_HOSTILE may point at the DLL instead.

Set-StrictMode -Version Latest

function Get-HostileServerPath {
    if ($env:SEEDANCE_TEST_HOSTILE) { return [IO.Path]::GetFullPath($env:SEEDANCE_TEST_HOSTILE) }
    Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/hostile/Seedance.HostileServer.dll'
}

function Start-HostileServer {
    # Returns {BaseUri, ApiBaseUri, Pid, Process}; the server dies with this process (--parent-pid).
    $dll = Get-HostileServerPath
    if (-not (Test-Path $dll)) { throw "The hostile server is not built at '$dll'. Run: dotnet pwsh ./build.ps1 Test" }
    $process = [Environment]::ProcessPath
    $dotnet = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $process } else { (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source }
    $info = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($a in @($dll, '--parent-pid', "$PID")) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $child = [System.Diagnostics.Process]::Start($info)
    $stderr = $child.StandardError.ReadToEndAsync()
    $line = $child.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds(60)) -or [string]::IsNullOrWhiteSpace($line.Result)) {
        try { $child.Kill($true) } catch { }
        throw "The hostile server did not start. stderr: $(if ($stderr.Wait(2000)) { $stderr.Result })"
    }
    $announced = $line.Result | ConvertFrom-Json
    [pscustomobject]@{
        BaseUri    = [string]$announced.baseUri
        ApiBaseUri = [string]$announced.baseUri + '/api/v1'
        Pid        = [int]$announced.pid
        Process    = $child
    }
}

function Stop-HostileServer {
    param($Server)
    if ($null -eq $Server) { return }
    try { if (-not $Server.Process.HasExited) { $Server.Process.Kill($true); $null = $Server.Process.WaitForExit(10000) } } catch { }
    finally { $Server.Process.Dispose() }
}

function Set-HostileRule {
    # Replaces the server's rules (hashtables; see tests/Seedance.HostileServer/README.md) and clears nothing else.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Rule)
    $json = ConvertTo-Json -InputObject @($Rule) -Depth 10 -Compress
    $null = Invoke-RestMethod -Uri "$($Server.BaseUri)/_hostile/rules" -Method Post -Body $json -ContentType 'application/json' -NoProxy -TimeoutSec 30
}

function Reset-HostileServer {
    # Forgets the rules and the request log.
    param([Parameter(Mandatory)] $Server)
    $null = Invoke-RestMethod -Uri "$($Server.BaseUri)/_hostile/reset" -Method Post -NoProxy -TimeoutSec 30
}

function Get-HostileLog {
    # Every request the server received since the last reset: number, method, target, path, query, taskId,
    # proxied, headers, body, rule.
    param([Parameter(Mandatory)] $Server)
    (Invoke-RestMethod -Uri "$($Server.BaseUri)/_hostile/log" -NoProxy -TimeoutSec 30) | ForEach-Object { $_ }
}

function New-HostileTaskRule {
    # A recordInfo rule answering a successful task with the asked id (or -TaskId) whose video is at -VideoPath.
    param([string] $TaskId, [string] $VideoPath = '/files/ok.mp4', [string] $Json)
    $body = if ($Json) { $Json } else { '{"taskId":"{taskId}","model":"seedance-20","status":"success","creditsUsed":200,"output":[{"url":"{base}' + $VideoPath + '","width":1280,"height":720}],"error":null}' }
    $rule = @{ path = '/api/v1/jobs/recordInfo'; body = $body }
    if ($TaskId) { $rule.taskId = $TaskId }
    $rule
}

function Get-PatternBytes {
    # The bytes the hostile server serves for a file of -Length with -Seed: byte i is (i + seed) % 251.
    param([long] $Length, [int] $Seed = 0)
    $bytes = [byte[]]::new($Length)
    for ($i = 0; $i -lt $Length; $i++) { $bytes[$i] = [byte](($i + $Seed) % 251) }
    , $bytes
}

Export-ModuleMember -Function *
