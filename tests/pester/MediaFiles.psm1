# Small media files for the upload tests: the real first bytes ("magic numbers") of each format the module tells
# apart, followed by filler, so that content detection sees what it would see in a real file.

Set-StrictMode -Version Latest

function Get-MediaHeader {
    param([Parameter(Mandatory)] [ValidateSet('png', 'jpeg', 'webp', 'gif', 'mp4', 'mov', 'heic', 'webm', 'mkv', 'mp3', 'wav', 'text')] [string] $Format)
    $ascii = [Text.Encoding]::ASCII
    switch ($Format) {
        'png' { return [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13) + $ascii.GetBytes('IHDR') }
        'jpeg' { return [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10) + $ascii.GetBytes("JFIF`0") }
        'webp' { return $ascii.GetBytes('RIFF') + [byte[]](0x24, 0, 0, 0) + $ascii.GetBytes('WEBPVP8 ') }
        'gif' { return $ascii.GetBytes('GIF89a') + [byte[]](1, 0, 1, 0) }
        # ISO base media: a 24-byte ftyp box (size, 'ftyp', major brand, minor version, two compatible brands).
        'mp4' { return [byte[]](0, 0, 0, 0x18) + $ascii.GetBytes('ftypisom') + [byte[]](0, 0, 2, 0) + $ascii.GetBytes('isommp41') }
        'mov' { return [byte[]](0, 0, 0, 0x14) + $ascii.GetBytes('ftypqt  ') + [byte[]](0, 0, 2, 0) + $ascii.GetBytes('qt  ') }
        'heic' { return [byte[]](0, 0, 0, 0x18) + $ascii.GetBytes('ftypheic') + [byte[]](0, 0, 0, 0) + $ascii.GetBytes('mif1heic') }
        # EBML header: EBMLVersion, EBMLReadVersion, EBMLMaxIDLength, EBMLMaxSizeLength, DocType, DocTypeVersion, DocTypeReadVersion.
        'webm' { return [byte[]](0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0x42, 0xF7, 0x81, 1, 0x42, 0xF2, 0x81, 4, 0x42, 0xF3, 0x81, 8, 0x42, 0x82, 0x84) + $ascii.GetBytes('webm') + [byte[]](0x42, 0x87, 0x81, 2, 0x42, 0x85, 0x81, 2) }
        'mkv' { return [byte[]](0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x86, 0x81, 1, 0x42, 0xF7, 0x81, 1, 0x42, 0xF2, 0x81, 4, 0x42, 0xF3, 0x81, 8, 0x42, 0x82, 0x88) + $ascii.GetBytes('matroska') + [byte[]](0x42, 0x87, 0x81, 4, 0x42, 0x85, 0x81, 2) }
        'mp3' { return $ascii.GetBytes('ID3') + [byte[]](4, 0, 0, 0, 0, 0x0F, 0x76) }
        'wav' { return $ascii.GetBytes('RIFF') + [byte[]](0x24, 0, 0, 0) + $ascii.GetBytes('WAVEfmt ') }
        'text' { return $ascii.GetBytes("just some notes, not a picture`n") }
    }
}

function New-MediaFile {
    <#
    .SYNOPSIS
        Writes $Path: the header of $Format, then random bytes up to $Length (or, with -Sparse, zeros the file system
        does not store: for files of tens or hundreds of MB). Returns the FileInfo.
    #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Format,
        [long] $Length = 4096,
        [switch] $Sparse,
        [int] $Seed = 1
    )
    $header = Get-MediaHeader -Format $Format
    $stream = [IO.File]::Create($Path)
    try {
        $stream.Write($header, 0, $header.Length)
        if ($Sparse) { $stream.SetLength($Length) }
        else {
            $filler = [byte[]]::new([Math]::Max(0, $Length - $header.Length))
            [Random]::new($Seed).NextBytes($filler)
            $stream.Write($filler, 0, $filler.Length)
        }
    }
    finally { $stream.Dispose() }
    Get-Item -LiteralPath $Path
}

function Get-FileSha256([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }

function New-UnreadableFile {
    <#
    .SYNOPSIS
        A file named $Path that exists and that this process cannot read, or $null when none can be had. Mode 000
        for a normal user; as root (CI containers), where mode bits do not bind, a symbolic link to a write-only
        kernel attribute (/sys/bus/pci/rescan), which refuses reading even to root. Checked by really reading.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    if ($IsWindows) { return $null }
    [IO.File]::WriteAllBytes($Path, (Get-MediaHeader -Format png))
    & chmod 000 $Path
    if (-not (Test-Readable $Path)) { return $Path }
    Remove-Item -LiteralPath $Path -Force
    foreach ($target in '/sys/bus/pci/rescan', '/sys/kernel/mm/ksm/run') {
        if (-not (Test-Path -LiteralPath $target)) { continue }
        $null = New-Item -ItemType SymbolicLink -Path $Path -Target $target
        if ((Test-Path -LiteralPath $Path -PathType Leaf) -and -not (Test-Readable $Path)) { return $Path }
        Remove-Item -LiteralPath $Path -Force
    }
    $null
}

function Test-Readable([string] $Path) {
    try { [IO.File]::OpenRead($Path).Dispose(); $true } catch { $false }
}

Export-ModuleMember -Function *
