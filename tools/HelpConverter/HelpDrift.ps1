# Compares a help page with the command it documents, so help cannot drift from the code: every parameter
# documented, none that no longer exists, the yaml metadata (type, sets, position, pipeline, aliases, accepted
# values, defaults) and the syntax as the cmdlet really has them, examples that parse and only use parameters that
# exist. Each problem is one line that names the page and says what to write, for whoever changed the cmdlet.

$script:CommonParameterNames = @([System.Management.Automation.Cmdlet]::CommonParameters) + @('ProgressAction')

function Test-HiddenParameter([System.Management.Automation.ParameterMetadata] $Parameter) {
    # DontShow on every [Parameter()] of it: a parameter "not for direct use" (e.g. an -InputObject that only carries
    # the pipeline object). Tab completion hides it, and platyPS leaves it out of pages and syntax; so do we.
    $declared = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $declared.Count -gt 0 -and @($declared | Where-Object { -not $_.DontShow }).Count -eq 0
}

function Get-HiddenParameterNames([System.Management.Automation.CommandInfo] $Command) {
    @($Command.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameterNames -and (Test-HiddenParameter $_) } | ForEach-Object Name)
}

function Get-DocumentedParameterNames([System.Management.Automation.CommandInfo] $Command) {
    # What a page must document: every parameter but the common ones (WhatIf and Confirm included, as platyPS does)
    # and the hidden (DontShow) ones, which platyPS leaves out too.
    @($Command.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameterNames -and -not (Test-HiddenParameter $_) } | ForEach-Object Name)
}

function Get-ParameterFacts([System.Management.Automation.CommandInfo] $Command, [string] $Name) {
    <#
    .SYNOPSIS
        One parameter as its yaml metadata must describe it: type, aliases, accepted values, wildcards, and per
        parameter set {Required, Position, ByValue, ByPropertyName}.
    #>
    $parameter = $Command.Parameters[$Name]
    $allSets = @($Command.ParameterSets | ForEach-Object Name)
    $perSet = [ordered]@{}
    foreach ($setName in $allSets) {
        $set = if ($parameter.ParameterSets.ContainsKey($setName)) { $parameter.ParameterSets[$setName] } else { $parameter.ParameterSets['__AllParameterSets'] }
        if ($null -eq $set) { continue }
        $perSet[$setName] = [pscustomobject]@{
            Required       = $set.IsMandatory
            Position       = if ($set.Position -ge 0) { [string]$set.Position } else { 'Named' }
            ByValue        = $set.ValueFromPipeline
            ByPropertyName = $set.ValueFromPipelineByPropertyName
        }
    }
    $elementType = if ($parameter.ParameterType.IsArray) { $parameter.ParameterType.GetElementType() } else { $parameter.ParameterType }
    $accepted = @(
        if ($elementType.IsEnum) { [Enum]::GetNames($elementType) }
        foreach ($validateSet in $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }) { $validateSet.ValidValues }
    )
    [pscustomobject]@{
        Name           = $Name
        # A [DateTime?] parameter is documented as DateTime (Nullable`1 says nothing to a reader).
        Type           = $(if ([Nullable]::GetUnderlyingType($parameter.ParameterType)) { [Nullable]::GetUnderlyingType($parameter.ParameterType) } else { $parameter.ParameterType })
        Aliases        = @($parameter.Aliases)
        AcceptedValues = $accepted
        Globbing       = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
        InAllSets      = $parameter.ParameterSets.ContainsKey('__AllParameterSets') -or $perSet.Count -eq $allSets.Count
        PerSet         = $perSet
        AllSets        = $allSets
    }
}

