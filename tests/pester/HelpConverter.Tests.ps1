#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help converter in tools/HelpConverter on its own (no Seedance module needed): markdown reading (headings,
# code blocks, lists, tables), the platyPS page layout, MAML that Get-Help really reads (a function of a fake module
# points at it with .ExternalHelp), escaping, about_ text, building a folder of pages, and the drift checks.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/HelpConverter/HelpConverter.psm1') -Force

    # A page in the platyPS layout for Get-FakeThing of FakeHelpModule (defined in the Describe blocks that need it).
    function New-FakePage([string] $Description = 'Gets the thing.', [string] $ExtraParameters = '', [string] $Syntax = 'Get-FakeThing [-Name] <string> [-Count <int>] [-Force] [<CommonParameters>]') {
        @"
---
external help file: FakeHelpModule-Help.xml
Module Name: FakeHelpModule
online version: https://example.com/docs/Get-FakeThing.md
schema: 2.0.0
---

# Get-FakeThing

## SYNOPSIS
Gets a <thing> & its "parts".

## SYNTAX

### __AllParameterSets
``````
$Syntax
``````

## DESCRIPTION
$Description

- first point
- second point, which goes on
  over two lines

``````powershell
Get-FakeThing -Name 'a' | Where-Object { `$_ -lt 3 }
``````

| column | other |
|---|---|
| a | ``b|c`` |

## EXAMPLES

### Example 1: The plain case
``````powershell
Get-FakeThing -Name '<one>' -Count 2
``````

Gets <one> & two.

### Example 2: C# and #hash inside code
``````powershell
# not a heading
Get-FakeThing x
``````

Second.

## PARAMETERS

### -Name
The name: <n> & "quoted".

``````yaml
Type: String
Parameter Sets: (All)
Aliases: N

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: False
``````

### -Count
How many, 1 to 10.

``````yaml
Type: Int32
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: 3
Accept pipeline input: False
Accept wildcard characters: False
``````

### -Force
Forces it.

``````yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
``````
$ExtraParameters
### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
The name.

## OUTPUTS

### System.String
A string.

## NOTES
A note with <angle> brackets & an ampersand.

## RELATED LINKS

[about_FakeThing](about_FakeThing.md)

[Elsewhere](https://example.com/elsewhere)
"@
    }

    function Read-FakePage([string] $Text) { ConvertTo-CommandHelp (Read-MarkdownDocument -Text $Text -SourceName 'Get-FakeThing.md') }
}

Describe 'Reading markdown' {
    It 'reads front matter, nested headings and line numbers' {
        $doc = Read-MarkdownDocument -Text "---`nkey: value`nother: two words`n---`n`n# Top`n`n## Child`ntext`n`n### Grandchild C#`n`n## Second" -SourceName 'x.md'
        $doc.FrontMatter['key'] | Should -Be 'value'
        $doc.FrontMatter['other'] | Should -Be 'two words'
        $top = @($doc.Root.Children)
        $top.Count | Should -Be 1
        $top[0].Title | Should -Be 'Top'
        $top[0].Line | Should -Be 6
        @($top[0].Children.Title) | Should -Be @('Child', 'Second')
        $top[0].Children[0].Children[0].Title | Should -Be 'Grandchild C#'
        $top[0].Children[0].Blocks[0].Text | Should -Be 'text'
    }

    It 'keeps # lines inside a code fence as code, with the fence language' {
        $doc = Read-MarkdownDocument -Text "# T`n``````powershell`n# a comment`n## not a heading`n``````"
        $doc.Root.Children[0].Children.Count | Should -Be 0
        $code = $doc.Root.Children[0].Blocks[0]
        $code.Kind | Should -Be 'Code'
        $code.Language | Should -Be 'powershell'
        $code.Text | Should -Be "# a comment`n## not a heading"
    }

    It 'reads lists with continuation lines, tables with escaped pipes, comments and indented code' {
        $doc = Read-MarkdownDocument -Text "# T`n- one`n  more`n- two`n`n| a | b |`n|---|:-:|`n| 1 | x\|y |`n`n<!-- hidden`nstill -->`n`n    indented code`n    line 2"
        $blocks = @($doc.Root.Children[0].Blocks)
        @($blocks.Kind) | Should -Be @('List', 'Table', 'Comment', 'Code')
        @($blocks[0].Items.Text) | Should -Be @('one more', 'two')
        $blocks[1].Rows.Count | Should -Be 2
        $blocks[1].Rows[1][1] | Should -Be 'x|y'
        $blocks[2].Text | Should -Be "hidden`nstill"
        $blocks[3].Text | Should -Be "indented code`nline 2"
    }

    It 'says where a code fence is left open' {
        { Read-MarkdownDocument -Text "# T`n`ntext`n``````powershell`nGet-Thing" -SourceName 'open.md' } | Should -Throw '*open.md:4*never closed*'
    }

    It 'turns inline markdown into console text: links, bold, escapes, entities; code spans untouched' {
        ConvertTo-PlainInline 'See [about_X](about_X.md) and [the site](https://example.com), **bold**, \*star\*, &lt;tag&gt; &amp; `[a](b) **c**`' |
            Should -Be 'See about_X and the site (https://example.com), bold, *star*, <tag> & `[a](b) **c**`'
    }

    It 'wraps words at the width and never cuts a word' {
        $text = Format-WrappedText ('word ' * 30) -Width 24 -Indent '    '
        foreach ($line in $text -split "`n") { $line.Length | Should -BeLessOrEqual 24; $line | Should -Match '^    word( word)*$' }
        Format-WrappedText 'short https://example.com/a/very/long/address/that/cannot/fit end' -Width 20 | Should -Be "short`nhttps://example.com/a/very/long/address/that/cannot/fit`nend"
    }
}

