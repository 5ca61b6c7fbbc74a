#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help of the BUILT module, as a user meets it: Get-Help -Full, -Examples, -Parameter and -Online for every
# cmdlet, the about_ topics, and the pages in docs/en-US/ kept true to the cmdlets (every parameter documented,
# none that no longer exists, metadata and syntax as the cmdlet has them, examples that parse). A failure message
# names the page and says what to write.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../Seedance.psd1')
    $script:CmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    $script:AboutCases = @(Get-ChildItem (Join-Path $PSScriptRoot '../../docs/en-US') -Filter 'about_*.md' | ForEach-Object { @{ Topic = $_.BaseName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Docs = Join-Path $script:Root 'docs/en-US'
    Import-Module (Join-Path $script:Root 'tools/HelpConverter/HelpConverter.psm1') -Force
    $script:Module = Import-Module (Get-TestModulePath) -Force -PassThru
    $script:ProjectUri = [string]$script:Module.PrivateData.PSData.ProjectUri
    # The discovery-time cases again, for the tests that look at all of them at once.
    $script:CmdletNames = @((Import-PowerShellDataFile (Join-Path $script:Root 'Seedance.psd1')).CmdletsToExport)
    $script:AboutTopics = @(Get-ChildItem $script:Docs -Filter 'about_*.md' | ForEach-Object BaseName)

    function Get-PageHelp([string] $Name) {
        $page = Join-Path $script:Docs "$Name.md"
        if (-not (Test-Path -LiteralPath $page)) { return $null }
        ConvertTo-CommandHelp (Read-MarkdownDocument -Path $page)
    }

    function Get-CodeBlock($Section) {
        # Every code block of a parsed page, with the section it is in.
        foreach ($block in $Section.Blocks) { if ($block.Kind -eq 'Code') { $block } }
        foreach ($child in $Section.Children) { Get-CodeBlock $child }
    }
}

Describe 'Help pages match the cmdlets' {
    It 'the module exports exactly the cmdlets the manifest declares' {
        # The cases below come from the manifest; this ties them to what the module really exports.
        @((Get-Command -Module Seedance -CommandType Cmdlet).Name | Sort-Object) | Should -Be @($script:CmdletNames | Sort-Object)
    }

    It '<Name> has a page in docs/en-US' -ForEach $script:CmdletCases {
        $page = Join-Path $script:Docs "$Name.md"
        Test-Path -LiteralPath $page | Should -BeTrue -Because "every cmdlet needs docs/en-US/$Name.md: after build.ps1 Build, run 'dotnet pwsh ./tools/New-HelpPage.ps1 -Name $Name' and fill in every {{ ... }}"
    }

    It '<Name>: every parameter is documented, as the cmdlet has it, and nothing more' -ForEach $script:CmdletCases {
        $help = Get-PageHelp $Name
        $help | Should -Not -BeNullOrEmpty -Because "docs/en-US/$Name.md must exist"
        $problems = @(Test-CommandHelpDrift -Help $help -Command (Get-Command $Name -Module Seedance))
        $problems -join "`n`n" | Should -BeNullOrEmpty
    }

    It '<Name>: the page is complete (synopsis, description, 2+ examples, every parameter described, inputs, outputs, notes, links)' -ForEach $script:CmdletCases {
        $help = Get-PageHelp $Name
        $command = Get-Command $Name -Module Seedance
        $problems = @(Test-CommandHelpContent -Help $help -Command $command -ExpectedOnlineUri $command.HelpUri)
        $problems -join "`n" | Should -BeNullOrEmpty
    }

    It '<Name>: every example parses and uses only parameters the cmdlets have' -ForEach $script:CmdletCases {
        $help = Get-PageHelp $Name
        $problems = foreach ($example in $help.Examples) { Test-PowerShellSnippet -Code $example.Code -Where "docs/en-US/${Name}.md:$($example.CodeLine)" }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'every command page documents a cmdlet the module exports' {
        $orphans = foreach ($file in Get-ChildItem $script:Docs -Filter *.md) {
            $document = Read-MarkdownDocument -Path $file.FullName
            if ((Test-CommandPage $document) -and -not (Get-Command $file.BaseName -Module Seedance -ErrorAction Ignore)) {
                "docs/en-US/$($file.Name) documents $($file.BaseName), which the module does not export: delete the page or export the cmdlet."
            }
        }
        @($orphans) -join "`n" | Should -BeNullOrEmpty
    }

    It 'every code block of <Topic> that is PowerShell parses and uses only parameters the cmdlets have' -ForEach $script:AboutCases {
        $document = Read-MarkdownDocument -Path (Join-Path $script:Docs "$Topic.md")
        $blocks = @(Get-CodeBlock $document.Root | Where-Object Language -eq 'powershell')
        $blocks.Count | Should -BeGreaterThan 0
        $problems = foreach ($block in $blocks) { Test-PowerShellSnippet -Code $block.Text -Where "docs/en-US/${Topic}.md:$($block.Line)" }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'tools/New-HelpPage.ps1 writes a page whose syntax and metadata already match the cmdlet, and whose placeholders fail the content check' {
        $folder = New-TestFolder -Prefix 'seedance-new-page'
        try {
            & (Join-Path $script:Root 'tools/New-HelpPage.ps1') -Name $script:CmdletNames -ModulePath (Get-TestModulePath) -OutputFolder $folder 6>$null
            foreach ($name in $script:CmdletNames) {
                $command = Get-Command $name -Module Seedance
                $help = ConvertTo-CommandHelp (Read-MarkdownDocument -Path (Join-Path $folder "$name.md"))
                @(Test-CommandHelpDrift -Help $help -Command $command) -join "`n" | Should -BeNullOrEmpty
                (@(Test-CommandHelpContent -Help $help -Command $command -ExpectedOnlineUri $command.HelpUri) -join "`n") | Should -Match 'placeholder'
            }
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'the module page lists every cmdlet and every about topic' {
        $text = Get-Content (Join-Path $script:Docs 'Seedance.md') -Raw
        foreach ($name in $script:CmdletNames + $script:AboutTopics) { $text | Should -Match ([regex]::Escape("[$name]($name.md)")) }
    }
}

Describe 'Get-Help shows the help' {
    It 'the build put the MAML and the about topics in en-US beside the module' {
        $culture = Join-Path $script:Module.ModuleBase 'en-US'
        $maml = Join-Path $culture 'Seedance.Commands.dll-Help.xml'
        Test-Path $maml | Should -BeTrue
        { [xml](Get-Content $maml -Raw) } | Should -Not -Throw
        $script:AboutTopics.Count | Should -BeGreaterOrEqual 3
        foreach ($topic in $script:AboutTopics) { Test-Path (Join-Path $culture "$topic.help.txt") | Should -BeTrue }
    }

    It '<Name> -Full: synopsis, description, syntax, parameters, inputs, outputs, notes and links from the page' -ForEach $script:CmdletCases {
        $page = Get-PageHelp $Name
        $help = Get-Help $Name -Full
        $help.Synopsis -replace '\s+', ' ' | Should -Be $page.Synopsis
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.Syntax.syntaxItem).Count | Should -Be @((Get-Command $Name).ParameterSets).Count
        @($help.Parameters.parameter.name | Sort-Object) | Should -Be @($page.Parameters.Name | Sort-Object)
        @($help.inputTypes.inputType).Count | Should -Be $page.Inputs.Count
        @($help.returnValues.returnValue).Count | Should -Be $page.Outputs.Count
        ($help.alertSet.alert.Text -join ' ') | Should -Not -BeNullOrEmpty
        $help.relatedLinks.navigationLink[0].uri | Should -Be (Get-Command $Name).HelpUri
        $text = $help | Out-String -Width 200
        $text | Should -Not -Match 'REMARKS\s+None'
        $text | Should -Match ([regex]::Escape(($page.Synopsis -split ' ')[0]))
    }

    It '<Name> -Examples: every example, with its code' -ForEach $script:CmdletCases {
        $page = Get-PageHelp $Name
        $examples = @((Get-Help $Name -Examples).Examples.Example)
        $examples.Count | Should -Be $page.Examples.Count
        $examples.Count | Should -BeGreaterOrEqual 2
        for ($i = 0; $i -lt $examples.Count; $i++) {
            $examples[$i].Code | Should -Be $page.Examples[$i].Code
            $examples[$i].Title -replace '\s+', ' ' | Should -Match ([regex]::Escape($page.Examples[$i].Title))   # a long title is wrapped
        }
        # Issue 18: at 80 columns a long title was cut inside a word, its last '-' on a line of its own. Each title
        # reads whole (words uncut) when its lines are joined, and no line is dashes alone.
        $lines = @((Get-Help $Name -Examples | Out-String -Width 80) -split "`r?`n")
        @($lines | Where-Object { $_.Trim() -match '^-+$' }) | Should -BeNullOrEmpty
        $flat = ($lines | ForEach-Object { $_.Trim() }) -join ' '
        foreach ($example in $page.Examples) { $flat | Should -Match ([regex]::Escape($example.Title)) }
    }

    It '<Name> -Parameter P: text for every parameter' -ForEach $script:CmdletCases {
        $command = Get-Command $Name
        # Every parameter but the common and the hidden (DontShow) ones, which help leaves out as platyPS does.
        foreach ($parameter in Get-DocumentedParameterNames $command) {
            $help = Get-Help $Name -Parameter $parameter
            $help.name | Should -Be $parameter
            ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "Get-Help $Name -Parameter $parameter should describe it"
        }
    }

    It 'Get-Help <Topic> shows the topic, and lists it with its short description' -ForEach $script:AboutCases {
        $text = Get-Help $Topic | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
        $listed = Get-Help 'about_Seedance*' | Where-Object Name -eq $Topic
        $listed | Should -Not -BeNullOrEmpty
        $listed.Synopsis | Should -Not -BeNullOrEmpty
    }

    It 'about_Seedance carries the runbook template, with $ErrorActionPreference, exit codes and the task journal as its ledger' {
        $text = Get-Help about_Seedance | Out-String
        $text | Should -Match 'RUNBOOK TEMPLATE|Runbook template'
        $text | Should -Match ([regex]::Escape("`$ErrorActionPreference = 'Stop'"))
        $text | Should -Match 'exit \$exitCode'
        $text | Should -Match 'The task journal is its ledger'
        $text | Should -Match 'New-SeedanceTask -Batch'
    }
}

Describe 'Online help' {
    It '<Name> has a HelpUri: ProjectUri/blob/main/docs/en-US/<Name>.md, a page that exists' -ForEach $script:CmdletCases {
        $command = Get-Command $Name
        $command.HelpUri | Should -Be "$($script:ProjectUri)/blob/main/docs/en-US/$Name.md"
        Test-Path (Join-Path $script:Docs "$Name.md") | Should -BeTrue
    }

    It 'Get-Help -Online opens the page of <Name> in the browser' -Skip:(-not $IsLinux) -ForEach $script:CmdletCases {
        # PowerShell on Linux opens URLs with xdg-open; a stand-in on PATH records what it was asked to open.
        $bin = New-TestFolder -Prefix 'seedance-browser'
        $log = Join-Path $bin 'opened.txt'
        Set-Content -LiteralPath (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`necho `"`$1`" >> '$log'" -NoNewline
        & chmod +x (Join-Path $bin 'xdg-open')
        $savedPath = $env:PATH
        try {
            $env:PATH = "$bin$([IO.Path]::PathSeparator)$savedPath"
            Get-Help $Name -Online
            # The stand-in's '>>' creates the file before echo writes to it: wait for the line, not the file.
            Wait-Until { (Test-Path $log) -and (Get-Content $log -Raw) } -TimeoutSeconds 10 | Should -BeTrue
            (Get-Content $log -Raw).Trim() | Should -Be (Get-Command $Name).HelpUri
        }
        finally {
            $env:PATH = $savedPath
            Remove-Item $bin -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
