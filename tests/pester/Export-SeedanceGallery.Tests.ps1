#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-SeedanceGallery and Save-SeedanceVideo -Gallery against the emulator: a batch (successes, a failure, a task
# never saved) becomes index.html beside its videos, which headless Chromium then opens from disk: every card with
# its text, every video loaded from its file, nothing asked of the network, HTML in a prompt shown as text, and
# screenshots at a laptop's and a phone's size under out/ (the README's picture is the laptop one).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Chromium.psm1') -Force
    $script:Browser = Find-TestChromium
    if (-not $script:Browser.Path) {
        Write-Host "Export-SeedanceGallery: the browser tests are skipped: $($script:Browser.Reason)." -ForegroundColor Yellow
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Chromium.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -WaitingSeconds 0.1 -GeneratingSeconds 0.3
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulator
    $script:Folders = [System.Collections.Generic.List[string]]::new()
    $script:ShotDir = Join-Path $PSScriptRoot '../../out/gallery'
    New-Item -ItemType Directory -Path $script:ShotDir -Force | Out-Null

    function New-GalleryFolder {
        $folder = New-TestFolder -Prefix 'seedance-gallery'
        $script:Folders.Add($folder)
        $folder
    }

    function Get-Card([string] $Html) {
        # The cards of a page as written (no browser): data-outcome and data-task-id, in order.
        @([regex]::Matches($Html, '<article class="card [a-z]+" id="row-\d+" data-outcome="(\w+)" data-task-id="([^"]+)"') |
            ForEach-Object { [pscustomobject]@{ Outcome = $_.Groups[1].Value; TaskId = $_.Groups[2].Value } })
    }

    $script:HostilePrompt = 'A whale at dusk <img src=x onerror="document.title=''pwned''"><script>document.title=''pwned''</script> & <b>not bold</b>'
    $rows = @(
        [pscustomobject]@{ Name = 'promo-fox'; Prompt = 'A red fox in fresh snow, slow motion'; Duration = 5 }
        [pscustomobject]@{ Name = 'promo-whale'; Prompt = $script:HostilePrompt; Duration = 8; Ratio = '9:16' }
        [pscustomobject]@{ Name = 'promo-bad'; Prompt = 'A scene the service refuses #fail:2038'; Duration = 4 }
        [pscustomobject]@{ Name = 'promo-later'; Prompt = 'A lighthouse in a storm, never saved'; Duration = 4 }
    )
    $script:Folder = New-GalleryFolder

    # One batch pipeline, the unsaved row filtered out before Save: -Gallery puts every row of the batch on the page
    # (the failure is an error upstream, the unsaved row never reaches Save), and each file is looked at as it comes:
    # its card must already be on the page.
    $script:SeenOnPage = @{}
    $script:Saved = @($rows | New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 -ErrorAction SilentlyContinue -ErrorVariable script:WaitErrors |
            Where-Object Name -NE 'promo-later' |
            Save-SeedanceVideo -Path $script:Folder -Gallery |
            ForEach-Object {
                $page = Get-Content -LiteralPath (Join-Path $script:Folder 'index.html') -Raw
                $script:SeenOnPage[$_.TaskId] = @(Get-Card $page | Where-Object TaskId -EQ $_.TaskId).Outcome
                $_
            })
    $script:Tasks = @(Get-SeedanceTask -Name 'promo-*')
    $script:Tasks | Should -HaveCount 4
    $script:PageAfterSave = Get-Content -LiteralPath (Join-Path $script:Folder 'index.html') -Raw

    # The whole batch from the journal (the unsaved row too), onto the same page.
    $script:Page = Get-SeedanceTask -Name 'promo-*' | Export-SeedanceGallery -Path $script:Folder -Title 'Spring promo, round 1' -PassThru
    $script:Html = Get-Content -LiteralPath $script:Page.FullName -Raw
    $script:ById = @{}
    foreach ($task in $script:Tasks) { $script:ById[$task.Name] = $task }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    Exit-TestSandbox $script:Sandbox
    Stop-TestEmulator $script:Emulator
}