Describe 'Reading a command page' {
    It 'reads every section of the platyPS layout' {
        $help = Read-FakePage (New-FakePage)
        $help.Name | Should -Be 'Get-FakeThing'
        $help.ExternalHelpFile | Should -Be 'FakeHelpModule-Help.xml'
        $help.OnlineVersion | Should -Be 'https://example.com/docs/Get-FakeThing.md'
        $help.Synopsis | Should -Be 'Gets a <thing> & its "parts".'
        $help.Syntax[0].SetName | Should -Be '__AllParameterSets'
        @($help.Syntax[0].Parameters) | Should -Be @('Name', 'Count', 'Force')
        @($help.Description.Kind) | Should -Be @('Paragraph', 'List', 'Code', 'Table')
        @($help.Examples.Title) | Should -Be @('Example 1: The plain case', 'Example 2: C# and #hash inside code')
        $help.Examples[1].Code | Should -Be "# not a heading`nGet-FakeThing x"
        $help.Examples[0].Remarks[0].Text | Should -Be 'Gets <one> & two.'
        @($help.Parameters.Name) | Should -Be @('Name', 'Count', 'Force')
        $help.HasCommonParameters | Should -BeTrue
        $name = $help.Parameters[0].Metadata[0]
        $name.Type | Should -Be 'String'
        @($name.Aliases) | Should -Be @('N')
        $name.Required | Should -BeTrue
        $name.Position | Should -Be '0'
        $name.ByValue | Should -BeTrue
        $name.ByPropertyName | Should -BeFalse
        @($name.ParameterSets) | Should -Be @('(All)')
        $help.Parameters[1].Metadata[0].DefaultValue | Should -Be '3'
        @($help.Inputs.Type) | Should -Be @('System.String')
        @($help.Outputs.Type) | Should -Be @('System.String')
        @($help.RelatedLinks.Text) | Should -Be @('about_FakeThing', 'Elsewhere')
        @($help.RelatedLinks.Uri) | Should -Be @('', 'https://example.com/elsewhere')
    }

    It 'refuses a page that breaks the layout, naming file and line: <Case>' -ForEach @(
        @{ Case = 'unknown section'; Edit = { param($t) $t -replace '## NOTES', '## REMARKS' }; Expected = '*Get-FakeThing.md:*unknown section*REMARKS*' }
        @{ Case = 'parameter without yaml'; Edit = { param($t) $t -replace '(?s)(### -Force\nForces it\.\n\n)```yaml.*?```', '$1' }; Expected = '*-Force has no ```yaml block*' }
        @{ Case = 'unknown yaml field'; Edit = { param($t) $t -replace 'Default value: 3', "Default value: 3`nDefault: 3" }; Expected = "*Get-FakeThing.md:*-Count: unknown field 'Default'*" }
        @{ Case = 'missing yaml field'; Edit = { param($t) $t -replace 'Position: Named\nDefault value: 3\n', "Default value: 3`n" }; Expected = "*-Count: the yaml block has no 'Position:' line*" }
        @{ Case = 'not True or False'; Edit = { param($t) $t -replace 'Required: True', 'Required: yes' }; Expected = "*'Required' is 'yes'*" }
        @{ Case = 'example without code'; Edit = { param($t) $t -replace '(?s)(### Example 2: [^\n]*\n)```powershell.*?```', '$1' }; Expected = "*example 'Example 2: C# and #hash inside code' has no code block*" }
        @{ Case = 'no SYNOPSIS'; Edit = { param($t) $t -replace '## SYNOPSIS', '## DESCRIPTION' }; Expected = "*appears twice*" }
        @{ Case = 'parameter heading without dash'; Edit = { param($t) $t -replace '### -Force', '### Force' }; Expected = "*a parameter heading is '### -Name'*" }
    ) {
        $text = & $Edit (New-FakePage)
        $text | Should -Not -Be (New-FakePage) -Because 'the edit must change the page'
        { Read-FakePage $text } | Should -Throw $Expected
    }

    It 'refuses a SYNTAX that names a parameter with no section' {
        $help = Read-FakePage (New-FakePage -Syntax 'Get-FakeThing [-Name] <string> [-Ghost] [<CommonParameters>]')
        { Write-MamlHelpFile -Path (Join-Path (New-TestFolder) 'x.xml') -Command $help } | Should -Throw '*SYNTAX names -Ghost*'
    }
}

