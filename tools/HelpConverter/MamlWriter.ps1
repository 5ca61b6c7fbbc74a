# Writes command help objects (CommandPage.ps1) as MAML, the XML Get-Help reads for compiled cmdlets
# (<assembly>-Help.xml beside the module, in a culture folder). The layout follows what platyPS writes, so
# Get-Help renders it as it renders any module's help. XmlWriter does all escaping.

$script:Maml = 'http://schemas.microsoft.com/maml/2004/10'
$script:MamlCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:MamlDev = 'http://schemas.microsoft.com/maml/dev/2004/10'

# Get-Help indents prose by 4 (synopsis, description, examples) or 8 (parameters, inputs, outputs, notes)
# columns and breaks lines in the middle of words, so prose is wrapped here to fit 80 columns.
$script:TopWidth = 76
$script:NestedWidth = 72

function ConvertTo-HelpParagraphs {
    <#
    .SYNOPSIS
        Markdown blocks as the paragraphs of console help: prose wrapped to $Width, list items as '- item',
        code and tables as they are (Get-Help keeps line breaks inside a paragraph). Comments are dropped.
    #>
    param([object[]] $Blocks, [int] $Width = $script:TopWidth)
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Paragraph' { Format-WrappedText (ConvertTo-PlainInline ($block.Text -replace '\n', ' ')) -Width $Width }
            'List' {
                foreach ($item in $block.Items) {
                    $marker = if ($item.Marker -match '^\d') { $item.Marker + ' ' } else { '- ' }
                    $nest = ' ' * [Math]::Min($item.Indent, 8)
                    Format-WrappedText (ConvertTo-PlainInline $item.Text) -Width $Width -Indent ($nest + $marker) -HangingIndent ($nest + (' ' * $marker.Length))
                }
            }
            'Code' { $block.Text }
            'Table' { Format-TextTable $block.Rows }
        }
    }
}

function Format-TextTable([object[]] $Rows) {
    # Columns padded to their widest cell, a dashed line under the header row.
    $cells = @(foreach ($row in $Rows) { , @($row | ForEach-Object { ConvertTo-PlainInline $_ }) })
    $columns = ($cells | ForEach-Object { $_.Count } | Measure-Object -Maximum).Maximum
    $widths = for ($c = 0; $c -lt $columns; $c++) { ($cells | ForEach-Object { if ($c -lt $_.Count) { $_[$c].Length } else { 0 } } | Measure-Object -Maximum).Maximum }
    $lines = [Collections.Generic.List[string]]::new()
    for ($r = 0; $r -lt $cells.Count; $r++) {
        $padded = for ($c = 0; $c -lt $columns; $c++) { $text = if ($c -lt $cells[$r].Count) { $cells[$r][$c] } else { '' }; $text.PadRight($widths[$c]) }
        $lines.Add(($padded -join '  ').TrimEnd())
        if ($r -eq 0) { $lines.Add((($widths | ForEach-Object { '-' * $_ }) -join '  ')) }
    }
    $lines -join "`n"
}

function Format-ExampleTitle([string] $Title) {
    # '---- Example 1: title ----' centred in 76 columns, as Get-Help users know it (it indents the title by 4, so 80 in
    # all). A longer title is wrapped at words instead, without dashes: at 80 columns the console would cut it inside a
    # word and put the last '-' on a line of its own.
    if ($Title.Length + 6 -le 76) {
        $dashes = 76 - $Title.Length - 2
        $left = [Math]::Floor($dashes / 2)
        return ('-' * $left) + " $Title " + ('-' * ($dashes - $left))
    }
    (Format-WrappedText $Title -Width 79 -Indent '    ' -HangingIndent '        ').TrimStart()
}

function Write-MamlParagraphs([Xml.XmlWriter] $Writer, [object[]] $Blocks, [int] $Width) {
    foreach ($paragraph in ConvertTo-HelpParagraphs $Blocks -Width $Width) { $Writer.WriteElementString('maml', 'para', $script:Maml, $paragraph) }
}