function Get-ParameterDefault([System.Management.Automation.CommandInfo] $Command, [string] $Name) {
    # The value a parameter starts with, or $null when there is nothing worth checking (none known, null, empty,
    # 0 or false: such defaults mean "not given" and pages describe them in words). A cmdlet's is the initial value
    # of its property; a function's is a constant in its param() block.
    $value = $null
    if ($Command -is [System.Management.Automation.CmdletInfo]) {
        $property = $Command.ImplementingType.GetProperty($Name)
        if ($null -eq $property) { return $null }
        $instance = [Activator]::CreateInstance($Command.ImplementingType)
        try { $value = $property.GetValue($instance) } finally { if ($instance -is [IDisposable]) { $instance.Dispose() } }
    }
    elseif ($Command -is [System.Management.Automation.FunctionInfo] -and $Command.ScriptBlock.Ast.Body.ParamBlock) {
        $declared = $Command.ScriptBlock.Ast.Body.ParamBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq $Name }
        if ($declared -and $declared.DefaultValue -is [System.Management.Automation.Language.ConstantExpressionAst]) { $value = $declared.DefaultValue.Value }
    }
    if ($null -eq $value -or $value -is [System.Management.Automation.SwitchParameter]) { return $null }
    if ($value -is [Collections.ICollection] -and $value.Count -eq 0) { return $null }
    $text = if ($value -is [Collections.IEnumerable] -and $value -isnot [string]) { (@($value) | ForEach-Object { [string]$_ }) -join ', ' } else { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $value) }
    if ($text -in '', '0', 'False') { return $null }
    $text
}

function Format-ParameterYaml($Facts, [string] $Default = 'None') {
    # The yaml blocks a page should have for a parameter: one per group of sets in which it behaves the same.
    $groups = [ordered]@{}
    foreach ($setName in $Facts.PerSet.Keys) {
        $f = $Facts.PerSet[$setName]
        $key = "$($f.Required)|$($f.Position)|$($f.ByValue)|$($f.ByPropertyName)"
        if (-not $groups.Contains($key)) { $groups[$key] = [Collections.Generic.List[string]]::new() }
        $groups[$key].Add($setName)
    }
    foreach ($key in $groups.Keys) {
        $sets = $groups[$key]
        $f = $Facts.PerSet[$sets[0]]
        $pipeline = @(if ($f.ByPropertyName) { 'ByPropertyName' }; if ($f.ByValue) { 'ByValue' })
        $lines = @(
            '```yaml'
            "Type: $($Facts.Type.Name)"
            "Parameter Sets: $(if ($groups.Count -eq 1 -and $Facts.InAllSets) { '(All)' } else { $sets -join ', ' })"
            "Aliases: $($Facts.Aliases -join ', ')".TrimEnd()
            if ($Facts.AcceptedValues.Count) { "Accepted values: $($Facts.AcceptedValues -join ', ')" }
            ''
            "Required: $($f.Required)"
            "Position: $($f.Position)"
            "Default value: $Default"
            "Accept pipeline input: $(if ($pipeline) { 'True (' + ($pipeline -join ', ') + ')' } else { 'False' })"
            "Accept wildcard characters: $($Facts.Globbing)"
            '```'
        )
        $lines -join "`n"
    }
}

function New-ParameterHelpSkeleton([System.Management.Automation.CommandInfo] $Command, [string] $Name) {
    # A '### -Name' section to paste under PARAMETERS; the {{ }} placeholder fails the help test until replaced.
    $facts = Get-ParameterFacts $Command $Name
    $default = Get-ParameterDefault $Command $Name
    @(
        "### -$Name"
        "{{ Fill in: what -$Name does, its unit and range, its default, and when to use it. }}"
        ''
        (Format-ParameterYaml $facts $(if ($default) { $default } else { 'None' })) -join "`n`n"
    ) -join "`n"
}

function Format-ExpectedSyntax([System.Management.Automation.CommandInfo] $Command, $Set) {
    # Get-Command -Syntax, without the hidden (DontShow) parameters, which it still shows and platyPS does not.
    "$($Command.Name) $(Remove-SyntaxParameter $Set.ToString() (Get-HiddenParameterNames $Command))".Trim()
}

