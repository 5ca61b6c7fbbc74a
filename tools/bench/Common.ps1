# Shared by the benchmark scenarios: each runs in its own child pwsh and prints one JSON object as its last line.
param()
$ErrorActionPreference = 'Stop'

function Connect-Emulator([string] $ModulePath, [string] $ApiBaseUri) {
    Import-Module $ModulePath
    Set-SeedanceConfiguration -BaseUri $ApiBaseUri
    Set-SeedanceApiKey -PlainTextApiKey 'test-key' -Scope Process
}

function Get-EmulatorStats([string] $ApiBaseUri) {
    Invoke-RestMethod ($ApiBaseUri -replace '/api/v1$', '/_emulator/stats')
}

function Reset-EmulatorStats([string] $ApiBaseUri) {
    $null = Invoke-RestMethod -Method Post ($ApiBaseUri -replace '/api/v1$', '/_emulator/reset')
}

function Measure-Seconds([scriptblock] $Script) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Script
    $clock.Elapsed.TotalSeconds
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}
