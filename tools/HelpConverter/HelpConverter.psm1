# Turns the help sources in docs/<culture>/ into what Get-Help reads, without platyPS (not available here):
#   <Command>.md   (platyPS layout, 'external help file' in its front matter) -> <culture>/<that file> (MAML)
#   about_<X>.md                                                          -> <culture>/about_<X>.help.txt
# Other pages (the module page) are for readers of the repository and are skipped. New pages need no change here.
# The same module checks pages against the commands (HelpDrift.ps1), for the tests.

Set-StrictMode -Version Latest

. $PSScriptRoot/MarkdownReader.ps1
. $PSScriptRoot/CommandPage.ps1
. $PSScriptRoot/MamlWriter.ps1
. $PSScriptRoot/AboutTextWriter.ps1
. $PSScriptRoot/HelpDrift.ps1

function Get-HelpSourceFolder {
    # The culture folders under $SourcePath (en-US, de-DE, ...), not other folders such as images/.
    param([Parameter(Mandatory)] [string] $SourcePath)
    Get-ChildItem -LiteralPath $SourcePath -Directory | Where-Object Name -cmatch '^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$'
}

function Build-HelpFile {
    <#
    .SYNOPSIS
        Converts every page of every culture folder of $SourcePath into $OutputPath/<culture>/; returns the files written.
    #>
    [CmdletBinding()]
    [OutputType([IO.FileInfo])]
    param([Parameter(Mandatory)] [string] $SourcePath, [Parameter(Mandatory)] [string] $OutputPath)
    $utf8Bom = [Text.UTF8Encoding]::new($true)
    foreach ($culture in Get-HelpSourceFolder $SourcePath) {
        $destination = Join-Path $OutputPath $culture.Name
        New-Item -ItemType Directory -Force -Path $destination | Out-Null
        $byHelpFile = [ordered]@{}
        foreach ($file in Get-ChildItem -LiteralPath $culture.FullName -Filter *.md -File | Sort-Object Name) {
            $document = Read-MarkdownDocument -Path $file.FullName
            if (Test-CommandPage $document) {
                $help = ConvertTo-CommandHelp $document
                if ($help.Name -ne $file.BaseName) { throw "$($file.FullName): the page is named $($file.Name) but documents '# $($help.Name)'." }
                if (-not $help.ExternalHelpFile.EndsWith('-Help.xml')) { throw "$($file.FullName): 'external help file' should name <assembly>-Help.xml, not '$($help.ExternalHelpFile)'." }
                if (-not $byHelpFile.Contains($help.ExternalHelpFile)) { $byHelpFile[$help.ExternalHelpFile] = [Collections.Generic.List[object]]::new() }
                $byHelpFile[$help.ExternalHelpFile].Add($help)
            }
            elseif ($file.BaseName -like 'about_*') {
                $text = ConvertTo-AboutHelpText $document
                $topic = @($document.Root.Children)[0].Title
                if ($topic -ne $file.BaseName) { throw "$($file.FullName): the page is named $($file.Name) but its topic is '# $topic'." }
                $target = Join-Path $destination "$($file.BaseName).help.txt"
                [IO.File]::WriteAllText($target, $text, $utf8Bom)
                Get-Item -LiteralPath $target
            }
        }
        foreach ($helpFile in $byHelpFile.Keys) {
            $target = Join-Path $destination $helpFile
            Write-MamlHelpFile -Path $target -Command $byHelpFile[$helpFile].ToArray()
            Get-Item -LiteralPath $target
        }
    }
}

function New-CommandHelpMarkdown {
    <#
    .SYNOPSIS
        A new page for a command in the layout the converter reads, with its syntax and parameter metadata taken
        from the command itself and {{ placeholders }} for the text (the help tests fail until they are replaced).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command, [Parameter(Mandatory)] [string] $OnlineUri)
    $sets = @($Command.ParameterSets)
    # A cmdlet's help file is named after its assembly; a function's (tests, script modules) after its module.
    $helpFileBase = if ($Command -is [System.Management.Automation.CmdletInfo]) { [IO.Path]::GetFileName($Command.DLL) } else { $Command.ModuleName }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@(
            '---'
            "external help file: $helpFileBase-Help.xml"
            "Module Name: $($Command.ModuleName)"
            "online version: $OnlineUri"
            'schema: 2.0.0'
            '---'
            ''
            "# $($Command.Name)"
            ''
            '## SYNOPSIS'
            "{{ Fill in: one sentence saying what $($Command.Name) does. }}"
            ''
            '## SYNTAX'))
    foreach ($set in $sets) {
        $lines.AddRange([string[]]@('', "### $($set.Name)$(if ($set.IsDefault -and $sets.Count -gt 1) { ' (Default)' })", '```', (Format-ExpectedSyntax $Command $set), '```'))
    }
    $lines.AddRange([string[]]@('', '## DESCRIPTION', '{{ Fill in: what it does, what it sends, what it costs, what it returns. }}', '', '## EXAMPLES'))
    foreach ($n in 1, 2) { $lines.AddRange([string[]]@('', "### Example ${n}: {{ Fill in: what it shows }}", '```powershell', '{{ Fill in }}', '```', '', '{{ Fill in: what it does. }}')) }
    $lines.AddRange([string[]]@('', '## PARAMETERS'))
    foreach ($name in Get-DocumentedParameterNames $Command) { $lines.AddRange([string[]]@('', (New-ParameterHelpSkeleton $Command $name))) }
    $lines.AddRange([string[]]@(
            '', '### CommonParameters'
            'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -Verbose, -WarningAction, and -WarningVariable, and on PowerShell 7.4 and later -ProgressAction. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'
            '', '## INPUTS', '', '### None', '{{ Fill in: what can be piped in, or None. }}'
            '', '## OUTPUTS'))
    $outputs = @($Command.OutputType | Where-Object Name -ne 'System.Void')
    if ($outputs.Count -eq 0) { $lines.AddRange([string[]]@('', '### None', '{{ Fill in }}')) }
    foreach ($output in $outputs) { $lines.AddRange([string[]]@('', "### $($output.Name)", '{{ Fill in: when it is written. }}')) }
    $lines.AddRange([string[]]@('', '## NOTES', '{{ Fill in }}', '', '## RELATED LINKS', '', '[about_Seedance](about_Seedance.md)', ''))
    $lines -join "`n"
}

Export-ModuleMember -Function Read-MarkdownDocument, ConvertTo-CommandHelp, Test-CommandPage, ConvertTo-AboutHelpText,
    Write-MamlHelpFile, Build-HelpFile, Get-HelpSourceFolder, ConvertTo-PlainInline, Format-WrappedText,
    Test-CommandHelpDrift, Test-CommandHelpContent, Test-PowerShellSnippet, New-ParameterHelpSkeleton, New-CommandHelpMarkdown,
    Get-DocumentedParameterNames
