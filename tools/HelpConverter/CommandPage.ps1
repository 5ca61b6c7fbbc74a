# A cmdlet page in the platyPS layout (schema 2.0.0) as an object: synopsis, syntax, description, examples,
# parameters with their yaml metadata, inputs, outputs, notes, related links. A page that breaks the layout is an
# error naming the file and line, so the build never writes help that silently lost a section.

$script:CommandSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:ParameterFields = @('Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters')
$script:RequiredParameterFields = @('Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters')

function Test-CommandPage {
    # Whether a parsed page documents a command (platyPS marks those with 'external help file' in the front matter).
    param([Parameter(Mandatory)] $Document)
    $Document.FrontMatter.Contains('external help file')
}

function ConvertTo-CommandHelp {
    <#
    .SYNOPSIS
        The command help in a parsed page (Read-MarkdownDocument), or an error saying where the page breaks the layout.
    #>
    param([Parameter(Mandatory)] $Document)
    $source = $Document.Source
    $top = @($Document.Root.Children)
    if ($top.Count -ne 1 -or $top[0].Level -ne 1) { throw "${source}: a command page has exactly one '# Command-Name' heading, with the sections under it." }
    $page = $top[0]
    $name = $page.Title

    $sections = @{}
    foreach ($section in $page.Children) {
        $title = $section.Title.ToUpperInvariant()
        if ($title -notin $script:CommandSections) {
            throw "${source}:$($section.Line): unknown section '## $($section.Title)'. A command page has: $($script:CommandSections -join ', ')."
        }
        if ($sections.ContainsKey($title)) { throw "${source}:$($section.Line): section '## $($section.Title)' appears twice." }
        $sections[$title] = $section
    }
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.ContainsKey($required)) { throw "${source}: the page of $name has no '## $required' section." }
    }

    $synopsis = @($sections['SYNOPSIS'].Blocks | Where-Object Kind -eq 'Paragraph')
    [pscustomobject]@{
        Name             = $name
        Source           = $source
        Line             = $page.Line
        ExternalHelpFile = [string]$Document.FrontMatter['external help file']
        ModuleName       = [string]$Document.FrontMatter['Module Name']
        OnlineVersion    = [string]$Document.FrontMatter['online version']
        Synopsis         = (($synopsis | ForEach-Object { ConvertTo-PlainInline ($_.Text -replace '\n', ' ') }) -join ' ').Trim()
        Syntax           = @(Read-SyntaxSection $sections['SYNTAX'] $source)
        Description      = @($sections['DESCRIPTION'].Blocks)
        Examples         = @(Read-ExampleSection $sections['EXAMPLES'] $source)
        Parameters       = @(Read-ParameterSection $sections['PARAMETERS'] $source | Where-Object Name -ne 'CommonParameters')
        HasCommonParameters = @($sections['PARAMETERS'].Children | Where-Object Title -eq 'CommonParameters').Count -gt 0
        Inputs           = @(Read-TypeSection $sections['INPUTS'])
        Outputs          = @(Read-TypeSection $sections['OUTPUTS'])
        Notes            = @(if ($sections['NOTES']) { $sections['NOTES'].Blocks })
        RelatedLinks     = @(Read-RelatedLinks $sections['RELATED LINKS'])
    }
}

