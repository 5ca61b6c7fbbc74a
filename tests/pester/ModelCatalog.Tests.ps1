#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issue 19: the model catalog (models, limits, rates as data) and the request shape of each host. Two emulators, one
# per shape (--request-shape seed | kinovi); each records any input key its shape does not define, and every test here
# asserts that none was sent. What the service received is read back from the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MediaFiles.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # 'seedance3' is a model these services have and the module's catalog does not.
    $script:Emulators = @{
        Seed   = Start-TestEmulator -ArgumentList '--request-shape', 'seed', '--extra-model', 'seedance3:70'
        Kinovi = Start-TestEmulator -ArgumentList '--request-shape', 'kinovi', '--extra-model', 'seedance3:70'
    }
    $script:Sandbox = Enter-TestSandbox -Emulator $script:Emulators.Seed
    $script:Folder = New-TestFolder -Prefix 'seedance-catalog'

    function Use-Shape([string] $Shape) {
        Set-SeedanceConfiguration -BaseUri $script:Emulators[$Shape].ApiBaseUri -RequestShape $Shape
        $script:Emulator = $script:Emulators[$Shape]
    }
    function Get-SentBody([string] $TaskId) { (Get-EmulatorTask -Emulator $script:Emulator -TaskId $TaskId).request }
    function Get-CreateCount { (Get-EmulatorStats -Emulator $script:Emulator).createRequests }
}

AfterAll {
    Exit-TestSandbox $script:Sandbox
    $script:Emulators.Values | Stop-TestEmulator
}