function Remove-SyntaxParameter([string] $Syntax, [string[]] $Name) {
    # A syntax line is a row of groups, each opening with '[' or '-' at bracket depth 0 ('[-A] <t>', '[[-B] <t>]',
    # '-C <t[]>', '[-D]', '[<CommonParameters>]'); drops the groups of the parameters named.
    if (-not $Name) { return $Syntax }
    $groups = [Collections.Generic.List[string]]::new()
    $current = ''
    $depth = 0
    foreach ($token in $Syntax.Trim() -split '\s+') {
        if ($depth -eq 0 -and $current -and $token -match '^[\[-]') { $groups.Add($current); $current = '' }
        $current = if ($current) { "$current $token" } else { $token }
        $depth += $token.Split('[').Count - $token.Split(']').Count
    }
    if ($current) { $groups.Add($current) }
    @($groups | Where-Object { -not ($_ -match '^\[*-(\w+)' -and $Matches[1] -in $Name) }) -join ' '
}

function Test-SameNames([string[]] $Left, [string[]] $Right) {
    # The same names in any order, case aside (as PowerShell binds aliases and enum values).
    (@($Left | ForEach-Object { $_.ToLowerInvariant() } | Sort-Object) -join ',') -eq (@($Right | ForEach-Object { $_.ToLowerInvariant() } | Sort-Object) -join ',')
}

function Compress-Whitespace([string] $Text) { ($Text -replace '\s+', ' ').Trim() }

