# The main job, end to end and offline: New | Wait | Save against the local emulator, for a text-to-video task
# and an Omni Reference task (2 images + 1 video). Run through: dotnet pwsh ./build.ps1 Demo
param(
    [Parameter(Mandatory)] [string] $ModuleDir,
    [Parameter(Mandatory)] [string] $EmulatorDir
)
$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/SeedanceEmulator.psm1" -Force
Import-Module (Join-Path $ModuleDir 'Seedance.psd1') -Force

$clock = [Diagnostics.Stopwatch]::StartNew()
$emulator = Start-SeedanceEmulator -EmulatorDll (Join-Path $EmulatorDir 'Seedance.Emulator.dll') -ArgumentList '--waiting-seconds', '1', '--generating-seconds', '3'
try {
    Write-Host "Emulator: API $($emulator.ApiBaseUri), files $($emulator.FilesBaseUri)" -ForegroundColor Cyan
    # Session-only settings: nothing is written to the user's key store by the demo.
    Set-SeedanceConfiguration -BaseUri $emulator.ApiBaseUri
    Set-SeedanceApiKey -PlainTextApiKey $emulator.ApiKey -Scope Process

    $videos = Join-Path ([IO.Path]::GetTempPath()) "seedance-demo-$PID"
    New-Item -ItemType Directory -Path $videos -Force | Out-Null
    # The emulator's tasks are journaled beside the videos, not in the user's own task journal.
    Set-SeedanceConfiguration -JournalPath (Join-Path $videos 'journal.jsonl')

    Write-Host "`nWhat the two tasks will cost:" -ForegroundColor Cyan
    @([pscustomobject]@{ Duration = 5; Model = 'seedance-20' }, [pscustomobject]@{ Duration = 8; Model = 'seedance-20' }) |
        Get-SeedanceCreditCost | Format-Table | Out-String -Width 120 | Out-Host

    # Materials must be public http(s) URLs the service can fetch; the emulator accepts any such URL.
    # Both jobs go down one pipeline, bound by property name like rows of a CSV: one wait serves them all.
    $jobs = @(
        [pscustomobject]@{ Prompt = 'A red fox in fresh snow'; Duration = 5 }
        [pscustomobject]@{
            Prompt   = 'The cat from @1 walks through the garden of @2, moving like the dancer in @3'
            Image    = 'https://example.com/materials/cat.png', 'https://example.com/materials/garden.png'
            Video    = "$($emulator.FilesBaseUri)/files/demo_task_t2v_success.mp4"
            Duration = 8
        }
    )

    Write-Host 'Creating, waiting and saving: $jobs | New-SeedanceTask | Wait-SeedanceTask | Save-SeedanceVideo' -ForegroundColor Cyan
    $tasks = [System.Collections.Generic.List[object]]::new()
    $files = @($jobs | New-SeedanceTask | Wait-SeedanceTask | ForEach-Object { $tasks.Add($_); $_ } | Save-SeedanceVideo -Path $videos)

    Write-Host "`nTasks:" -ForegroundColor Cyan
    $tasks | Format-Table | Out-String -Width 120 | Out-Host

    Write-Host 'Saved files:' -ForegroundColor Cyan
    $files | Format-Table FullName, Length | Out-String -Width 120 | Out-Host

    # An MP4 starts with a box whose type, at byte 4, is 'ftyp'.
    $bad = foreach ($file in $files) {
        $head = [byte[]]::new(8)
        $stream = [IO.File]::OpenRead($file.FullName)
        try { $null = $stream.Read($head, 0, 8) } finally { $stream.Dispose() }
        if ([Text.Encoding]::ASCII.GetString($head, 4, 4) -ne 'ftyp') { $file.Name }
    }
    if ($files.Count -ne 2 -or $bad) { throw "Expected two MP4 files; got $($files.Count), not MP4: $($bad -join ', ')" }
    Write-Host "Both files are MP4 (ftyp box found). Demo finished in $([int]$clock.Elapsed.TotalSeconds) s." -ForegroundColor Green
}
finally {
    Set-SeedanceConfiguration -Reset
    Remove-SeedanceApiKey -Scope Process
    $emulator | Stop-SeedanceEmulator
}