function Read-SyntaxSection($Section, [string] $Source) {
    # '### SetName (Default)' then a code block with the syntax line(s), as Get-Command -Syntax prints them.
    if ($null -eq $Section) { return }
    foreach ($set in $Section.Children) {
        $code = @($set.Blocks | Where-Object Kind -eq 'Code')
        if ($code.Count -ne 1) { throw "${Source}:$($set.Line): syntax set '$($set.Title)' needs exactly one code block." }
        $isDefault = $set.Title -match '\s+\(Default\)\s*$'
        [pscustomobject]@{
            SetName    = ($set.Title -replace '\s+\(Default\)\s*$', '').Trim()
            IsDefault  = $isDefault
            Text       = $code[0].Text
            Parameters = @([regex]::Matches($code[0].Text, '(?<![\w-])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
            Line       = $set.Line
        }
    }
}

function Read-ExampleSection($Section, [string] $Source) {
    # '### Example N: title', the code (first code block), then remarks: everything after it.
    foreach ($example in $Section.Children) {
        $blocks = @($example.Blocks)
        $codeIndex = -1
        for ($k = 0; $k -lt $blocks.Count; $k++) { if ($blocks[$k].Kind -eq 'Code') { $codeIndex = $k; break } }
        if ($codeIndex -lt 0) { throw "${Source}:$($example.Line): example '$($example.Title)' has no code block." }
        [pscustomobject]@{
            Title        = $example.Title
            Line         = $example.Line
            Code         = $blocks[$codeIndex].Text
            CodeLanguage = $blocks[$codeIndex].Language
            CodeLine     = $blocks[$codeIndex].Line
            Introduction = @($blocks | Select-Object -First $codeIndex)
            Remarks      = @($blocks | Select-Object -Skip ($codeIndex + 1))
        }
    }
}

function Read-ParameterSection($Section, [string] $Source) {
    # '### -Name', its description, and one ```yaml block per group of parameter sets it behaves the same in.
    foreach ($parameter in $Section.Children) {
        if ($parameter.Title -eq 'CommonParameters') {
            [pscustomobject]@{ Name = 'CommonParameters' }
            continue
        }
        if ($parameter.Title -notmatch '^-(\w+)$') { throw "${Source}:$($parameter.Line): a parameter heading is '### -Name', not '### $($parameter.Title)'." }
        $parameterName = $Matches[1]
        $yaml = @($parameter.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' })
        if ($yaml.Count -eq 0) { throw "${Source}:$($parameter.Line): parameter -$parameterName has no ```yaml block (Type, Parameter Sets, Aliases, ...)." }
        [pscustomobject]@{
            Name        = $parameterName
            Line        = $parameter.Line
            Description = @($parameter.Blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -eq 'yaml') })
            Metadata    = @($yaml | ForEach-Object { Read-ParameterMetadata $_ $parameterName $Source })
        }
    }
}

function Read-ParameterMetadata($Block, [string] $ParameterName, [string] $Source) {
    $fields = [ordered]@{}
    $lineNumber = $Block.Line
    foreach ($line in $Block.Text -split '\n') {
        $lineNumber++
        if ($line.Trim() -eq '') { continue }
        if ($line -notmatch '^([^:]+):\s*(.*?)\s*$') { throw "${Source}:${lineNumber}: -${ParameterName}: '$line' is not 'Field: value'." }
        $key = $Matches[1].Trim()
        if ($key -notin $script:ParameterFields) {
            throw "${Source}:${lineNumber}: -${ParameterName}: unknown field '$key'. The fields are: $($script:ParameterFields -join ', ')."
        }
        $fields[$key] = $Matches[2]
    }
    foreach ($key in $script:RequiredParameterFields) {
        if (-not $fields.Contains($key)) { throw "${Source}:$($Block.Line): -${ParameterName}: the yaml block has no '${key}:' line." }
    }
    $split = { param($value) @($value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' -and $_ -ne 'None' }) }
    $pipeline = $fields['Accept pipeline input']
    [pscustomobject]@{
        Line            = $Block.Line
        Type            = $fields['Type'].Trim()
        ParameterSets   = @(& $split $fields['Parameter Sets'])
        Aliases         = @(& $split $fields['Aliases'])
        AcceptedValues  = @(if ($fields.Contains('Accepted values')) { & $split $fields['Accepted values'] })
        Required        = ConvertTo-YamlBoolean $fields['Required'] 'Required' $ParameterName $Source $Block.Line
        Position        = $fields['Position'].Trim()
        DefaultValue    = $fields['Default value'].Trim()
        PipelineInput   = $pipeline.Trim()
        ByValue         = $pipeline -match 'ByValue'
        ByPropertyName  = $pipeline -match 'ByPropertyName'
        Globbing        = ConvertTo-YamlBoolean $fields['Accept wildcard characters'] 'Accept wildcard characters' $ParameterName $Source $Block.Line
    }
}

function ConvertTo-YamlBoolean([string] $Value, [string] $Field, [string] $ParameterName, [string] $Source, [int] $Line) {
    switch -Regex ($Value.Trim()) {
        '^True\b' { return $true }
        '^False\b' { return $false }
        default { throw "${Source}:${Line}: -${ParameterName}: '${Field}' is '$Value'; write True or False." }
    }
}

function Read-TypeSection($Section) {
    # '### Type.Name' headings, each with an optional description (INPUTS and OUTPUTS).
    if ($null -eq $Section) { return }
    foreach ($type in $Section.Children) {
        [pscustomobject]@{ Type = $type.Title; Description = @($type.Blocks) }
    }
}

function Read-RelatedLinks($Section) {
    # One link per line or list item: [text](address). Relative addresses (other pages) keep only their text.
    if ($null -eq $Section) { return }
    foreach ($block in $Section.Blocks) {
        $text = if ($block.Kind -eq 'List') { ($block.Items.Text) -join "`n" } else { $block.Text }
        foreach ($match in [regex]::Matches($text, '\[([^\]]+)\]\(([^)\s]*)\)')) {
            $target = $match.Groups[2].Value
            [pscustomobject]@{
                Text = $match.Groups[1].Value
                Uri  = if ($target -match '^https?://') { $target } else { '' }
                Target = $target
            }
        }
    }
}