Describe 'MAML that Get-Help reads' {
    BeforeAll {
        $script:Folder = New-TestFolder -Prefix 'seedance-maml'
        $script:Maml = Join-Path $script:Folder 'FakeHelpModule-Help.xml'
        Write-MamlHelpFile -Path $script:Maml -Command (Read-FakePage (New-FakePage))
        $helpFile = $script:Maml
        # A function of a module of its own, whose help is that file: what Get-Help shows comes from the MAML.
        $script:Fake = New-Module -Name FakeHelpModule -ScriptBlock {
            param($HelpFile)
            $body = "# .ExternalHelp $HelpFile`n[CmdletBinding()] param([Parameter(Mandatory, Position = 0, ValueFromPipeline)] [Alias('N')] [string] `$Name, [int] `$Count = 3, [switch] `$Force) `$Name"
            Set-Item -Path function:script:Get-FakeThing -Value ([scriptblock]::Create($body))
            Export-ModuleMember -Function Get-FakeThing
        } -ArgumentList $helpFile | Import-Module -PassThru
    }

    AfterAll {
        Remove-Module FakeHelpModule -ErrorAction SilentlyContinue
        Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'is well-formed XML with one command, escaped as XML must be' {
        $raw = [IO.File]::ReadAllBytes($script:Maml)
        @($raw[0..2]) | Should -Be @(0xEF, 0xBB, 0xBF) -Because 'Windows PowerShell 5.1 needs the byte order mark'
        $text = [IO.File]::ReadAllText($script:Maml)
        $text | Should -Match 'Gets a &lt;thing&gt; &amp; its "parts"\.'
        $xml = [xml]$text
        $ns = [Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $xml.SelectNodes('//command:command', $ns).Count | Should -Be 1
        $xml.SelectSingleNode('//command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a <thing> & its "parts".'
    }

    It 'Get-Help shows synopsis, description, list items, code and table text exactly' {
        $help = Get-Help Get-FakeThing -Full
        $help.Synopsis | Should -Be 'Gets a <thing> & its "parts".'
        # Get-Help may end a paragraph with a line break of its own; the text is what matters.
        $paragraphs = @($help.Description.Text | ForEach-Object { $_.TrimEnd() })
        $paragraphs[0] | Should -Be 'Gets the thing.'
        $paragraphs[1] | Should -Be '- first point'
        $paragraphs[2] | Should -Be '- second point, which goes on over two lines'
        $paragraphs[3] | Should -Be "Get-FakeThing -Name 'a' | Where-Object { `$_ -lt 3 }"
        $paragraphs[4] | Should -Match '^column  other\n------  -----\na       `b\|c`$'
    }

    It 'Get-Help shows the parameters with their metadata' {
        $name = Get-Help Get-FakeThing -Parameter Name
        $name.Description.Text | Should -Be 'The name: <n> & "quoted".'
        $name.required | Should -Be 'true'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByValue)'
        $name.aliases | Should -Be 'N'
        (Get-Help Get-FakeThing -Parameter Count).defaultValue | Should -Be '3'
        (Get-Help Get-FakeThing -Parameter Count).position | Should -Be 'named'
        $syntax = (Get-Help Get-FakeThing).Syntax | Out-String
        $syntax | Should -Match 'Get-FakeThing \[-Name\] <String> \[-Count <Int32>\] \[-Force\]'
    }

    It 'Get-Help -Examples shows each example: title, code as written, remarks' {
        $examples = @((Get-Help Get-FakeThing -Examples).Examples.Example)
        $examples.Count | Should -Be 2
        $examples[0].Title | Should -Match '^-+ Example 1: The plain case -+$'
        $examples[0].Code | Should -Be "Get-FakeThing -Name '<one>' -Count 2"
        $examples[0].Remarks[0].Text | Should -Be 'Gets <one> & two.'
        $examples[1].Code | Should -Be "# not a heading`nGet-FakeThing x"
    }

    It 'Get-Help shows inputs, outputs, notes and related links, the online version first' {
        $help = Get-Help Get-FakeThing -Full
        $help.inputTypes.inputType.type.name | Should -Be 'System.String'
        $help.returnValues.returnValue.type.name | Should -Be 'System.String'
        $help.alertSet.alert.Text | Should -Be 'A note with <angle> brackets & an ampersand.'
        @($help.relatedLinks.navigationLink.linkText) | Should -Be @('Online Version:', 'about_FakeThing', 'Elsewhere')
        $help.relatedLinks.navigationLink[0].uri | Should -Be 'https://example.com/docs/Get-FakeThing.md'
    }

    It 'wraps long prose to fit 80 columns wherever Get-Help indents it' {
        $long = ('A sentence that is long enough to need wrapping. ' * 6).Trim()
        $folder = New-TestFolder -Prefix 'seedance-maml-wrap'
        try {
            $path = Join-Path $folder 'wrap-Help.xml'
            Write-MamlHelpFile -Path $path -Command (Read-FakePage (New-FakePage -Description $long))
            $xml = [xml](Get-Content $path -Raw)
            foreach ($para in $xml.GetElementsByTagName('maml:para')) {
                foreach ($line in $para.InnerText -split "`n") {
                    if ($line -match 'Get-FakeThing|column|------') { continue }   # code and tables stay as written
                    $line.Length | Should -BeLessOrEqual 76
                }
            }
        }
        finally { Remove-Item $folder -Recurse -Force }
    }
}

Describe 'about_ topics as text' {
    BeforeAll {
        $script:About = @"
# about_FakeThing

## SHORT DESCRIPTION
Explains the fake thing & <friends>.

## LONG DESCRIPTION
$(('Words that make a long paragraph. ' * 8).Trim())

### A subheading
- an item with [a link](https://example.com) and [a page](about_Other.md)
- another

``````powershell
Get-FakeThing -Name 'x' | Select-Object -First 1    # a long line of code is never wrapped, whatever its length is
``````

| a | bb |
|---|---|
| ccc | d |

<!-- not shown -->

## SEE ALSO
Get-FakeThing
"@
        $script:Text = ConvertTo-AboutHelpText (Read-MarkdownDocument -Text $script:About -SourceName 'about_FakeThing.md')
        $script:Lines = @($script:Text -split "`n")
    }

    It 'starts with TOPIC and the name, then SHORT DESCRIPTION, which Get-Help lists as the synopsis' {
        $script:Lines[0] | Should -Be 'TOPIC'
        $script:Lines[1] | Should -Be '    about_FakeThing'
        $script:Lines[3] | Should -Be 'SHORT DESCRIPTION'
        $script:Lines[4] | Should -Be '    Explains the fake thing & <friends>.'
    }

    It 'wraps prose at 80 columns, indented by 4; subheadings by 2; lists hang; code by 8, never wrapped' {
        foreach ($line in $script:Lines) { if ($line -notmatch 'Get-FakeThing -Name') { $line.Length | Should -BeLessOrEqual 80 } }
        $script:Lines | Should -Contain 'LONG DESCRIPTION'
        $script:Lines | Should -Contain '  A subheading'
        $script:Lines | Should -Contain '    - an item with a link (https://example.com) and a page'
        $script:Lines | Should -Contain "        Get-FakeThing -Name 'x' | Select-Object -First 1    # a long line of code is never wrapped, whatever its length is"
        $script:Lines | Should -Contain '    a    bb'
        $script:Lines | Should -Contain '    ---  --'
        $script:Lines | Should -Contain '    ccc  d'
        $script:Text | Should -Not -Match 'not shown'
        $script:Text | Should -Not -Match '```'
    }

    It 'refuses a topic without SHORT DESCRIPTION' {
        { ConvertTo-AboutHelpText (Read-MarkdownDocument -Text "# about_X`n`n## LONG DESCRIPTION`nx" -SourceName 'about_X.md') } | Should -Throw '*about_X.md*SHORT DESCRIPTION*'
    }
}

Describe 'Building a folder of pages' {
    BeforeAll {
        $script:Source = New-TestFolder -Prefix 'seedance-docs'
        $script:Output = New-TestFolder -Prefix 'seedance-help-out'
        New-Item -ItemType Directory -Path (Join-Path $script:Source 'en-US'), (Join-Path $script:Source 'images') | Out-Null
        Set-Content (Join-Path $script:Source 'en-US/Get-FakeThing.md') (New-FakePage)
        # A second page, added later, needs nothing from the converter but the page itself.
        Set-Content (Join-Path $script:Source 'en-US/Set-FakeThing.md') ((New-FakePage) -replace 'Get-FakeThing', 'Set-FakeThing')
        Set-Content (Join-Path $script:Source 'en-US/about_FakeThing.md') "# about_FakeThing`n`n## SHORT DESCRIPTION`nShort é.`n`n## LONG DESCRIPTION`nLong."
        Set-Content (Join-Path $script:Source 'en-US/FakeHelpModule.md') "---`nModule Name: FakeHelpModule`n---`n`n# FakeHelpModule Module"
        Set-Content (Join-Path $script:Source 'images/readme.md') '# not help'
        $script:Written = @(Build-HelpFile -SourcePath $script:Source -OutputPath $script:Output)
    }

    AfterAll { Remove-Item $script:Source, $script:Output -Recurse -Force -ErrorAction SilentlyContinue }

    It 'writes one MAML file per external help file, with every page in it, and one text file per topic' {
        @($script:Written.Name | Sort-Object) | Should -Be @('about_FakeThing.help.txt', 'FakeHelpModule-Help.xml')
        $xml = [xml](Get-Content (Join-Path $script:Output 'en-US/FakeHelpModule-Help.xml') -Raw)
        @($xml.helpItems.command.details.name | Sort-Object) | Should -Be @('Get-FakeThing', 'Set-FakeThing')
        Test-Path (Join-Path $script:Output 'images') | Should -BeFalse
    }

    It 'writes about topics as UTF-8 with a byte order mark (Windows PowerShell 5.1 reads them as ANSI otherwise)' {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:Output 'en-US/about_FakeThing.help.txt'))
        @($bytes[0..2]) | Should -Be @(0xEF, 0xBB, 0xBF)
        [Text.Encoding]::UTF8.GetString($bytes, 3, $bytes.Length - 3) | Should -Match 'Short é\.'
    }

    It 'refuses a page whose file name is not the command it documents' {
        $source = New-TestFolder -Prefix 'seedance-docs-bad'
        try {
            New-Item -ItemType Directory -Path (Join-Path $source 'en-US') | Out-Null
            Set-Content (Join-Path $source 'en-US/Get-Other.md') (New-FakePage)
            { Build-HelpFile -SourcePath $source -OutputPath (Join-Path $source 'out') } | Should -Throw '*Get-Other.md but documents*Get-FakeThing*'
        }
        finally { Remove-Item $source -Recurse -Force }
    }
}

Describe 'Drift between a page and its command' {
    BeforeAll {
        $null = New-Module -Name FakeDriftModule -ScriptBlock {
            function Get-FakeThing {
                [CmdletBinding()]
                param(
                    [Parameter(Mandatory, Position = 0, ValueFromPipeline)] [Alias('N')] [string] $Name,
                    [int] $Count = 3,
                    [switch] $Force
                )
                $Name
            }
            Export-ModuleMember -Function Get-FakeThing
        } | Import-Module -PassThru
        $script:Command = Get-Command Get-FakeThing -Module FakeDriftModule
        function Get-Drift([string] $Page) { @(Test-CommandHelpDrift -Help (Read-FakePage $Page) -Command $script:Command) }
    }

    AfterAll { Remove-Module FakeDriftModule -ErrorAction SilentlyContinue }

    It 'finds nothing when page and command agree' {
        Get-Drift (New-FakePage) | Should -BeNullOrEmpty
    }

    It 'names an undocumented parameter and gives the section to paste, yaml included' {
        $page = (New-FakePage) -replace '(?s)### -Count.*?(?=### -Force)', ''
        $problems = @(Get-Drift $page)
        $problems.Count | Should -Be 1
        $problems[0] | Should -Match 'Get-FakeThing\.md: -Count of Get-FakeThing is not documented'
        $problems[0] | Should -Match '### -Count'
        $problems[0] | Should -Match 'Type: Int32'
        $problems[0] | Should -Match 'Default value: 3'
        $problems[0] | Should -Match '\{\{ Fill in'
    }

    It 'names a documented parameter that the command does not have' {
        $extra = "`n### -Ghost`nGone.`n`n``````yaml`nType: String`nParameter Sets: (All)`nAliases:`n`nRequired: False`nPosition: Named`nDefault value: None`nAccept pipeline input: False`nAccept wildcard characters: False`n```````n"
        $problems = @(Get-Drift (New-FakePage -ExtraParameters $extra))
        ($problems -join "`n") | Should -Match 'documents -Ghost, which Get-FakeThing does not have'
    }

    It 'names a wrong <Field>' -ForEach @(
        @{ Field = 'type'; Edit = { param($t) $t -replace 'Type: Int32', 'Type: String' }; Expected = "-Count: Type is 'String'; the parameter is \[Int32\]" }
        @{ Field = 'position'; Edit = { param($t) $t -replace 'Position: 0', 'Position: 1' }; Expected = "-Name: in set '__AllParameterSets' 'Position' is documented as 1 but is 0" }
        @{ Field = 'required flag'; Edit = { param($t) $t -replace 'Required: True', 'Required: False' }; Expected = "-Name: in set '__AllParameterSets' 'Required' is documented as False but is True" }
        @{ Field = 'pipeline input'; Edit = { param($t) $t -replace 'True \(ByValue\)', 'True (ByPropertyName)' }; Expected = "'Accept pipeline input ByValue' is documented as False but is True" }
        @{ Field = 'alias list'; Edit = { param($t) $t -replace 'Aliases: N', 'Aliases: Nm' }; Expected = "-Name: Aliases are documented as 'Nm' but are 'N'" }
        @{ Field = 'default'; Edit = { param($t) $t -replace 'Default value: 3', 'Default value: 5' }; Expected = "-Count: 'Default value' is '5'; the cmdlet's default is 3" }
        @{ Field = 'parameter set'; Edit = { param($t) $t -replace '(?s)(### -Force.*?)Parameter Sets: \(All\)', '$1Parameter Sets: Other' }; Expected = "-Force: lists parameter set 'Other'" }
        @{ Field = 'syntax'; Edit = { param($t) $t -replace '\[-Count <int>\] ', '' }; Expected = 'SYNTAX of set .__AllParameterSets. differs from Get-Command -Syntax(?s).*Get-FakeThing \[-Name\] <string> \[-Count <int>\]' }
    ) {
        $page = & $Edit (New-FakePage)
        $page | Should -Not -Be (New-FakePage) -Because 'the edit must change the page'
        (Get-Drift $page) -join "`n" | Should -Match $Expected
    }

    Context 'a hidden (DontShow) parameter' {
        BeforeAll {
            # Get-FakeThing again, with a parameter only the pipeline uses: tab completion hides it, and platyPS
            # leaves it out of the page and its syntax, though Get-Command -Syntax still shows it.
            $null = New-Module -Name FakeHiddenModule -ScriptBlock {
                function Get-FakeThing {
                    [CmdletBinding()]
                    param(
                        [Parameter(Mandatory, Position = 0, ValueFromPipeline)] [Alias('N')] [string] $Name,
                        [int] $Count = 3,
                        [Parameter(ValueFromPipeline, DontShow)] [psobject] $InputObject,
                        [switch] $Force
                    )
                    $Name
                }
                Export-ModuleMember -Function Get-FakeThing
            } | Import-Module -PassThru
            $script:Hidden = Get-Command Get-FakeThing -Module FakeHiddenModule
        }

        AfterAll { Remove-Module FakeHiddenModule -ErrorAction SilentlyContinue }

        It 'Get-Command -Syntax shows it (so the check cannot just copy that)' {
            $script:Hidden.ParameterSets[0].ToString() | Should -Match '\[-InputObject <psobject>\]'
        }

        It 'is neither asked for nor expected in the syntax: a page without it agrees with the command' {
            @(Test-CommandHelpDrift -Help (Read-FakePage (New-FakePage)) -Command $script:Hidden) | Should -BeNullOrEmpty
        }

        It 'a page that documents it is told to leave it out' {
            $extra = "`n### -InputObject`nThe row.`n`n``````yaml`nType: PSObject`nParameter Sets: (All)`nAliases:`n`nRequired: False`nPosition: Named`nDefault value: None`nAccept pipeline input: True (ByValue)`nAccept wildcard characters: False`n```````n"
            $syntax = 'Get-FakeThing [-Name] <string> [-Count <int>] [-InputObject <psobject>] [-Force] [<CommonParameters>]'
            $problems = @(Test-CommandHelpDrift -Help (Read-FakePage (New-FakePage -ExtraParameters $extra -Syntax $syntax)) -Command $script:Hidden) -join "`n"
            $problems | Should -Match 'documents -InputObject, which Get-FakeThing hides \(DontShow'
            $problems | Should -Match "SYNTAX of set '__AllParameterSets' differs(?s).*Get-FakeThing \[-Name\] <string> \[-Count <int>\] \[-Force\] \[<CommonParameters>\]"
        }

        It 'a new page (New-CommandHelpMarkdown) leaves it out of the syntax and the parameters' {
            $page = New-CommandHelpMarkdown -Command $script:Hidden -OnlineUri 'https://example.com/docs/Get-FakeThing.md'
            $page | Should -Not -Match 'InputObject'
            $page | Should -Match ([regex]::Escape('Get-FakeThing [-Name] <string> [-Count <int>] [-Force] [<CommonParameters>]'))
            $page | Should -Match '### -Count'
        }
    }
}

Describe 'Checking code blocks' {
    BeforeAll {
        $null = New-Module -Name FakeSnippetModule -ScriptBlock {
            function Get-FakeSnippet { [CmdletBinding()] param([Alias('Id')] [string] $TaskId, [int] $ThrottleLimit) }
            Export-ModuleMember -Function Get-FakeSnippet
        } | Import-Module -PassThru
    }

    AfterAll { Remove-Module FakeSnippetModule -ErrorAction SilentlyContinue }

    It 'accepts parameters by name, alias, unambiguous prefix, and common parameters' {
        Test-PowerShellSnippet -Code 'Get-FakeSnippet -TaskId a -Id b -Throttle 2 -Verbose -ErrorAction Stop' -ModuleName FakeSnippetModule | Should -BeNullOrEmpty
    }

    It 'reports a parse error with where it is' {
        $problems = @(Test-PowerShellSnippet -Code "Get-FakeSnippet -TaskId a |`n`n| x" -Where 'page.md:12' -ModuleName FakeSnippetModule)
        $problems.Count | Should -BeGreaterThan 0
        $problems[0] | Should -Match '^page\.md:12: does not parse'
    }

    It 'reports a parameter the command does not have' {
        Test-PowerShellSnippet -Code "Get-FakeSnippet -TaskId a`nGet-FakeSnippet -Bogus 1" -Where 'page.md:3' -ModuleName FakeSnippetModule |
            Should -Be 'page.md:3: line 2 of the block: Get-FakeSnippet has no parameter -Bogus.'
    }
}
