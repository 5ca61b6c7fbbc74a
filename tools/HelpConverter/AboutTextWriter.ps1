# Writes an about_ topic page as the plain text Get-Help shows (about_Name.help.txt): TOPIC and the section
# headings in capitals at the margin, subheadings indented by 2, text indented by 4 and wrapped at 80 columns,
# code indented by 8.
# Get-Help takes a topic's synopsis from the lines under SHORT DESCRIPTION, so that section is required.

$script:AboutWidth = 80

function ConvertTo-AboutHelpText {
    param([Parameter(Mandatory)] $Document)
    $source = $Document.Source
    $top = @($Document.Root.Children)
    if ($top.Count -ne 1 -or $top[0].Title -notmatch '^about_\w+$') {
        throw "${source}: an about topic has exactly one '# about_Name' heading, with its sections under it."
    }
    $topic = $top[0]
    if (-not ($topic.Children | Where-Object { $_.Level -eq 2 -and $_.Title -eq 'SHORT DESCRIPTION' })) {
        throw "${source}: about topic $($topic.Title) has no '## SHORT DESCRIPTION' section (Get-Help shows it as the topic's synopsis)."
    }

    $out = [Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add("    $($topic.Title)")
    Add-AboutBlocks $out $topic.Blocks
    foreach ($section in $topic.Children) { Add-AboutSection $out $section }
    ($out -join "`n").TrimEnd() + "`n"
}

function Add-AboutSection([Collections.Generic.List[string]] $Out, $Section) {
    $Out.Add('')
    if ($Section.Level -le 2) { $Out.Add((ConvertTo-PlainInline $Section.Title).ToUpperInvariant()) }
    else { $Out.Add('  ' + (ConvertTo-PlainInline $Section.Title)) }
    Add-AboutBlocks $Out $Section.Blocks
    foreach ($child in $Section.Children) { Add-AboutSection $Out $child }
}

function Add-AboutBlocks([Collections.Generic.List[string]] $Out, [object[]] $Blocks) {
    # The first block follows its heading at once; the blocks after it are separated by one blank line.
    $first = $true
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Comment') { continue }
        if (-not $first) { $Out.Add('') }
        $first = $false
        switch ($block.Kind) {
            'Paragraph' { $Out.Add((Format-WrappedText (ConvertTo-PlainInline ($block.Text -replace '\n', ' ')) -Width $script:AboutWidth -Indent '    ')) }
            'List' {
                foreach ($item in $block.Items) {
                    $marker = if ($item.Marker -match '^\d') { $item.Marker + ' ' } else { '- ' }
                    $nest = '    ' + (' ' * [Math]::Min($item.Indent, 8))
                    $Out.Add((Format-WrappedText (ConvertTo-PlainInline $item.Text) -Width $script:AboutWidth -Indent ($nest + $marker) -HangingIndent ($nest + (' ' * $marker.Length))))
                }
            }
            'Code' { $Out.Add((($block.Text -split '\n' | ForEach-Object { if ($_.Trim()) { '        ' + $_ } else { '' } }) -join "`n")) }
            'Table' { $Out.Add(((Format-TextTable $block.Rows) -split '\n' | ForEach-Object { '    ' + $_ }) -join "`n") }
        }
    }
}
