#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Windows PowerShell 5.1 (.NET Framework), as far as Linux can check it: the import's .NET Framework version check,
# the connection limit against every -ThrottleLimit. (The .NET Framework smoke run under Mono is further down.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ManifestPath = Get-TestModulePath
    $script:ModuleDir = Split-Path $script:ManifestPath

    # The decision of the built module's Seedance.Preflight.psm1 (its one script block), run with the inputs a 5.1
    # host would give it: the edition and the Release DWORD of HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full.
    $preflight = Join-Path $script:ModuleDir 'Seedance.Preflight.psm1'
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($preflight, [ref] $null, [ref] $null)
    $block = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.ScriptBlockExpressionAst] }, $true)
    $script:Preflight = [scriptblock]::Create($block.ScriptBlock.Extent.Text.Trim().TrimStart('{').TrimEnd('}'))
}

Describe 'Import on .NET Framework older than 4.7.2' {
    It 'is checked by a nested module that loads before the assemblies' {
        (Import-PowerShellDataFile $script:ManifestPath).NestedModules | Should -Be @('Seedance.Preflight.psm1')
        Test-Path (Join-Path $script:ModuleDir 'Seedance.Preflight.psm1') | Should -BeTrue
    }

    It 'stops on <Name> naming the installed and the required version' -ForEach @(
        @{ Name = '4.6.2'; Release = 394802 }
        @{ Name = '4.7.1'; Release = 461308 }
        @{ Name = '4.5'; Release = 378389 }
    ) {
        { & $script:Preflight 'Desktop' $Release } | Should -Throw "*needs .NET Framework 4.7.2 or later*this machine has .NET Framework $Name (Release $Release)*"
    }

    It 'stops when no .NET Framework 4.5+ is recorded at all' {
        { & $script:Preflight 'Desktop' $null } | Should -Throw '*4.7.2 or later*no .NET Framework 4.5 or later*'
    }

    It 'lets <Release> through' -ForEach @(@{ Release = 461808 }, @{ Release = 528040 }, @{ Release = 533320 }) {
        { & $script:Preflight 'Desktop' $Release } | Should -Not -Throw
    }

    It 'does nothing on PowerShell 7 (DependencyIsolation checks that runtime)' {
        { & $script:Preflight 'Core' $null } | Should -Not -Throw
    }

    It 'leaves the module importable here, and lists no extra top-level module' {
        $child = Invoke-ChildPwsh -Script "Import-Module '$($script:ManifestPath)' -ErrorAction Stop; (Get-Module).Name -join ','"
        $child.ExitCode | Should -Be 0 -Because $child.StdErr
        $child.StdOut | Should -Match 'Seedance'
        $child.StdOut | Should -Not -Match 'Preflight'
    }
}

Describe 'Connections per host' {
    It 'every cmdlet''s -ThrottleLimit fits the handlers'' connection limit' {
        Import-Module $script:ManifestPath -Force
        $limit = [Seedance.Client.Http.SeedanceHttp]::MaxConnectionsPerServer
        $found = foreach ($command in Get-Command -Module Seedance -CommandType Cmdlet) {
            $parameter = $command.Parameters['ThrottleLimit']
            if ($parameter) {
                $range = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
                [pscustomobject]@{ Command = $command.Name; Max = [int]$range.MaxRange }
            }
        }
        @($found).Count | Should -BeGreaterThan 0
        foreach ($f in $found) { $f.Max | Should -BeLessOrEqual $limit -Because "$($f.Command) -ThrottleLimit may be $($f.Max)" }
    }
}

Describe '.NET Framework smoke run under Mono' {
    # tests/Seedance.NetFxSmoke: a net472 program built against the built module's files (build.ps1 Test builds it into
    # out/netfx-smoke), run under Mono from Debian's packages. It loads the module the way 5.1 does (deps/ only through
    # the module's own resolver), checks the resolver's mismatch cases, creates, waits and downloads against the
    # emulator, downloads four files at once and cuts off a stalled body. What it proves and does not: README,
    # "What was verified where".
    BeforeAll {
        $script:Smoke = Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/netfx-smoke/Seedance.NetFxSmoke.exe'
        $script:Mono = Initialize-TestMono -CacheDir (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/mono')
        if ($script:Mono.SkipReason) {
            # Said where the run's output shows it, not only in the skip's Because.
            Write-Host "SKIPPED the .NET Framework smoke run: $($script:Mono.SkipReason)" -ForegroundColor Yellow
        }
        else {
            $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.2
        }
    }

    AfterAll {
        if ($script:Emulator) { $script:Emulator | Stop-TestEmulator }
    }

    It 'creates, waits, downloads and passes the resolver''s cases on .NET Framework (Mono)' {
        if ($script:Mono.SkipReason) { Set-ItResult -Skipped -Because $script:Mono.SkipReason; return }
        Test-Path $script:Smoke | Should -BeTrue -Because 'build.ps1 Test builds tests/Seedance.NetFxSmoke into out/netfx-smoke'

        $work = New-TestFolder
        $env:MONO_PATH = $script:Mono.Facades
        try {
            $output = & $script:Mono.Path $script:Smoke (Split-Path $script:ManifestPath) $script:Emulator.ApiBaseUri (Get-TestApiKey) $work 2>&1 | ForEach-Object { "$_" }
            $exit = $LASTEXITCODE
        }
        finally { Remove-Item Env:MONO_PATH }

        $text = $output -join "`n"
        Write-Host $text
        $exit | Should -Be 0 -Because $text
        foreach ($check in 'create', 'wait', 'download', 'four downloads at once use four connections', 'a stalled body ends at the stall timeout',
            'a stalled body ends at once on Ctrl+C', 'TLS 1.2 added', 'public types of Seedance.Client load without deps/',
            'resolver: System.Runtime.CompilerServices.Unsafe 4.0.4.1 asked from deps/ gets 6.0.0.0', 'resolver: a request from another module is left alone') {
            $text | Should -Match ('(?m)^ok   ' + [regex]::Escape($check))
        }
    }
}
