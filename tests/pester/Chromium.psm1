# Headless Chromium for tests that must see a page as a browser does (Export-SeedanceGallery): find or install it, then
# drive it over the Chrome DevTools Protocol (one page, a WebSocket, JSON messages) from PowerShell alone.

$script:Flags = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps',
    '--disable-extensions', '--mute-audio', '--hide-scrollbars')

function Find-TestChromium {
    <#
    .SYNOPSIS
        The path of a Chromium, installing Debian's package when none is there and this is a Debian/Ubuntu machine run as
        root (as CI is). Returns {Path, Reason}: Path null with the reason when there is none, so the test can say why it skips.
    #>
    foreach ($name in 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable') {
        $command = Get-Command $name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { return [pscustomobject]@{ Path = $command.Source; Reason = $null } }
    }

    if (-not $IsLinux) { return [pscustomobject]@{ Path = $null; Reason = 'no chromium on PATH (installed automatically only on Debian/Ubuntu)' } }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { return [pscustomobject]@{ Path = $null; Reason = 'no chromium on PATH and no apt-get to install it' } }
    if ((& id -u) -ne '0') { return [pscustomobject]@{ Path = $null; Reason = 'no chromium on PATH, and not root to apt-get install it' } }

    Write-Host 'Installing chromium (apt-get) for the browser tests...'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get install -y -q chromium *> $null
    if ($LASTEXITCODE -ne 0) {
        & apt-get update -q *> $null
        & apt-get install -y -q chromium *> $null
    }
    $command = Get-Command chromium -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($command) { return [pscustomobject]@{ Path = $command.Source; Reason = $null } }
    [pscustomobject]@{ Path = $null; Reason = "apt-get install chromium failed (exit code $LASTEXITCODE)" }
}

function Start-TestChromium {
    <#
    .SYNOPSIS
        Starts headless Chromium with a fresh profile and a DevTools port, connects to its page, and turns on the Page,
        Network, Runtime and Log domains (every event is kept in .Events). Stop it with Stop-TestChromium.
    #>
    param([Parameter(Mandatory)] [string] $Path)

    $profileDir = Join-Path ([IO.Path]::GetTempPath()) ('seedance-chromium-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path $profileDir | Out-Null
    $info = [System.Diagnostics.ProcessStartInfo]::new($Path)
    foreach ($a in $script:Flags + @("--user-data-dir=$profileDir", '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1', 'about:blank')) {
        $info.ArgumentList.Add($a)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardError = $true
    $info.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()

    # Chromium writes its port to DevToolsActivePort in the profile once it listens.
    $portFile = Join-Path $profileDir 'DevToolsActivePort'
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path $portFile) -or -not (Get-Content $portFile -ErrorAction Ignore)) {
        if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) {
            try { $process.Kill($true) } catch { }
            throw "Chromium did not open its DevTools port. stderr: $(if ($stderr.Wait(2000)) { $stderr.Result })"
        }
        Start-Sleep -Milliseconds 50
    }
    $port = [int](Get-Content $portFile -TotalCount 1)

    $page = $null
    while (-not $page) {
        # Invoke-RestMethod writes a JSON array as one object: unroll it.
        $targets = @(Invoke-RestMethod -Uri "http://127.0.0.1:$port/json/list" -NoProxy)
        $page = $targets | ForEach-Object { $_ } | Where-Object type -EQ 'page' | Select-Object -First 1
        if (-not $page) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'Chromium has no page target.' }
            Start-Sleep -Milliseconds 50
        }
    }

    $socket = [System.Net.WebSockets.ClientWebSocket]::new()
    $null = $socket.ConnectAsync([uri]$page.webSocketDebuggerUrl, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $session = [pscustomobject]@{
        Process = $process
        Profile = $profileDir
        Socket  = $socket
        NextId  = 0
        Events  = [System.Collections.Generic.List[object]]::new()
        Buffer  = [byte[]]::new(1MB)
        Partial = [System.IO.MemoryStream]::new()
        Pending = $null
    }
    foreach ($domain in 'Page', 'Network', 'Runtime', 'Log') { $null = Invoke-Cdp $session "$domain.enable" }
    $session
}

function Stop-TestChromium {
    param($Session)
    if (-not $Session) { return }
    try { $Session.Socket.Dispose() } catch { }
    try { if (-not $Session.Process.HasExited) { $Session.Process.Kill($true) }; $null = $Session.Process.WaitForExit(10000) } catch { }
    Remove-Item -LiteralPath $Session.Profile -Recurse -Force -ErrorAction Ignore
}