Describe 'Export-SeedanceGallery' {
    Context 'the page on disk' {
        It 'Save-SeedanceVideo -Gallery put each saved file''s card on the page before handing the file on, and every row of the batch' {
            $script:Saved | Should -HaveCount 2
            $script:WaitErrors.FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $script:SeenOnPage.Count | Should -Be 2
            foreach ($id in $script:SeenOnPage.Keys) { $script:SeenOnPage[$id] | Should -Be 'Saved' }
            $cards = Get-Card $script:PageAfterSave
            $cards.TaskId | Should -Be @('promo-fox', 'promo-whale', 'promo-bad', 'promo-later' | ForEach-Object { $script:ById[$_].TaskId })
            $cards.Outcome | Should -Be @('Saved', 'Saved', 'Failed', 'NotSaved')
        }

        It 'writes one index.html beside the videos, one card per row in batch order, with the last frames beside them' {
            $script:Page.FullName | Should -Be (Join-Path $script:Folder 'index.html')
            $cards = Get-Card $script:Html
            $cards.TaskId | Should -Be @('promo-fox', 'promo-whale', 'promo-bad', 'promo-later' | ForEach-Object { $script:ById[$_].TaskId })
            $cards.Outcome | Should -Be @('Saved', 'Saved', 'Failed', 'NotSaved')
            foreach ($name in 'promo-fox', 'promo-whale', 'promo-later') {
                $poster = Join-Path $script:Folder "$name.last-frame.png"
                Test-Path -LiteralPath $poster | Should -BeTrue -Because "the last frame of $name is kept beside the page"
                [IO.File]::ReadAllBytes($poster)[1..3] | Should -Be ([byte[]][char[]]'PNG')
            }
            Test-Path -LiteralPath (Join-Path $script:Folder 'seedance-gallery.json') | Should -BeTrue
        }

        It 'fetches the last frames from the files origin without the key, as the videos are' {
            $stats = Get-EmulatorStats -Emulator $script:Emulator
            $frames = @($stats.fileRequests | Where-Object { $_.path -like '*_last.png' })
            $frames.Count | Should -BeGreaterOrEqual 3
            foreach ($request in $frames) { $request.hasAuthorization | Should -BeFalse }
            # The same stats see the key where it belongs (so the check above can fail).
            @($stats.apiRequests | Where-Object hasAuthorization).Count | Should -BeGreaterThan 0
        }

        It 'is self-contained: a Content-Security-Policy that forbids the network, no script, no http(s) URL anywhere' {
            $script:Html | Should -Match '<meta http-equiv="Content-Security-Policy" content="default-src ''none'';'
            $script:Html | Should -Not -Match 'https?://'
            $script:Html | Should -Not -Match '<script|<link|@import|url\('
        }

        It 'takes the files Save-SeedanceVideo wrote (FileInfo with TaskId), and says what it cannot take' {
            $folder = New-GalleryFolder
            $files = @($script:Tasks | Where-Object Name -EQ 'promo-fox' | Save-SeedanceVideo -Path $folder)
            $files | Export-SeedanceGallery -Path $folder
            $cards = Get-Card (Get-Content -LiteralPath (Join-Path $folder 'index.html') -Raw)
            $cards.TaskId | Should -Be $script:ById['promo-fox'].TaskId
            $cards.Outcome | Should -Be 'Saved'

            'not a task' | Export-SeedanceGallery -Path $folder -ErrorAction SilentlyContinue -ErrorVariable refused
            $refused.FullyQualifiedErrorId | Should -BeLike 'NotATask,*'
        }

        It 'refuses a data file it cannot read, and writes nothing over it' {
            $folder = New-GalleryFolder
            Set-Content -LiteralPath (Join-Path $folder 'seedance-gallery.json') -Value '{ not json'
            { $script:Tasks | Export-SeedanceGallery -Path $folder -ErrorAction Stop } |
                Should -Throw -ErrorId 'GalleryDataUnreadable,Seedance.Commands.ExportSeedanceGalleryCommand'
            Test-Path -LiteralPath (Join-Path $folder 'index.html') | Should -BeFalse
            Get-Content -LiteralPath (Join-Path $folder 'seedance-gallery.json') -Raw | Should -Match 'not json'
        }

        It 'makes a folder that does not exist yet before it fetches the last frames into it' {
            $folder = Join-Path (New-GalleryFolder) 'not-yet'
            $script:Tasks | Export-SeedanceGallery -Path $folder -WarningVariable said -WarningAction SilentlyContinue
            $said | Should -BeNullOrEmpty
            foreach ($name in 'promo-fox', 'promo-whale', 'promo-later') {
                Test-Path -LiteralPath (Join-Path $folder "$name.last-frame.png") | Should -BeTrue -Because "the last frame of $name is kept beside the page"
            }
            Test-Path -LiteralPath (Join-Path $folder 'index.html') | Should -BeTrue
        }

        It '-WhatIf writes no page and fetches no last frame' {
            $folder = New-GalleryFolder
            $script:Tasks | Export-SeedanceGallery -Path $folder -WhatIf
            @(Get-ChildItem -LiteralPath $folder -Force) | Should -BeNullOrEmpty
        }
    }

    Context 'in headless Chromium' -Skip:(-not $script:Browser.Path) {
        BeforeAll {
            $script:Chrome = Start-TestChromium -Path (Find-TestChromium).Path
            $script:PageUrl = [uri]::new($script:Page.FullName, [UriKind]::Absolute).AbsoluteUri
            Open-TestPage $script:Chrome $script:PageUrl -Width 1280 -Height 800
            # Every video's metadata (or its error), every poster decoded: then the page is as a reader sees it.
            $script:Videos = Invoke-PageScript $script:Chrome @'
Promise.all([...document.querySelectorAll('video')].map(v => v.readyState >= 1 ? null : new Promise(r => {
    v.addEventListener('loadedmetadata', r, { once: true }); v.addEventListener('error', r, { once: true }); setTimeout(r, 10000); })))
.then(() => Promise.all([...document.querySelectorAll('video')].map(v => new Promise(r => {
    const poster = new Image();
    const done = () => r({ card: v.closest('article').dataset.taskId, src: v.currentSrc, readyState: v.readyState, duration: v.duration,
        width: v.videoWidth, height: v.videoHeight, error: v.error ? v.error.code : null, poster: v.poster, posterWidth: poster.naturalWidth });
    poster.onload = done; poster.onerror = done; poster.src = v.poster; }))))
'@
            $script:Cards = Invoke-PageScript $script:Chrome @'
[...document.querySelectorAll('article.card')].map(c => ({
    taskId: c.dataset.taskId, outcome: c.dataset.outcome, name: c.querySelector('.name').textContent,
    prompt: c.querySelector('.prompt').textContent, frame: c.querySelector('.frame').innerText,
    meta: Object.fromEntries([...c.querySelectorAll('.meta > div')].map(d => [d.className, d.querySelector('dd').textContent])) }))
'@
        }

        AfterAll { Stop-TestChromium $script:Chrome }

        It 'shows every card with its row''s Name, prompt, model, duration, resolution, seed, cost and time' {
            $script:Cards | Should -HaveCount 4
            $script:Cards.name | Should -Be @('promo-fox', 'promo-whale', 'promo-bad', 'promo-later')
            $fox = $script:Cards[0]
            $task = Get-SeedanceTask -TaskId $script:ById['promo-fox'].TaskId   # the service's word on size and seed
            $fox.prompt | Should -BeExactly 'A red fox in fresh snow, slow motion'
            $fox.meta.model | Should -Be 'seedance-20'
            $fox.meta.duration | Should -Be '5 s'
            $fox.meta.resolution | Should -Be "$($task.Width)×$($task.Height)"
            $fox.meta.seed | Should -Be "$($task.Seed)"
            $fox.meta.cost | Should -Be '200 cr · $1.00'
            $fox.meta.time | Should -Match '^\d+ s$|min'
            $script:Cards[1].meta.resolution | Should -Be '720×1280'
            $script:Cards[2].frame | Should -Match 'Input refused'
            $script:Cards[2].frame | Should -Match 'code 2038'
            $script:Cards[2].frame | Should -Match ([regex]::Escape($script:ById['promo-bad'].ErrorMessage))
            $script:Cards[3].frame | Should -Match 'Not saved yet'
            $totals = Invoke-PageScript $script:Chrome 'Object.fromEntries([...document.querySelectorAll("[data-total]")].map(d => [d.dataset.total, d.textContent]))'
            $totals.rows | Should -Be '4'; $totals.succeeded | Should -Be '3'; $totals.failed | Should -Be '1'; $totals.unsaved | Should -Be '1'
            $totals.credits | Should -Be '680'; $totals.usd | Should -Be '$3.40'
        }

        It 'plays each video from its file beside the page: the source resolves to that file and its metadata loads' {
            $script:Videos | Should -HaveCount 2
            foreach ($video in $script:Videos) {
                $file = $script:Saved | Where-Object TaskId -EQ $video.card
                ([uri]$video.src).LocalPath | Should -Be $file.FullName
                $video.error | Should -BeNullOrEmpty
                $video.readyState | Should -BeGreaterOrEqual 1
                $video.duration | Should -BeGreaterThan 1
                $video.width | Should -Be 320
                ([uri]$video.poster).LocalPath | Should -Be ($file.FullName -replace '\.mp4$', '.last-frame.png')
                $video.posterWidth | Should -Be 320
            }
        }

        It 'requests nothing from the network, and its policy blocks a load that tries' {
            $urls = Get-RequestedUrl $script:Chrome
            # The log works: the page, both videos and the posters were asked for, all from disk.
            $urls | Should -Contain $script:PageUrl
            @($urls | Where-Object { $_ -like '*.mp4' }).Count | Should -BeGreaterOrEqual 2
            @($urls | Where-Object { $_ -like '*.last-frame.png' }).Count | Should -BeGreaterOrEqual 2
            # Nothing else but data: URLs (the browser's own media-control icons, in its shadow DOM).
            @($urls | Where-Object { $_ -notmatch '^(file|data):' }) | Should -BeNullOrEmpty
            $blocked = Invoke-PageScript $script:Chrome @"
new Promise(r => { document.addEventListener('securitypolicyviolation', e => r(e.blockedURI), { once: true });
    const i = new Image(); i.src = '$($script:Emulator.FilesBaseUri)/files/probe.png'; document.body.append(i); setTimeout(() => r(null), 5000); })
"@
            $blocked | Should -BeLike "$($script:Emulator.FilesBaseUri)*"
        }

        It 'shows a prompt containing HTML as text: no element made of it, no script run' {
            $script:Cards[1].prompt | Should -BeExactly $script:HostilePrompt
            $probe = Invoke-PageScript $script:Chrome '({ title: document.title, scripts: document.scripts.length, imgs: document.querySelectorAll("article img:not(.backdrop)").length, bold: document.querySelectorAll("article b").length })'
            $probe.title | Should -Not -Be 'pwned'
            $probe.scripts | Should -Be 0
            $probe.imgs | Should -Be 0
            $probe.bold | Should -Be 0
        }

        It 'filters by outcome with no script of its own' {
            $visible = 'Array.from(document.querySelectorAll("article.card")).filter(c => c.offsetParent !== null).map(c => c.dataset.outcome)'
            $null = Invoke-PageScript $script:Chrome 'document.querySelector("label[for=show-failed]").click()'
            @(Invoke-PageScript $script:Chrome $visible) | Should -Be @('Failed')
            $null = Invoke-PageScript $script:Chrome 'document.querySelector("label[for=show-unsaved]").click()'
            @(Invoke-PageScript $script:Chrome $visible) | Should -Be @('NotSaved')
            $null = Invoke-PageScript $script:Chrome 'document.querySelector("label[for=show-all]").click()'
            @(Invoke-PageScript $script:Chrome $visible) | Should -HaveCount 4
        }

        It 'reads well on a laptop and a phone: screenshots at 1280x800 and 390x844 under out/gallery' {
            $wide = Save-PageScreenshot $script:Chrome (Join-Path $script:ShotDir 'gallery-1280x800.png') -Width 1280 -Height 800
            $phone = Save-PageScreenshot $script:Chrome (Join-Path $script:ShotDir 'gallery-390x844.png') -Width 390 -Height 844 -Mobile
            # Nothing wider than the phone's screen (no sideways scrolling).
            Invoke-PageScript $script:Chrome 'document.documentElement.scrollWidth' | Should -BeLessOrEqual 390
            foreach ($shot in $wide, $phone) { $shot.Length | Should -BeGreaterThan 10KB }
            Write-Host "Screenshots: $($wide.FullName), $($phone.FullName)"
        }
    }

    Context 'after a re-run' {
        It 'updates the page in place: the re-run row''s new task takes its card, and a row whose file is gone is shown missing' {
            $folder = New-GalleryFolder
            Copy-Item -Path (Join-Path $script:Folder '*') -Destination $folder
            Remove-Item -LiteralPath (Join-Path $folder 'promo-fox.mp4')
            $rerun = [pscustomobject]@{ Name = 'promo-bad'; Prompt = 'A scene the service takes this time'; Duration = 4 } |
                New-SeedanceTask | Wait-SeedanceTask -PollInterval 0.05 | Save-SeedanceVideo -Path $folder -Gallery
            $rerun | Should -HaveCount 1

            Get-SeedanceTask -Name 'promo-*' | Export-SeedanceGallery -Path $folder
            $cards = Get-Card (Get-Content -LiteralPath (Join-Path $folder 'index.html') -Raw)
            $cards.Outcome | Should -Be @('FileMissing', 'Saved', 'Saved', 'NotSaved')
            $cards[2].TaskId | Should -Be $rerun.TaskId
            $cards[2].TaskId | Should -Not -Be $script:ById['promo-bad'].TaskId
        }
    }
}
