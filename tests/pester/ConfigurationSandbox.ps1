# Shared by the test files of the key and configuration cmdlets (Configuration, Set-/Remove-SeedanceApiKey,
# Get-/Set-SeedanceConfiguration), dot-sourced in their BeforeAll: two API hosts (to see which one a request really
# went to; both accept only the test key), a sandbox without a key, and for every test a fresh XDG_CONFIG_HOME, no
# SEEDANCE_* variables and no session settings.

Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Import-Module (Get-TestModulePath) -Force
$script:Emulator = Start-TestEmulator
$script:OtherEmulator = Start-TestEmulator
$script:Sandbox = Enter-TestSandbox -NoEnvironmentKey
$script:ValidKey = Get-TestApiKey
$script:WrongKey = 'sk-wrong-0123456789abcdef'

function Get-CreateCount($Emulator) { (Get-EmulatorStats -Emulator $Emulator).createRequests }
function Get-ApiRequestCount($Emulator) { @((Get-EmulatorStats -Emulator $Emulator).apiRequests).Count }
function Get-StoredKeyPath { Join-Path $env:XDG_CONFIG_HOME 'seedance/apikey' }
function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString -String $Text -AsPlainText -Force }

function Enter-ConfigurationTest {
    Clear-SeedanceSession
    $env:SEEDANCE_API_KEY = $null
    $env:SEEDANCE_BASE_URI = $null
    $env:XDG_CONFIG_HOME = New-TestFolder -Prefix 'seedance-config'
    Reset-EmulatorStats -Emulator $script:Emulator
    Reset-EmulatorStats -Emulator $script:OtherEmulator
}

function Exit-ConfigurationTest {
    Clear-SeedanceSession
    Remove-Item -LiteralPath $env:XDG_CONFIG_HOME -Recurse -Force -ErrorAction SilentlyContinue
    $env:XDG_CONFIG_HOME = $script:Sandbox.ConfigDir
    $env:SEEDANCE_API_KEY = $null
    $env:SEEDANCE_BASE_URI = $null
}

function Exit-ConfigurationSandbox {
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
    Stop-TestEmulator $script:OtherEmulator
}