function Test-CommandHelpDrift {
    <#
    .SYNOPSIS
        The differences between a page and the command, one message each (none when they agree).
    #>
    param([Parameter(Mandatory)] $Help, [Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $page = $Help.Source
    $documented = @{}
    foreach ($parameter in $Help.Parameters) { $documented[$parameter.Name] = $parameter }

    foreach ($name in Get-DocumentedParameterNames $Command) {
        if (-not $documented.ContainsKey($name)) {
            "${page}: -$name of $($Command.Name) is not documented. Add this section under '## PARAMETERS' and say what it does:`n`n$(New-ParameterHelpSkeleton $Command $name)`n"
            continue
        }
        $facts = Get-ParameterFacts $Command $name
        $doc = $documented[$name]
        $where = "${page}:$($doc.Line): -$name"
        if ($doc.Name -cne $name) { "${where}: the heading should be spelt '### -$name'." }
        $coveredSets = [Collections.Generic.List[string]]::new()
        foreach ($meta in $doc.Metadata) {
            if ($meta.Type -ne $facts.Type.Name -and $meta.Type -ne $facts.Type.FullName) { "${where}: Type is '$($meta.Type)'; the parameter is [$($facts.Type.Name)]. Write 'Type: $($facts.Type.Name)'." }
            $sets = if ($meta.ParameterSets -contains '(All)') { $facts.AllSets } else { $meta.ParameterSets }
            if ($meta.ParameterSets -contains '(All)' -and -not $facts.InAllSets) { "${where}: 'Parameter Sets: (All)', but it is only in: $($facts.PerSet.Keys -join ', ')." }
            foreach ($setName in $sets) {
                if (-not $facts.PerSet.Contains($setName)) { "${where}: lists parameter set '$setName', which $($Command.Name) $(if ($setName -in $facts.AllSets) { 'does not put it in' } else { 'does not have' }) (its sets: $($facts.PerSet.Keys -join ', '))."; continue }
                $coveredSets.Add($setName)
                $real = $facts.PerSet[$setName]
                foreach ($field in @(
                        @{ Label = 'Required'; Doc = $meta.Required; Real = $real.Required }
                        @{ Label = 'Position'; Doc = $meta.Position; Real = $real.Position }
                        @{ Label = 'Accept pipeline input ByValue'; Doc = $meta.ByValue; Real = $real.ByValue }
                        @{ Label = 'Accept pipeline input ByPropertyName'; Doc = $meta.ByPropertyName; Real = $real.ByPropertyName })) {
                    if ([string]$field.Doc -ne [string]$field.Real) { "${where}: in set '$setName' '$($field.Label)' is documented as $($field.Doc) but is $($field.Real)." }
                }
            }
            if (-not (Test-SameNames $meta.Aliases $facts.Aliases)) { "${where}: Aliases are documented as '$($meta.Aliases -join ', ')' but are '$($facts.Aliases -join ', ')'." }
            if (-not (Test-SameNames $meta.AcceptedValues $facts.AcceptedValues)) { "${where}: Accepted values are documented as '$($meta.AcceptedValues -join ', ')' but are '$($facts.AcceptedValues -join ', ')'." }
            if ($meta.Globbing -ne $facts.Globbing) { "${where}: 'Accept wildcard characters' should be $($facts.Globbing)." }
            $default = Get-ParameterDefault $Command $name
            if ($default -and $meta.DefaultValue -notlike "*$default*") { "${where}: 'Default value' is '$($meta.DefaultValue)'; the cmdlet's default is $default." }
        }
        foreach ($missing in @($facts.PerSet.Keys | Where-Object { $_ -notin $coveredSets })) { "${where}: no yaml block covers parameter set '$missing'. Expected:`n$((Format-ParameterYaml $facts) -join "`n")" }
    }

    foreach ($name in $documented.Keys) {
        if (-not $Command.Parameters.ContainsKey($name) -or $name -in $script:CommonParameterNames) {
            "${page}:$($documented[$name].Line): documents -$name, which $($Command.Name) does not have (any more). Remove that section, or rename it if the parameter was renamed."
        }
        elseif (Test-HiddenParameter $Command.Parameters[$name]) {
            "${page}:$($documented[$name].Line): documents -$name, which $($Command.Name) hides (DontShow: not for direct use). Pages leave hidden parameters out, as platyPS does: remove that section, and say what it is for in the code."
        }
    }

    $realSets = @($Command.ParameterSets)
    foreach ($set in $realSets) {
        $docSet = $Help.Syntax | Where-Object SetName -eq $set.Name | Select-Object -First 1
        $expected = Format-ExpectedSyntax $Command $set
        $heading = $set.Name + $(if ($set.IsDefault -and $realSets.Count -gt 1) { ' (Default)' } else { '' })
        if ($null -eq $docSet) { "${page}: SYNTAX has no '### $heading' set. Add:`n`n### $heading`n``````n$expected`n``````n"; continue }
        if ((Compress-Whitespace $docSet.Text) -ne (Compress-Whitespace $expected)) { "${page}:$($docSet.Line): SYNTAX of set '$($set.Name)' differs from Get-Command -Syntax. It should read:`n``````n$expected`n``````n" }
        if ($docSet.IsDefault -ne ($set.IsDefault -and $realSets.Count -gt 1)) { "${page}:$($docSet.Line): the heading of syntax set '$($set.Name)' should be '### $heading'." }
    }
    foreach ($docSet in $Help.Syntax) {
        if ($docSet.SetName -notin $realSets.Name) { "${page}:$($docSet.Line): SYNTAX shows set '$($docSet.SetName)', which $($Command.Name) does not have. Its sets: $($realSets.Name -join ', ')." }
    }
}

function Test-CommandHelpContent {
    <#
    .SYNOPSIS
        What a complete page has: synopsis, description, two examples or more, text for every parameter, inputs,
        outputs (every [OutputType]), notes, related links, the online address and help file name of the command,
        and no {{ placeholders }} left. One message per gap.
    #>
    param([Parameter(Mandatory)] $Help, [Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command, [string] $ExpectedOnlineUri)
    $page = $Help.Source
    if (-not $Help.Synopsis) { "${page}: '## SYNOPSIS' is empty: say in one sentence what $($Command.Name) does." }
    if (-not ($Help.Description | Where-Object Kind -eq 'Paragraph')) { "${page}: '## DESCRIPTION' has no text." }
    if ($Help.Examples.Count -lt 2) { "${page}: has $($Help.Examples.Count) example(s); write at least two real ones ('### Example N: what it shows', a ```powershell block, then what it does)." }
    foreach ($example in $Help.Examples) {
        if ($example.CodeLanguage -ne 'powershell') { "${page}:$($example.CodeLine): the code of '$($example.Title)' should be a ```powershell block (it is '$($example.CodeLanguage)')." }
        if (-not ($example.Remarks | Where-Object Kind -eq 'Paragraph')) { "${page}:$($example.Line): '$($example.Title)' does not say what it does (a paragraph after the code)." }
    }
    foreach ($parameter in $Help.Parameters) {
        if (-not ($parameter.Description | Where-Object Kind -in 'Paragraph', 'List')) { "${page}:$($parameter.Line): -$($parameter.Name) has no description." }
    }
    if (-not $Help.HasCommonParameters) { "${page}: '## PARAMETERS' should end with a '### CommonParameters' section." }
    if ($Help.Inputs.Count -eq 0) { "${page}: '## INPUTS' lists no type (write '### None' when nothing can be piped)." }
    foreach ($parameter in $Command.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameterNames -and -not (Test-HiddenParameter $_) }) {
        if (-not ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline })) { continue }
        $type = if ($parameter.ParameterType.IsArray) { $parameter.ParameterType.GetElementType() } else { $parameter.ParameterType }
        if (-not ($Help.Inputs | Where-Object { $_.Type -eq $type.FullName -or $_.Type -eq "$($type.FullName)[]" })) { "${page}: -$($parameter.Name) takes [$($type.FullName)] from the pipeline; '## INPUTS' should have '### $($type.FullName)'." }
    }
    if ($Help.Outputs.Count -eq 0) { "${page}: '## OUTPUTS' lists no type (write '### None' when it returns nothing)." }
    foreach ($output in @($Command.OutputType | Where-Object { $_.Name -ne 'System.Void' })) {
        if (-not ($Help.Outputs | Where-Object Type -eq $output.Name)) { "${page}: $($Command.Name) declares [OutputType($($output.Name))]; '## OUTPUTS' should have '### $($output.Name)'." }
    }
    if (-not ($Help.Notes | Where-Object Kind -in 'Paragraph', 'List')) { "${page}: '## NOTES' is empty." }
    if ($Help.RelatedLinks.Count -eq 0) { "${page}: '## RELATED LINKS' has no link." }
    if ($ExpectedOnlineUri -and $Help.OnlineVersion -ne $ExpectedOnlineUri) { "${page}: front matter 'online version' is '$($Help.OnlineVersion)'; it should be $ExpectedOnlineUri (the cmdlet's HelpUri)." }
    if ($Command.DLL) {
        $helpFile = [IO.Path]::GetFileName($Command.DLL) + '-Help.xml'
        if ($Help.ExternalHelpFile -ne $helpFile) { "${page}: front matter 'external help file' should be $helpFile." }
    }
    if ($Help.ModuleName -ne $Command.ModuleName) { "${page}: front matter 'Module Name' should be $($Command.ModuleName)." }
    $text = Get-Content -LiteralPath $page -Raw -ErrorAction Ignore
    if ($text -match '\{\{[^}]*\}\}') { "${page}: still has a placeholder: $($Matches[0])" }
}

function Test-PowerShellSnippet {
    <#
    .SYNOPSIS
        Problems of a code block: parse errors, and uses of the module's commands with a parameter they do not
        have (names, aliases and unambiguous prefixes are fine, as when PowerShell binds them).
    #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Code, [string] $Where = '<code>', [string] $ModuleName = 'Seedance')
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
    foreach ($e in $errors) { "${Where}: does not parse: line $($e.Extent.StartLineNumber) of the block: $($e.Message)" }
    if ($errors.Count) { return }
    foreach ($commandAst in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $commandAst.GetCommandName()
        if (-not $name) { continue }
        $command = Get-Command -Name $name -Module $ModuleName -ErrorAction Ignore
        if (-not $command) { continue }
        foreach ($element in $commandAst.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
            try { $null = $command.ResolveParameter($element.ParameterName) }
            catch { "${Where}: line $($element.Extent.StartLineNumber) of the block: $name has no parameter -$($element.ParameterName)." }
        }
    }
}
