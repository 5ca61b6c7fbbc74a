# Reads the subset of markdown the help sources use into a tree: front matter, sections by heading, and blocks
# (paragraphs, fenced or indented code, lists, tables, HTML comments). Everything else is a paragraph, so a page
# with something unexpected still converts; what the help layout requires is checked later (CommandPage.ps1).

function New-MarkdownSection([int] $Level, [string] $Title, [int] $Line) {
    [pscustomobject]@{
        Level    = $Level
        Title    = $Title
        Line     = $Line
        Blocks   = [Collections.Generic.List[object]]::new()
        Children = [Collections.Generic.List[object]]::new()
    }
}

function New-MarkdownBlock([string] $Kind, [int] $Line, [hashtable] $Fields = @{}) {
    $block = [ordered]@{ Kind = $Kind; Line = $Line; Text = ''; Language = ''; Items = @(); Rows = @() }
    foreach ($key in $Fields.Keys) { $block[$key] = $Fields[$key] }
    [pscustomobject]$block
}

function Read-MarkdownDocument {
    <#
    .SYNOPSIS
        Parses markdown into {Source, FrontMatter, Root}; Root is a section of level 0 whose Children are the
        headings of the page. Line numbers are 1-based and count the front matter, so messages point into the file.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Path')] [string] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Text')] [AllowEmptyString()] [string] $Text,
        [Parameter(ParameterSetName = 'Text')] [string] $SourceName = '<text>'
    )
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        $Text = [IO.File]::ReadAllText((Resolve-Path -LiteralPath $Path).ProviderPath)
        $SourceName = $Path
    }

    $lines = @($Text -split '\r?\n')
    $i = 0
    $front = [ordered]@{}
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        $i = 1
        while ($i -lt $lines.Count -and $lines[$i].Trim() -ne '---') {
            if ($lines[$i] -match '^\s*([^:#\s][^:]*):\s*(.*?)\s*$') { $front[$Matches[1].Trim()] = $Matches[2] }
            $i++
        }
        if ($i -ge $lines.Count) { throw "${SourceName}:1: the front matter is never closed with '---'." }
        $i++
    }

    $root = New-MarkdownSection 0 '' 0
    $current = $root
    $open = [Collections.Generic.List[object]]::new()   # the sections enclosing $current, outermost first
    $open.Add($root)
    $paragraph = [Collections.Generic.List[string]]::new()
    $paragraphLine = 0

    # A paragraph ends at a blank line or where another block starts.
    $flush = {
        if ($paragraph.Count -gt 0) {
            $current.Blocks.Add((New-MarkdownBlock 'Paragraph' $paragraphLine @{ Text = ($paragraph -join "`n") }))
            $paragraph.Clear()
        }
    }

    while ($i -lt $lines.Count) {
        $line = $lines[$i]
        $lineNumber = $i + 1

        if ($line -match '^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)') {
            . $flush
            $fence = $Matches[1]
            $language = $Matches[2]
            $indent = $line.Length - $line.TrimStart().Length
            $code = [Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $lines.Count -and $lines[$i] -notmatch ('^\s{0,3}' + [regex]::Escape($fence.Substring(0, 1)) + '{' + $fence.Length + ',}\s*$')) {
                # Inside a fence indented by the list it belongs to, that indentation is not part of the code.
                $codeLine = $lines[$i]
                $strip = [Math]::Min($indent, $codeLine.Length - $codeLine.TrimStart().Length)
                $code.Add($codeLine.Substring($strip))
                $i++
            }
            if ($i -ge $lines.Count) { throw "${SourceName}:${lineNumber}: the code block opened here with $fence is never closed." }
            $current.Blocks.Add((New-MarkdownBlock 'Code' $lineNumber @{ Text = ($code -join "`n"); Language = $language }))
            $i++
            continue
        }

        if ($line -match '^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$') {
            . $flush
            $level = $Matches[1].Length
            $section = New-MarkdownSection $level $Matches[2].Trim() $lineNumber
            while ($open[$open.Count - 1].Level -ge $level) { $open.RemoveAt($open.Count - 1) }
            $open[$open.Count - 1].Children.Add($section)
            $open.Add($section)
            $current = $section
            $i++
            continue
        }

        if ($line -match '^\s*<!--') {
            . $flush
            $comment = [Collections.Generic.List[string]]::new()
            while ($i -lt $lines.Count) {
                $comment.Add($lines[$i])
                if ($lines[$i] -match '-->') { break }
                $i++
            }
            if ($i -ge $lines.Count) { throw "${SourceName}:${lineNumber}: the HTML comment opened here is never closed." }
            $inner = ($comment -join "`n") -replace '^\s*<!--', '' -replace '-->\s*$', ''
            $current.Blocks.Add((New-MarkdownBlock 'Comment' $lineNumber @{ Text = $inner.Trim() }))
            $i++
            continue
        }

        if ($line.Trim() -eq '') {
            . $flush
            $i++
            continue
        }

        if ($line -match '^\s*\|') {
            . $flush
            $rows = [Collections.Generic.List[object]]::new()
            while ($i -lt $lines.Count -and $lines[$i] -match '^\s*\|') {
                $cells = @(Split-MarkdownTableRow $lines[$i])
                # The |---|:--:| line under the header only sets alignment.
                $isAlignmentRow = @($cells | Where-Object { $_ -notmatch '^:?-+:?$' }).Count -eq 0
                if (-not $isAlignmentRow) { $rows.Add($cells) }
                $i++
            }
            $current.Blocks.Add((New-MarkdownBlock 'Table' $lineNumber @{ Rows = $rows.ToArray() }))
            continue
        }

        if ($line -match '^(\s{0,3})([-*+]|\d+[.)])\s+(.*)$') {
            . $flush
            $items = [Collections.Generic.List[object]]::new()
            while ($i -lt $lines.Count) {
                $itemLine = $lines[$i]
                if ($itemLine -match '^(\s*)([-*+]|\d+[.)])\s+(.*)$') {
                    $items.Add([pscustomobject]@{ Indent = $Matches[1].Length; Marker = $Matches[2]; Text = $Matches[3].Trim() })
                }
                elseif ($itemLine.Trim() -eq '') {
                    # A blank line ends the list unless another item follows (a loose list).
                    $next = $i + 1
                    while ($next -lt $lines.Count -and $lines[$next].Trim() -eq '') { $next++ }
                    if ($next -ge $lines.Count -or $lines[$next] -notmatch '^\s*([-*+]|\d+[.)])\s+') { break }
                }
                elseif ($itemLine -match '^\s*(`{3,}|~{3,}|#{1,6}\s|\||<!--)') { break }
                else {
                    # Continuation of the item above, indented or not ("lazy" continuation).
                    $items[$items.Count - 1].Text += ' ' + $itemLine.Trim()
                }
                $i++
            }
            $current.Blocks.Add((New-MarkdownBlock 'List' $lineNumber @{ Items = $items.ToArray() }))
            continue
        }

        if ($paragraph.Count -eq 0 -and $line -match '^( {4}|\t)') {
            # Indented code: runs while lines stay indented (blank lines inside it are kept).
            $code = [Collections.Generic.List[string]]::new()
            while ($i -lt $lines.Count -and ($lines[$i] -match '^( {4}|\t)' -or ($lines[$i].Trim() -eq '' -and $i + 1 -lt $lines.Count -and $lines[$i + 1] -match '^( {4}|\t)'))) {
                $code.Add(($lines[$i] -replace '^( {4}|\t)', ''))
                $i++
            }
            $current.Blocks.Add((New-MarkdownBlock 'Code' $lineNumber @{ Text = ($code -join "`n") }))
            continue
        }

        if ($paragraph.Count -eq 0) { $paragraphLine = $lineNumber }
        $paragraph.Add($line.Trim())
        $i++
    }
    . $flush

    [pscustomobject]@{ Source = $SourceName; FrontMatter = $front; Root = $root }
}

