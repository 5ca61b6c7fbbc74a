#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Seedance and another binary module that ships its own Microsoft.Extensions.Http live in one PowerShell process,
# whichever is imported (and used) first, whether the other's copy is older (6.0.0) or newer (9.0.0) than Seedance's
# (8.0.x): each gets its own version. On PowerShell 7 Seedance loads its dependencies into a load context of its own
# (src/Seedance.Loader); without it, two of these four cases fail with a FileLoadException. Its public types
# (Seedance.Client) load normally all the same, so type literals and catch [...] work in all four cases. The other module is
# tests/fixtures/OtherHttpModule, built by build.ps1 Test into out/fixtures/OtherHttp-<version>/; every case runs in
# a fresh child pwsh, since an assembly once loaded stays for the life of a process.

BeforeDiscovery {
    $script:Cases = foreach ($version in '6.0.0', '9.0.0') {
        foreach ($first in 'OtherFirst', 'SeedanceFirst') {
            @{ Version = $version; First = $first; Expected = "$version.0" }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestEmulator
    $script:Fixtures = Get-TestFixturePath
    $script:SeedanceHttpVersion = [Reflection.AssemblyName]::GetAssemblyName(
        (Join-Path (Split-Path (Get-TestModulePath)) 'deps/Microsoft.Extensions.Http.dll')).Version.ToString()

    # Each step prints one KEY=value line; the test reads them back. Both modules are used (not only imported),
    # since an assembly loads at first use: "first" means first to load Microsoft.Extensions.Http.
    $script:ChildScript = @'
$ErrorActionPreference = 'Stop'
function Use-Seedance([string] $Step) {
    try { "$Step=$((Get-SeedanceTask -TaskId 'demo_task_t2v_success').Status)" }
    catch { "$Step=FAILED $($_.FullyQualifiedErrorId): $($_.Exception.GetBaseException().GetType().Name): $($_.Exception.GetBaseException().Message)" }
}
function Use-Types([string] $Step) {
    # Type literals resolve and catch [...] names a failure, with the other module's copy loaded too.
    try {
        $task = Get-SeedanceTask -TaskId 'demo_task_t2v_success'
        $code = 'not caught'
        try { Get-SeedanceTask -TaskId 'demo_task_fail_text_moderation' | Wait-SeedanceTask -ErrorAction Stop }
        catch [Seedance.Client.TaskFailedException] { $code = $_.Exception.ErrorCode }
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Seedance.Client.Models.SeedanceTask].Assembly).Name
        "$Step=$($task -is [Seedance.Client.Models.SeedanceTask]);$code;$context"
    }
    catch { "$Step=FAILED $($_.FullyQualifiedErrorId): $($_.Exception.GetBaseException().Message)" }
}
function Use-Other([string] $Step) {
    try { "$Step=$(Get-OtherHttpClient)" }
    catch { "$Step=FAILED $($_.FullyQualifiedErrorId): $($_.Exception.GetBaseException().GetType().Name): $($_.Exception.GetBaseException().Message)" }
}

if ($env:FIRST -eq 'OtherFirst') {
    Import-Module $env:OTHER_MODULE
    Use-Other 'OTHER_BEFORE'
    Import-Module $env:SEEDANCE_TEST_MODULE
    Use-Seedance 'SEEDANCE'
    Use-Other 'OTHER_AFTER'
    Use-Types 'TYPES'
}
else {
    Import-Module $env:SEEDANCE_TEST_MODULE
    Use-Seedance 'SEEDANCE_BEFORE'
    Import-Module $env:OTHER_MODULE
    Use-Other 'OTHER'
    Use-Seedance 'SEEDANCE'
    Use-Types 'TYPES'
}

# Which copies are loaded, and in which load context.
$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Http' } | ForEach-Object {
    '{0}@{1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
}
"LOADED=$(($loaded | Sort-Object) -join ';')"
'@

    function Read-ChildValue($Result, [string] $Name) {
        $line = ($Result.StdOut -split "`r?`n") | Where-Object { $_.StartsWith("$Name=") } | Select-Object -First 1
        if ($null -eq $line) { return $null }
        $line.Substring($Name.Length + 1).Trim()
    }

    # The four children run at once: each is a separate process, and together they take the time of one.
    $script:Children = @{}
    $script:ConfigFolders = [System.Collections.Generic.List[string]]::new()
    foreach ($version in '6.0.0', '9.0.0') {
        $module = Join-Path $script:Fixtures "OtherHttp-$version/OtherHttpModule.dll"
        if (-not (Test-Path -LiteralPath $module)) {
            throw "The fixture module '$module' is not built. Run 'dotnet pwsh ./build.ps1 Test', or: dotnet build tests/fixtures/OtherHttpModule -c Release -p:OtherHttpVersion=$version -o out/fixtures/OtherHttp-$version --no-incremental"
        }
        foreach ($first in 'OtherFirst', 'SeedanceFirst') {
            $config = New-TestFolder -Prefix 'seedance-coexist'
            $script:ConfigFolders.Add($config)
            $script:Children["$version/$first"] = Start-ChildPwsh -Script $script:ChildScript -Environment @{
                FIRST             = $first
                OTHER_MODULE      = $module
                SEEDANCE_API_KEY  = Get-TestApiKey
                SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri
                XDG_CONFIG_HOME   = $config
            }
        }
    }
    $script:Results = @{}
    foreach ($name in @($script:Children.Keys)) { $script:Results[$name] = Wait-ChildPwsh -Child $script:Children[$name] -TimeoutSeconds 120 }
}

AfterAll {
    foreach ($folder in $script:ConfigFolders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Stop-TestEmulator $script:Emulator
}

Describe 'Seedance beside another module with its own Microsoft.Extensions.Http' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
    Context 'Microsoft.Extensions.Http <Version>, <First>' -ForEach $script:Cases {
        BeforeAll {
            $script:Result = $script:Results["$Version/$First"]
        }

        It 'the child ran to the end' {
            $script:Result.TimedOut | Should -BeFalse
            $script:Result.ExitCode | Should -Be 0 -Because $script:Result.StdErr
            Read-ChildValue $script:Result 'LOADED' | Should -Not -BeNullOrEmpty -Because "$($script:Result.StdOut)`n$($script:Result.StdErr)"
        }

        It 'Seedance works against the emulator (before and after the other module loads)' {
            Read-ChildValue $script:Result 'SEEDANCE' | Should -Be 'Success'
            if ($First -eq 'SeedanceFirst') { Read-ChildValue $script:Result 'SEEDANCE_BEFORE' | Should -Be 'Success' }
        }

        It 'Get-OtherHttpClient reports its own version, <Expected>' {
            if ($First -eq 'OtherFirst') {
                Read-ChildValue $script:Result 'OTHER_BEFORE' | Should -Be $Expected
                Read-ChildValue $script:Result 'OTHER_AFTER' | Should -Be $Expected
            }
            else {
                Read-ChildValue $script:Result 'OTHER' | Should -Be $Expected
            }
        }

        It 'type literals resolve and catch [Seedance.Client.TaskFailedException] works; the public types are in the default context' {
            Read-ChildValue $script:Result 'TYPES' | Should -Be 'True;2038;Default'
        }

        It 'both copies are loaded: the other''s in the default context, Seedance''s in its own' {
            $loaded = @((Read-ChildValue $script:Result 'LOADED') -split ';')
            $loaded | Should -HaveCount 2
            $loaded | Should -Contain "$Expected@Default"
            $loaded | Should -Contain "$script:SeedanceHttpVersion@Seedance"
        }
    }
}