Describe 'The model catalog, in each request shape' {
    BeforeEach {
        foreach ($e in $script:Emulators.Values) { Reset-EmulatorStats -Emulator $e }
        Clear-SeedanceSession
    }

    AfterEach {
        # No input key either shape does not define was ever sent.
        foreach ($e in $script:Emulators.Values) { @((Get-EmulatorStats -Emulator $e).unknownInputKeys) | Should -HaveCount 0 }
    }

    It 'sends <Model> in the <Shape> shape with that shape''s names' -ForEach @(
        foreach ($shape in 'Seed', 'Kinovi') {
            @{ Shape = $shape; Model = 'seedance-20'; Parameters = @{ Duration = 15; Ratio = '9:16'; Image = 'https://cdn.example.com/a.png' } }
            @{ Shape = $shape; Model = 'seedance2-fast'; Parameters = @{ Duration = 4; Ratio = '1:1'; Image = 'https://cdn.example.com/a.png' } }
            @{ Shape = $shape; Model = 'seedance2.0-mini'; Parameters = @{ Duration = 10; Ratio = '4:3'; Image = 'https://cdn.example.com/a.png' } }
            @{ Shape = $shape; Model = 'seedance2-5'; Parameters = @{ Duration = 30; Ratio = '21:9'; Image = 'https://cdn.example.com/a.png' } }
        }
    ) {
        Use-Shape $Shape
        $task = New-SeedanceTask "a $Model clip" -Model $Model @Parameters
        $body = Get-SentBody $task.TaskId
        $body.model | Should -BeExactly $Model
        $inputs = $body.inputs
        if ($Shape -eq 'Seed') {
            $inputs.urls | Should -Be @('https://cdn.example.com/a.png')
            $inputs.ratio | Should -BeExactly $Parameters.Ratio
            $inputs.duration | Should -BeExactly "$($Parameters.Duration)s"
            $inputs.PSObject.Properties.Name | Should -Not -Contain 'imageUrls'
        }
        else {
            $inputs.imageUrls | Should -Be @('https://cdn.example.com/a.png')
            $inputs.aspectRatio | Should -BeExactly $Parameters.Ratio
            $inputs.duration | Should -BeOfType [long]
            $inputs.duration | Should -Be $Parameters.Duration
            $inputs.PSObject.Properties.Name | Should -Not -Contain 'urls'
        }
    }

    It 'sends 2.5''s extend (video and duration) and edit (video, no duration or ratio) in the <Shape> shape' -ForEach @(@{ Shape = 'Seed' }, @{ Shape = 'Kinovi' }) {
        Use-Shape $Shape
        $extend = New-SeedanceTask 'the hand picks up a ring' -Model seedance2-5-extend -Video 'https://cdn.example.com/clip.mp4' -Duration 5
        $body = Get-SentBody $extend.TaskId
        $body.inputs.videoUrls | Should -Be @('https://cdn.example.com/clip.mp4')
        $body.inputs.PSObject.Properties.Name | Should -Not -Contain 'mode'
        @($body.inputs.PSObject.Properties.Name | Where-Object { $_ -in 'ratio', 'aspectRatio' }) | Should -HaveCount 0

        $edit = New-SeedanceTask 'burgundy sweater' -Model seedance2-5-edit -Video 'https://cdn.example.com/clip.mp4'
        $inputs = (Get-SentBody $edit.TaskId).inputs
        @($inputs.PSObject.Properties.Name | Sort-Object) | Should -Be @('prompt', 'videoUrls')
    }

    It 'checks extend''s and edit''s required inputs before anything is sent' {
        Use-Shape 'Kinovi'
        New-SeedanceTask 'go on' -Model seedance2-5-extend -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems.FullyQualifiedErrorId -replace ',.*$' | Sort-Object) | Should -Be @('DurationRequired', 'VideoRequired')
        New-SeedanceTask 'recolour' -Model seedance2-5-edit -Video 'https://cdn.example.com/clip.mp4' -Duration 8 -Ratio '1:1' -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems.FullyQualifiedErrorId -replace ',.*$' | Sort-Object) | Should -Be @('DurationNotTaken', 'RatioNotTaken')
        Get-CreateCount | Should -Be 0
    }

    It 'shows the shape in Get-SeedanceConfiguration (chosen by host, or set) and in -WhatIf' {
        Set-SeedanceConfiguration -BaseUri $script:Emulators.Seed.ApiBaseUri
        $config = Get-SeedanceConfiguration
        "$($config.RequestShape)" | Should -Be 'Seed'
        $config.RequestShapeSource | Should -Be 'Host'
        Set-SeedanceConfiguration -BaseUri 'https://kinovi.ai/api/v1'
        "$((Get-SeedanceConfiguration).RequestShape)" | Should -Be 'Kinovi'
        Set-SeedanceConfiguration -RequestShape Seed
        (Get-SeedanceConfiguration).RequestShapeSource | Should -Be 'Process'
        "$((Get-SeedanceConfiguration).RequestShape)" | Should -Be 'Seed'
        Set-SeedanceConfiguration -RequestShape Host
        "$((Get-SeedanceConfiguration).RequestShape)" | Should -Be 'Kinovi'

        Use-Shape 'Kinovi'
        $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = 'https://kinovi.ai/api/v1'; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'whatif extend' -Model seedance2-5-extend -Video https://cdn.example.com/c.mp4 -Duration 8 -WhatIf
'@
        $result.StdOut | Should -Match 'request shape Kinovi'
        # (30 s of source at most + 8 s) x 35 credits/s: what a budget reserves.
        $result.StdOut | Should -Match 'costing up to 1330 credits'
    }

    It 'takes 2.5''s longer durations and prompts, and refuses them for 2.0' {
        Use-Shape 'Kinovi'
        $task = New-SeedanceTask ('p' * 20000) -Model seedance2-5 -Duration 25
        (Get-SentBody $task.TaskId).inputs.duration | Should -Be 25
        New-SeedanceTask ('p' * 20000) -Model seedance-20 -Duration 25 -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems.FullyQualifiedErrorId -replace ',.*$' | Sort-Object) | Should -Be @('InvalidDuration', 'PromptTooLong')
        "$($problems[0])$($problems[1])" | Should -Match 'seedance-20 video is 4 to 15 seconds'
    }

    It 'sends a model the catalog lacks as given, with one warning; -WhatIf says the price is unknown' {
        Use-Shape 'Seed'
        $task = New-SeedanceTask 'a new model' -Model seedance3 -Duration 8 -WarningVariable warnings -WarningAction SilentlyContinue
        (Get-SentBody $task.TaskId).model | Should -BeExactly 'seedance3'
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match "'seedance3' is not in the catalog.*limits unchecked, price unknown"

        $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'whatif new' -Model seedance3 -WhatIf -WarningAction SilentlyContinue
'@
        $result.StdOut | Should -Match "price unknown \('seedance3' is not in the catalog\)"
    }

    It 'refuses a model without a price under -MaxCredits or the daily limit, and budgets it with a rate from the price table' {
        Use-Shape 'Seed'
        New-SeedanceTask 'budgeted new model' -Model seedance3 -MaxCredits 10000 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BudgetNeedsPrice,*'
        $problems[0].TargetObject | Should -Be 'seedance3'
        Set-SeedanceConfiguration -DailyCreditLimit 100000
        New-SeedanceTask 'daily new model' -Model seedance3 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BudgetNeedsPrice,*'
        Get-CreateCount | Should -Be 0

        $table = Join-Path $script:Folder 'rates.json'
        Set-Content -LiteralPath $table -Value '{ "source": "reseller list", "models": { "seedance3": { "creditsPerSecond": 70 } } }'
        Set-SeedanceConfiguration -PriceTable $table
        $task = New-SeedanceTask 'priced new model' -Model seedance3 -Duration 8 -MaxCredits 600 -WarningVariable warnings -WarningAction SilentlyContinue
        $task | Should -Not -BeNullOrEmpty
        "$warnings" | Should -Match 'limits unchecked, priced by'
        New-SeedanceTask 'over budget' -Model seedance3 -Duration 9 -MaxCredits 600 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BudgetExceeded,*'
        Get-CreateCount | Should -Be 1
    }

    It 'sends -OutputResolution, -Seed and -GenerateAudio (also from CSV columns) and prices the resolution' {
        Use-Shape 'Kinovi'
        $row = [pscustomobject]@{ Prompt = 'a csv row'; Model = 'seedance2-5'; Duration = '8'; OutputResolution = '1080p'; Seed = '42'; GenerateAudio = 'false' }
        $task = $row | New-SeedanceTask
        $inputs = (Get-SentBody $task.TaskId).inputs
        $inputs.outputResolution | Should -BeExactly '1080p'
        $inputs.seed | Should -Be 42
        $inputs.generate_audio | Should -BeFalse
        $cost = Get-SeedanceCreditCost -Model seedance2-5 -Duration 8 -OutputResolution 1080p
        $cost.Credits | Should -Be (8 * 143.4)

        $result = Invoke-ChildPwsh -Environment @{ SEEDANCE_API_KEY = (Get-TestApiKey); SEEDANCE_BASE_URI = $script:Emulator.ApiBaseUri; XDG_CONFIG_HOME = $script:Sandbox.ConfigDir } -Script @'
Import-Module $env:SEEDANCE_TEST_MODULE
New-SeedanceTask -Prompt 'whatif 4k' -Duration 8 -OutputResolution 4k -Seed 7 -WhatIf
'@
        $result.StdOut | Should -Match 'costing 1600 credits'
        $result.StdOut | Should -Match 'outputResolution=4k, seed=7'

        New-SeedanceTask 'bad cells' -OutputResolution 4k -Model seedance2-fast -Seed 'lucky' -GenerateAudio 'maybe' -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems.FullyQualifiedErrorId -replace ',.*$' | Sort-Object) | Should -Be @('InvalidGenerateAudio', 'InvalidOutputResolution', 'InvalidSeed')
    }

    It 'sends -Audio as audioUrls in the Kinovi shape, numbered after images and videos, never alone, and refuses it for the Seed shape' {
        Use-Shape 'Kinovi'
        $task = New-SeedanceTask '@1 dances to @2' -Image 'https://cdn.example.com/a.png' -Audio 'https://cdn.example.com/song.mp3' -WarningVariable warnings
        $inputs = (Get-SentBody $task.TaskId).inputs
        $inputs.audioUrls | Should -Be @('https://cdn.example.com/song.mp3')
        $inputs.mode | Should -Be 'reference'
        $warnings | Should -BeNullOrEmpty
        New-SeedanceTask 'only a song' -Audio 'https://cdn.example.com/song.mp3' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AudioAlone,*'

        Use-Shape 'Seed'
        New-SeedanceTask 'a song on seed' -Image 'https://cdn.example.com/a.png' -Audio 'https://cdn.example.com/song.mp3' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AudioNotSupported,*'
        Get-CreateCount | Should -Be 0
    }

    It 'uploads local -Audio files like images and videos, numbers @N across images, videos and audio, and refuses a bad audio file before anything is sent' {
        Use-Shape 'Kinovi'
        $cat = New-MediaFile -Path (Join-Path $script:Folder 'cat.png') -Format png -Length 5000
        $clip = New-MediaFile -Path (Join-Path $script:Folder 'clip.mp4') -Format mp4 -Length 9000 -Seed 2
        $song = New-MediaFile -Path (Join-Path $script:Folder 'song.mp3') -Format mp3 -Length 7000 -Seed 3
        $voice = New-MediaFile -Path (Join-Path $script:Folder 'voice.wav') -Format wav -Length 6000 -Seed 4
        $task = New-SeedanceTask '@1 walks through @2 singing @3 and @4' -Model seedance2-5 -Image $cat.FullName -Video $clip.FullName -Audio $song, $voice.FullName -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $stats = Get-EmulatorStats -Emulator $script:Emulator
        @($stats.uploadPuts | Where-Object status -EQ 200).contentType | Should -Be @('image/png', 'video/mp4', 'audio/mpeg', 'audio/wav')
        $inputs = (Get-SentBody $task.TaskId).inputs
        @($inputs.audioUrls) | Should -HaveCount 2
        # The uploaded URLs, never the local paths.
        $inputs.audioUrls[0] | Should -Match '^http://127\.0\.0\.1:\d+/.*/song\.mp3'
        $inputs.audioUrls[1] | Should -Match '^http://127\.0\.0\.1:\d+/.*/voice\.wav'
        $inputs.imageUrls[0] | Should -Match '^http://127\.0\.0\.1:\d+/.*/cat\.png'
        $inputs.videoUrls[0] | Should -Match '^http://127\.0\.0\.1:\d+/.*/clip\.mp4'

        # @5 is past the 4 materials (1 image, 1 video, 2 audio): said before anything is sent.
        New-SeedanceTask '@5 sings' -Image 'https://cdn.example.com/a.png' -Audio $song.FullName -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match '@5.*1 image\(s\), 0 video\(s\), 1 audio.*images, then videos, then audio'

        # An image given as audio, and a text file named .mp3: refused with the parameter named, nothing uploaded or created.
        Reset-EmulatorStats -Emulator $script:Emulator
        $fake = Join-Path $script:Folder 'notes.mp3'
        Set-Content -LiteralPath $fake -Value 'not a song'
        New-SeedanceTask 'bad audio' -Image 'https://cdn.example.com/a.png' -Audio $cat.FullName, $fake -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems.FullyQualifiedErrorId -replace ',.*$') | Should -Be @('UnsupportedMaterialType', 'MaterialContentMismatch')
        "$($problems[0])" | Should -Match 'given as an audio clip.*Pass it with -Image'
        $problems[0].TargetObject | Should -Be $cat.FullName
        $stats = Get-EmulatorStats -Emulator $script:Emulator
        @($stats.uploadPuts) | Should -HaveCount 0
        Get-CreateCount | Should -Be 0
    }

    It 'tells a row whose audio changed from the same row unchanged, after an input failure (FailedUnchanged compares audio)' {
        Use-Shape 'Kinovi'
        $row = @{ Prompt = 'a song video #fail:2038 #waiting:0 #duration:0'; Name = 'song-row'; Image = 'https://cdn.example.com/a.png'; Audio = 'https://cdn.example.com/one.mp3'; Duration = 4 }
        $first = [pscustomobject]$row | New-SeedanceTask
        $first | Wait-SeedanceTask -PollInterval 1 -ErrorAction SilentlyContinue
        [pscustomobject]$row | New-SeedanceTask -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FailedBefore,*'
        Get-CreateCount | Should -Be 1
        $row.Audio = 'https://cdn.example.com/two.mp3'
        $second = [pscustomobject]$row | New-SeedanceTask
        $second.TaskId | Should -Not -Be $first.TaskId
        Get-CreateCount | Should -Be 2
    }

    It 'reads creditsUsed after success until it settles, records the final charge, and the budget and usage count it' {
        Use-Shape 'Kinovi'
        # A journal of its own, so that usage counts only this test's tasks.
        Set-SeedanceConfiguration -JournalPath (Join-Path (New-TestFolder -Prefix 'seedance-settle') 'journal.jsonl')
        # 2.5 with a reference video: 5 s x 35 = 175 reserved at submit; at most (30 + 5) x 35 = 1225; with a 10 s
        # source, (10 + 5) x 35 = 525 once creditsUsed settles, 1 s after success (#source, #settle).
        $task = New-SeedanceTask 'the dancer from @1 #source:10 #settle:1 #waiting:0 #duration:0' -Model seedance2-5 -Video 'https://cdn.example.com/ref.mp4' -Duration 5
        $usage = Get-SeedanceUsage | Where-Object Model -EQ 'seedance2-5'
        $usage.Credits | Should -Be 1225

        # Until the charge is final, a budget counts the documented maximum: 1225 + 200 is over 1000.
        Set-SeedanceConfiguration -DailyCreditLimit 1000
        New-SeedanceTask 'a plain clip' -Duration 5 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BudgetExceeded,*'

        $done = $task | Wait-SeedanceTask -PollInterval 0.2 -WarningVariable warnings
        $done.CreditsUsed | Should -Be 525
        $warnings | Should -BeNullOrEmpty
        $status = Get-Content -LiteralPath (Get-SeedanceConfiguration).JournalPath | ConvertFrom-Json | Where-Object { $_.type -eq 'status' -and $_.task -eq $task.TaskId }
        @($status | Where-Object chargeFinal).credits | Should -Be 525

        $usage = Get-SeedanceUsage | Where-Object Model -EQ 'seedance2-5'
        $usage.Credits | Should -Be 525
        $usage.Tasks | Should -Be 1
        # 525 + 200 fits in 1000 now that the final charge is known.
        $plain = New-SeedanceTask 'a plain clip' -Duration 5
        $plain.TaskId | Should -Not -BeNullOrEmpty
    }

    It 'names in the help of -Model (<Command>) exactly the models of the catalog' -ForEach @(@{ Command = 'New-SeedanceTask' }, @{ Command = 'Get-SeedanceCreditCost' }) {
        # The catalog is the one list of models; the help is checked against it, so a model added to or removed from
        # ModelCatalog.json without its help fails here.
        $catalog = @(Get-SeedanceCreditCost | Select-Object -ExpandProperty Model -Unique | Sort-Object)
        $catalog | Should -Contain 'seedance2-5-edit'
        $text = (Get-Help $Command -Parameter Model).description.Text -join ' '
        $named = @([regex]::Matches($text, '\bseedance[0-9a-z.\-]*[0-9a-z]') | ForEach-Object Value | Where-Object { $_ -notlike '*.com' } | Select-Object -Unique | Sort-Object)
        $named | Should -Be $catalog
    }

    It 'names in about_Seedance_Costs exactly the models of the catalog' {
        # The topic's list of models is prose a reader sees; it is checked against the catalog like -Model's help.
        $catalog = @(Get-SeedanceCreditCost | Select-Object -ExpandProperty Model -Unique | Sort-Object)
        $text = (Get-Help about_Seedance_Costs | Out-String) -replace '\s+', ' '
        $sentence = [regex]::Match($text, 'the models today are (?<list>.+?)\. ')
        $sentence.Success | Should -BeTrue -Because 'the topic names the models in one sentence'
        $named = @([regex]::Matches($sentence.Groups['list'].Value, '\bseedance[0-9a-z.\-]*[0-9a-z]') | ForEach-Object Value | Select-Object -Unique | Sort-Object)
        $named | Should -Be $catalog
    }

    It 'prices arrays and prints the whole table without -Duration' {
        $costs = Get-SeedanceCreditCost -Duration 4, 8, 15
        $costs.Credits | Should -Be @(160, 320, 600)
        $table = Get-SeedanceCreditCost
        @($table | Where-Object Model -EQ 'seedance-20').OutputResolution | Should -Be @('480p', '720p', '1080p', '4k')
        ($table | Where-Object { $_.Model -eq 'seedance2-5' -and $_.OutputResolution -eq '720p' }).ReferenceVideoCreditsPerSecond | Should -Be 35
        @($table.Model | Select-Object -Unique) | Should -HaveCount 6
    }

    It 'completes models and durations from the catalog' {
        $line = 'New-SeedanceTask -Model '
        $models = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $models | Should -Be @('seedance-20', 'seedance2-fast', 'seedance2.0-mini', 'seedance2-5', 'seedance2-5-extend', 'seedance2-5-edit')
        $line = 'New-SeedanceTask -Model seedance2-5 -Duration '
        $durations = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $durations[0] | Should -Be '4'
        $durations[-1] | Should -Be '30'
    }
}
