# Starts and stops the local Seedance API emulator (src/Seedance.Emulator) for the Demo and the benchmark.
# The emulator picks free loopback ports itself and prints one JSON line with its addresses on stdout.

function Start-SeedanceEmulator {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $EmulatorDll,
        [string[]] $ArgumentList = @(),
        [int] $StartTimeoutSeconds = 30
    )
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add($EmulatorDll)
    # --parent-pid: the emulator exits by itself if this process dies without stopping it.
    foreach ($argument in @($ArgumentList) + @('--parent-pid', "$PID", '--exit-on-stdin-close')) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($startInfo)

    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds)) -or -not $firstLine.Result) {
        $process.Kill()
        throw "The emulator did not report its addresses within $StartTimeoutSeconds s."
    }
    $info = $firstLine.Result | ConvertFrom-Json
    [pscustomobject]@{
        Process      = $process
        ApiBaseUri   = $info.apiBaseUri
        FilesBaseUri = $info.filesBaseUri
        ControlUri   = $info.controlUri
        ApiKey       = 'test-key'
    }
}

function Stop-SeedanceEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator.Process.HasExited) { return }
        $Emulator.Process.StandardInput.Close()     # with --exit-on-stdin-close this ends it cleanly
        if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill() }
    }
}

Export-ModuleMember -Function Start-SeedanceEmulator, Stop-SeedanceEmulator