function Split-MarkdownTableRow([string] $Row) {
    # Cells between unescaped pipes; a pipe inside `code` or written \| stays in the cell.
    $cells = [Collections.Generic.List[string]]::new()
    $cell = [Text.StringBuilder]::new()
    $inCode = $false
    $text = $Row.Trim()
    if ($text.StartsWith('|')) { $text = $text.Substring(1) }
    if ($text.EndsWith('|') -and -not $text.EndsWith('\|')) { $text = $text.Substring(0, $text.Length - 1) }
    for ($k = 0; $k -lt $text.Length; $k++) {
        $c = $text[$k]
        if ($c -eq '\' -and $k + 1 -lt $text.Length -and $text[$k + 1] -eq '|') { [void]$cell.Append('|'); $k++; continue }
        if ($c -eq '`') { $inCode = -not $inCode }
        if ($c -eq '|' -and -not $inCode) { $cells.Add($cell.ToString().Trim()); [void]$cell.Clear(); continue }
        [void]$cell.Append($c)
    }
    $cells.Add($cell.ToString().Trim())
    $cells.ToArray()
}

function ConvertTo-PlainInline {
    <#
    .SYNOPSIS
        Markdown inline syntax as text for the console: links become their text (plus the address when it is
        absolute), **bold** loses its stars, backslash escapes and the entities &lt; &gt; &amp; &quot; are resolved.
        `code` spans are kept as they are, backticks included, as PowerShell's own help shows them.
    #>
    param([AllowEmptyString()] [string] $Text)
    $parts = [regex]::Split($Text, '(`+[^`]*?`+)')
    $result = foreach ($part in $parts) {
        if ($part.StartsWith('`')) { $part; continue }
        $plain = [regex]::Replace($part, '!?\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)', {
                param($m)
                $label = $m.Groups[1].Value
                $target = $m.Groups[2].Value
                if ($target -match '^[a-zA-Z][a-zA-Z0-9+.-]*:' -and $target -ne $label) { "$label ($target)" } else { $label }
            })
        $plain = [regex]::Replace($plain, '<((?:https?|mailto):[^>\s]+)>', '$1')
        $plain = $plain -replace '\*\*(.+?)\*\*', '$1' -replace '(?<![\w])__(.+?)__(?![\w])', '$1'
        $plain = [regex]::Replace($plain, '\\([!-/:-@\[-`{-~])', '$1')
        $plain -replace '&lt;', '<' -replace '&gt;', '>' -replace '&quot;', '"' -replace '&amp;', '&'
    }
    -join $result
}

function Format-WrappedText {
    <#
    .SYNOPSIS
        Word-wraps text to $Width columns (a word longer than that gets a line of its own, never cut), each line
        prefixed by $Indent; $HangingIndent prefixes the lines after the first (list items).
    #>
    param([AllowEmptyString()] [string] $Text, [int] $Width = 80, [string] $Indent = '', [string] $HangingIndent = $Indent)
    $words = @($Text -split '\s+' | Where-Object { $_ -ne '' })
    $lines = [Collections.Generic.List[string]]::new()
    $lineText = $Indent
    $lineHasWord = $false
    foreach ($word in $words) {
        if ($lineHasWord -and $lineText.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($lineText)
            $lineText = $HangingIndent + $word
        }
        else {
            $lineText += $(if ($lineHasWord) { ' ' } else { '' }) + $word
        }
        $lineHasWord = $true
    }
    if ($lineHasWord) { $lines.Add($lineText) }
    $lines -join "`n"
}