function Write-MamlDescription([Xml.XmlWriter] $Writer, [object[]] $Blocks, [int] $Width) {
    $Writer.WriteStartElement('maml', 'description', $script:Maml)
    Write-MamlParagraphs $Writer $Blocks $Width
    $Writer.WriteEndElement()
}

function Write-MamlParameter([Xml.XmlWriter] $Writer, $Parameter, $Metadata) {
    $isSwitch = $Metadata.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $script:MamlCommand)
    $Writer.WriteAttributeString('required', $Metadata.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ($Metadata.Type.EndsWith('[]')).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Metadata.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Metadata.PipelineInput)
    $Writer.WriteAttributeString('position', $(if ($Metadata.Position -match '^\d+$') { $Metadata.Position } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Metadata.Aliases.Count) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:Maml, $Parameter.Name)
    Write-MamlDescription $Writer $Parameter.Description $script:NestedWidth
    if ($Metadata.AcceptedValues.Count -gt 0) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $script:MamlCommand)
        foreach ($value in $Metadata.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $script:MamlCommand)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $script:MamlCommand, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $isSwitch) {
        # The value is required whenever the parameter is given (Get-Help shows -Name <Type>, not [<Type>]).
        $Writer.WriteStartElement('command', 'parameterValue', $script:MamlCommand)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Metadata.Type)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $script:MamlDev)
    $Writer.WriteElementString('maml', 'name', $script:Maml, $Metadata.Type)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $script:MamlDev, $Metadata.DefaultValue)
    $Writer.WriteEndElement()
}

function Get-MetadataForSet($Parameter, [string] $SetName) {
    $Parameter.Metadata | Where-Object { $_.ParameterSets -contains '(All)' -or $_.ParameterSets -contains $SetName } | Select-Object -First 1
}

