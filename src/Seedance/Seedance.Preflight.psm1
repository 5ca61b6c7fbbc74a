# Loaded first (the manifest's NestedModules come before its RootModule): on Windows PowerShell 5.1 it makes sure
# .NET Framework can load the module's .NET Standard 2.0 assemblies before they are touched. Below 4.7.1 there is no
# netstandard.dll and the import would fail with a raw load error; the module needs 4.7.2 (DotNetFrameworkVersion in
# the manifest, which 5.1 does not check for versions newer than it knows). PowerShell 7 checks its own runtime in
# DependencyIsolation. Exports nothing.
& {
    param([string] $Edition, [object] $Release)

    if ($Edition -eq 'Core') { return }

    # The Release DWORD of each version's first build (docs.microsoft.com: "How to determine which .NET Framework versions are installed").
    $required = 461808
    if ($Release -is [int] -and $Release -ge $required) { return }

    $known = @(528040, '4.8'), @(461808, '4.7.2'), @(461308, '4.7.1'), @(460798, '4.7'), @(394802, '4.6.2'), @(394254, '4.6.1'), @(393295, '4.6'), @(379893, '4.5.2'), @(378675, '4.5.1'), @(378389, '4.5')
    $installed = if ($Release -is [int]) {
        $match = $known | Where-Object { $Release -ge $_[0] } | Select-Object -First 1
        if ($match) { ".NET Framework $($match[1]) (Release $Release)" } else { ".NET Framework 4 (Release $Release)" }
    }
    else { 'no .NET Framework 4.5 or later (no Release value under HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full)' }

    throw "Seedance needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1; this machine has $installed. " +
        'Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework/net48) and import the module again, or use PowerShell 7.4 or later.'
} $PSVersionTable.PSEdition $(if ($PSVersionTable.PSEdition -ne 'Core') { (Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue).Release })

Export-ModuleMember