function Receive-CdpMessage {
    # One whole message (it may come in several frames), or $null after $TimeoutSeconds. A receive that times out
    # stays pending for the next call: cancelling a WebSocket receive would abort the socket.
    param($Session, [double] $TimeoutSeconds)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        if (-not $Session.Pending) {
            $Session.Pending = $Session.Socket.ReceiveAsync([ArraySegment[byte]]::new($Session.Buffer), [Threading.CancellationToken]::None)
        }
        $left = [Math]::Max(0, [int]($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $Session.Pending.Wait($left)) { return $null }
        $result = $Session.Pending.Result
        $Session.Pending = $null
        $Session.Partial.Write($Session.Buffer, 0, $result.Count)
        if ($result.EndOfMessage) {
            $text = [Text.Encoding]::UTF8.GetString($Session.Partial.ToArray())
            $Session.Partial.SetLength(0)
            return $text | ConvertFrom-Json -Depth 64
        }
    }
}

function Invoke-Cdp {
    <# Sends one command and returns its result; events that arrive meanwhile are kept in $Session.Events. #>
    param($Session, [string] $Method, [hashtable] $Params = @{}, [double] $TimeoutSeconds = 20)
    $id = ++$Session.NextId
    $json = @{ id = $id; method = $Method; params = $Params } | ConvertTo-Json -Depth 16 -Compress
    $bytes = [Text.Encoding]::UTF8.GetBytes($json)
    $null = $Session.Socket.SendAsync([ArraySegment[byte]]::new($bytes), [System.Net.WebSockets.WebSocketMessageType]::Text, $true, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $message = Receive-CdpMessage $Session ($deadline - [DateTime]::UtcNow).TotalSeconds
        if ($null -eq $message) { break }
        if ($message.PSObject.Properties['id'] -and $message.id -eq $id) {
            if ($message.PSObject.Properties['error']) { throw "CDP $Method failed: $($message.error.message)" }
            return $message.result
        }
        $Session.Events.Add($message)
    }
    throw "CDP $Method got no answer in $TimeoutSeconds s."
}

function Wait-CdpEvent {
    <# Waits for an event by method name (one already kept counts), removing it from .Events. #>
    param($Session, [string] $Method, [double] $TimeoutSeconds = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $found = $Session.Events | Where-Object method -EQ $Method | Select-Object -First 1
        if ($found) { $null = $Session.Events.Remove($found); return $found }
        $left = ($deadline - [DateTime]::UtcNow).TotalSeconds
        if ($left -le 0) { throw "No $Method event in $TimeoutSeconds s." }
        $message = Receive-CdpMessage $Session $left
        if ($null -ne $message) { $Session.Events.Add($message) }
    }
}

function Open-TestPage {
    <# Navigates to $Url at a viewport of $Width x $Height and waits for the load event. #>
    param($Session, [string] $Url, [int] $Width, [int] $Height, [switch] $Mobile)
    $null = Invoke-Cdp $Session 'Emulation.setDeviceMetricsOverride' @{ width = $Width; height = $Height; deviceScaleFactor = 1; mobile = [bool]$Mobile }
    $null = Invoke-Cdp $Session 'Page.navigate' @{ url = $Url }
    $null = Wait-CdpEvent $Session 'Page.loadEventFired'
}

function Invoke-PageScript {
    <# Evaluates $Expression in the page (a promise is awaited) and returns its value, by value. #>
    param($Session, [string] $Expression, [double] $TimeoutSeconds = 20)
    $result = Invoke-Cdp $Session 'Runtime.evaluate' @{ expression = $Expression; awaitPromise = $true; returnByValue = $true } -TimeoutSeconds $TimeoutSeconds
    if ($result.PSObject.Properties['exceptionDetails']) { throw "The page script failed: $($result.exceptionDetails | ConvertTo-Json -Depth 8 -Compress)" }
    $result.result.value
}

function Save-PageScreenshot {
    <# Sets the viewport, lets layout settle, and writes a PNG of the viewport to $Path. #>
    param($Session, [string] $Path, [int] $Width, [int] $Height, [switch] $Mobile)
    $null = Invoke-Cdp $Session 'Emulation.setDeviceMetricsOverride' @{ width = $Width; height = $Height; deviceScaleFactor = 1; mobile = [bool]$Mobile }
    $null = Invoke-PageScript $Session 'new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))'
    $shot = Invoke-Cdp $Session 'Page.captureScreenshot' @{ format = 'png' }
    [IO.File]::WriteAllBytes($Path, [Convert]::FromBase64String($shot.data))
    Get-Item -LiteralPath $Path
}

function Get-RequestedUrl {
    <# Every URL the page asked for since the session started (Network.requestWillBeSent), in order. #>
    param($Session)
    # Drain what is queued without waiting long.
    while ($null -ne ($message = Receive-CdpMessage $Session 0.3)) { $Session.Events.Add($message) }
    @($Session.Events | Where-Object method -EQ 'Network.requestWillBeSent' | ForEach-Object { $_.params.request.url })
}

Export-ModuleMember -Function Find-TestChromium, Start-TestChromium, Stop-TestChromium, Invoke-Cdp, Wait-CdpEvent, Open-TestPage, Invoke-PageScript, Save-PageScreenshot, Get-RequestedUrl