function Get-SyntaxSets($Command) {
    <#
    .SYNOPSIS
        The syntax blocks to write: {SetName, Parameters (in order)}. From the page's SYNTAX section when it has
        one (its parameter order is Get-Command's), otherwise built from the parameters' sets, positional first.
    #>
    $byName = @{}
    foreach ($parameter in $Command.Parameters) { $byName[$parameter.Name] = $parameter }
    if ($Command.Syntax.Count -gt 0) {
        foreach ($set in $Command.Syntax) {
            $parameters = foreach ($name in $set.Parameters) {
                if (-not $byName.ContainsKey($name)) { throw "$($Command.Source):$($set.Line): SYNTAX names -$name, which has no '### -$name' section under PARAMETERS." }
                $byName[$name]
            }
            [pscustomobject]@{ SetName = $set.SetName; Parameters = @($parameters) }
        }
        return
    }

    $setNames = @($Command.Parameters | ForEach-Object { $_.Metadata } | ForEach-Object { $_.ParameterSets } | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
    if ($setNames.Count -eq 0) { $setNames = @('__AllParameterSets') }
    foreach ($setName in $setNames) {
        $members = @($Command.Parameters | Where-Object { Get-MetadataForSet $_ $setName })
        $positional = @($members | Where-Object { (Get-MetadataForSet $_ $setName).Position -match '^\d+$' } | Sort-Object { [int](Get-MetadataForSet $_ $setName).Position })
        $named = @($members | Where-Object { (Get-MetadataForSet $_ $setName).Position -notmatch '^\d+$' })
        [pscustomobject]@{ SetName = $setName; Parameters = @($positional + $named) }
    }
}

function Write-MamlCommand([Xml.XmlWriter] $Writer, $Command) {
    $Writer.WriteStartElement('command', 'command', $script:MamlCommand)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $script:Maml)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $script:MamlDev)

    $verb, $noun = $Command.Name -split '-', 2
    $Writer.WriteStartElement('command', 'details', $script:MamlCommand)
    $Writer.WriteElementString('command', 'name', $script:MamlCommand, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $script:MamlCommand, $verb)
    $Writer.WriteElementString('command', 'noun', $script:MamlCommand, $noun)
    $Writer.WriteStartElement('maml', 'description', $script:Maml)
    $Writer.WriteElementString('maml', 'para', $script:Maml, (Format-WrappedText $Command.Synopsis -Width $script:TopWidth))
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    Write-MamlDescription $Writer $Command.Description $script:TopWidth

    $Writer.WriteStartElement('command', 'syntax', $script:MamlCommand)
    foreach ($set in Get-SyntaxSets $Command) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:MamlCommand)
        $Writer.WriteElementString('maml', 'name', $script:Maml, $Command.Name)
        foreach ($parameter in $set.Parameters) {
            $metadata = Get-MetadataForSet $parameter $set.SetName
            if ($null -eq $metadata) { throw "$($Command.Source):$($parameter.Line): -$($parameter.Name) is in syntax set '$($set.SetName)', but none of its yaml blocks lists that set." }
            Write-MamlParameter $Writer $parameter $metadata
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $script:MamlCommand)
    foreach ($parameter in $Command.Parameters) { Write-MamlParameter $Writer $parameter $parameter.Metadata[0] }
    $Writer.WriteEndElement()

    foreach ($kind in @(@{ List = 'inputTypes'; Item = 'inputType'; Types = $Command.Inputs }, @{ List = 'returnValues'; Item = 'returnValue'; Types = $Command.Outputs })) {
        $Writer.WriteStartElement('command', $kind.List, $script:MamlCommand)
        foreach ($type in $kind.Types) {
            $Writer.WriteStartElement('command', $kind.Item, $script:MamlCommand)
            $Writer.WriteStartElement('dev', 'type', $script:MamlDev)
            $Writer.WriteElementString('maml', 'name', $script:Maml, $type.Type)
            $Writer.WriteEndElement()
            Write-MamlDescription $Writer $type.Description $script:NestedWidth
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $script:Maml)
    $Writer.WriteStartElement('maml', 'alert', $script:Maml)
    Write-MamlParagraphs $Writer $Command.Notes $script:NestedWidth
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $script:MamlCommand)
    foreach ($example in $Command.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:MamlCommand)
        $Writer.WriteElementString('maml', 'title', $script:Maml, (Format-ExampleTitle $example.Title))
        if ($example.Introduction.Count -gt 0) {
            $Writer.WriteStartElement('maml', 'introduction', $script:Maml)
            Write-MamlParagraphs $Writer $example.Introduction $script:TopWidth
            $Writer.WriteEndElement()
        }
        $Writer.WriteElementString('dev', 'code', $script:MamlDev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:MamlDev)
        Write-MamlParagraphs $Writer $example.Remarks $script:TopWidth
        # An empty paragraph last: Get-Help would otherwise run the next example's title into this text.
        $Writer.WriteElementString('maml', 'para', $script:Maml, '')
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Get-Help -Online opens the first link that has an address: the page's 'online version'.
    $Writer.WriteStartElement('command', 'relatedLinks', $script:MamlCommand)
    $links = @()
    if ($Command.OnlineVersion) { $links += [pscustomobject]@{ Text = 'Online Version:'; Uri = $Command.OnlineVersion } }
    foreach ($link in @($links) + @($Command.RelatedLinks)) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Maml)
        $Writer.WriteElementString('maml', 'linkText', $script:Maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $script:Maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Write-MamlHelpFile {
    <#
    .SYNOPSIS
        Writes the commands' help as one MAML file (UTF-8 with a byte order mark, which Windows PowerShell 5.1 needs).
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Command)
    $settings = [Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [Text.UTF8Encoding]::new($true)
    $settings.NewLineChars = "`n"
    $writer = [Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Command | Sort-Object Name) { Write-MamlCommand $writer $item }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}
