using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Pricing;

namespace Seedance.Client.Validation
{
    /// <summary>
    /// Checks a create against the documented limits. The service ignores unknown or misused inputs silently and
    /// still charges, so everything we know to be wrong is refused here, and what is merely suspicious is a warning.
    /// </summary>
    public static class CreateTaskRequestValidator
    {
        private static readonly Regex MaterialReference = new Regex(@"@(\d+)\b", RegexOptions.CultureInvariant);
        private static readonly Regex WindowsPath = new Regex(@"^([A-Za-z]:[\\/]|\\\\[^\\])", RegexOptions.CultureInvariant);

        /// <summary>
        /// Checks against the model's facts in <paramref name="catalog"/> (a model it does not list: only what holds for
        /// every model) and, when given, what <paramref name="shape"/> can carry (audio).
        /// </summary>
        public static IReadOnlyList<ValidationFailure> Validate(CreateTaskRequest request, PriceTable catalog, RequestShape? shape)
        {
            ModelSpec spec = request.Spec ?? catalog.Model(request.Model);
            List<ValidationFailure> failures = new List<ValidationFailure>();
            ValidatePrompt(request.Prompt, spec, failures);
            ValidateRatio(request, spec, failures);
            ValidateDuration(request, spec, failures);
            ValidateMaterials(request, spec, failures);
            if (shape is not null && shape.AudioKey is null && request.AudioUrls.Count > 0)
            {
                failures.Add(new ValidationFailure("AudioNotSupported", "Audio", request.AudioUrls,
                    $"This host's request shape ({shape.Name}, {shape.Source}) has no audio input: the service would ignore the audio and still charge. " +
                    "Leave -Audio out, or if the host does take audio (audioUrls), say so with Set-SeedanceConfiguration -RequestShape Kinovi."));
            }

            ValidateCallback(request.CallbackUri, failures);
            failures.AddRange(AdditionalInputValidator.Validate(request, spec));
            return failures;
        }

        /// <summary>
        /// @N beyond the number of materials: the service silently ignores it, so the user would pay for a video
        /// that ignores their intent. Not an error (the prompt might mean a literal "@3"), but worth saying. A model
        /// the catalog does not list is sent as given, with one warning.
        /// </summary>
        /// <param name="apiBaseUri">Where the service is: one on this machine (the emulator) reaches this machine's loopback.</param>
        public static IReadOnlyList<string> Warnings(CreateTaskRequest request, PriceTable catalog, Uri? apiBaseUri = null)
        {
            ModelSpec spec = request.Spec ?? catalog.Model(request.Model);
            List<string> warnings = new List<string>();
            if (!spec.IsCatalogued)
            {
                warnings.Add($"Model '{request.Model}' is not in the catalog ({string.Join(", ", catalog.ModelNames.Where(name => catalog.Model(name).IsCatalogued))}): " +
                    $"it is sent as given, its limits unchecked, " + (spec.HasPrice ? $"priced by {catalog.TableOf(request.Model)}." : "price unknown."));
            }

            int materials = request.ImageUrls.Count + request.VideoUrls.Count + request.AudioUrls.Count;
            HashSet<int> reported = new HashSet<int>();
            foreach (Match match in MaterialReference.Matches(request.Prompt ?? string.Empty))
            {
                if (int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) &&
                    (n < 1 || n > materials) && reported.Add(n))
                {
                    warnings.Add($"The prompt refers to @{n}, but the task has {materials} material(s) " +
                        $"({request.ImageUrls.Count} image(s), {request.VideoUrls.Count} video(s), {request.AudioUrls.Count} audio); " +
                        $"@N counts images, then videos, then audio. The service ignores @{n} without telling.");
                }
            }

            AddUnreachableWarnings(request, apiBaseUri, warnings);
            AddDuplicateWarnings(request, warnings);
            warnings.AddRange(AdditionalInputValidator.Warnings(request));
            return warnings;
        }

        /// <summary>
        /// The service fetches materials and posts callbacks from the internet: a URL on this machine or a private
        /// network fails there (or is ignored) and the task is still charged. Only a warning: a tunnel or a split-horizon
        /// name may make it work after all. A service on this machine too (the emulator) reaches this machine's loopback,
        /// so a loopback material or callback is then not warned about; anything else still is.
        /// </summary>
        private static void AddUnreachableWarnings(CreateTaskRequest request, Uri? apiBaseUri, List<string> warnings)
        {
            bool serviceIsHere = apiBaseUri is not null && apiBaseUri.IsAbsoluteUri && UrlChecks.IsThisMachine(apiBaseUri);
            IEnumerable<(string Url, bool IsCallback)> targets = request.ImageUrls.Concat(request.VideoUrls).Concat(request.AudioUrls).Select(url => (url, false))
                .Concat(request.CallbackUri is null ? Enumerable.Empty<(string, bool)>() : new[] { (request.CallbackUri.OriginalString, true) });
            foreach ((string url, bool isCallback) in targets)
            {
                if (UrlChecks.IsWebUrl(url, out Uri? uri) && UrlChecks.Unreachable(uri!) is string where && !(serviceIsHere && UrlChecks.IsThisMachine(uri!)))
                {
                    warnings.Add(isCallback
                        ? $"The callback URI '{UrlChecks.Displayable(url)}' is on {where}: the service cannot reach it, so the finished task would never be " +
                            "posted there. Use a public URL, or leave -CallbackUri out and use Wait-SeedanceTask."
                        : $"The material '{UrlChecks.Displayable(url)}' is on {where}: the service fetches materials from the internet and cannot reach it, " +
                            "so the task would fail or ignore it, and still be charged. Use a public URL.");
                }
            }
        }

        /// <summary>The same material twice costs as much as two and adds nothing; probably a copy-paste slip in a CSV row.</summary>
        private static void AddDuplicateWarnings(CreateTaskRequest request, List<string> warnings)
        {
            List<string> materials = request.ImageUrls.Concat(request.VideoUrls).Concat(request.AudioUrls).ToList();
            foreach (IGrouping<string, int> same in Enumerable.Range(0, materials.Count).GroupBy(i => UrlChecks.SameMaterialKey(materials[i]), StringComparer.Ordinal))
            {
                if (same.Count() > 1)
                {
                    warnings.Add($"The material '{UrlChecks.Displayable(materials[same.First()])}' is given more than once " +
                        $"(as {string.Join(" and ", same.Select(UrlChecks.Reference))}). Remove the copy unless the prompt needs it twice.");
                }
            }
        }

        private static void ValidatePrompt(string? prompt, ModelSpec spec, List<ValidationFailure> failures)
        {
            if (!HasVisibleCharacter(prompt))
            {
                failures.Add(new ValidationFailure("PromptEmpty", "Prompt", prompt, "The prompt is empty. Describe the video to generate."));
            }
            else if (spec.MaxPromptLength is int max && prompt!.Length > max)
            {
                failures.Add(new ValidationFailure("PromptTooLong", "Prompt", prompt,
                    $"The prompt is {prompt.Length} characters long; {spec.Name} accepts at most {max}. " +
                    $"Shorten it by {prompt.Length - max} characters."));
            }
        }

        /// <summary>
        /// A prompt of zero-width spaces, joiners, soft hyphens or control characters is as empty as "" to the service,
        /// which would still charge for a video of nothing.
        /// </summary>
        private static bool HasVisibleCharacter(string? text)
        {
            foreach (char c in text ?? string.Empty)
            {
                if (char.IsWhiteSpace(c) || ServiceText.IsControlOrInvisible(c))
                {
                    continue;
                }

                // Blank "letters": Hangul fillers and the blank Braille pattern render as nothing.
                if (c == '\u115f' || c == '\u1160' || c == '\u3164' || c == '\uffa0' || c == '\u2800')
                {
                    continue;
                }

                return true;
            }

            return false;
        }

        private static void ValidateRatio(CreateTaskRequest request, ModelSpec spec, List<ValidationFailure> failures)
        {
            if (!spec.TakesRatio)
            {
                if (request.RatioGiven)
                {
                    failures.Add(new ValidationFailure("RatioNotTaken", "Ratio", request.Ratio,
                        $"{spec.Name} takes no ratio: its output keeps the source video's. Leave -Ratio out."));
                }
            }
            else if (spec.Ratios.Count > 0 && !spec.Ratios.Contains(request.Ratio))
            {
                failures.Add(new ValidationFailure("InvalidRatio", "Ratio", request.Ratio,
                    $"Ratio '{request.Ratio}' is not supported. Use one of: {string.Join(", ", spec.Ratios)}."));
            }
        }

        private static void ValidateDuration(CreateTaskRequest request, ModelSpec spec, List<ValidationFailure> failures)
        {
            if (!spec.TakesDuration)
            {
                if (request.DurationGiven)
                {
                    failures.Add(new ValidationFailure("DurationNotTaken", "Duration", request.Duration,
                        $"{spec.Name} takes no duration: the output has the source video's length ({spec.ReservedSeconds} s are reserved, the charge settles after success). Leave -Duration out."));
                }

                return;
            }

            if (spec.IsRequired("duration") && !request.DurationGiven)
            {
                failures.Add(new ValidationFailure("DurationRequired", "Duration", null,
                    $"{spec.Name} needs a duration: the seconds of new footage, from {spec.MinDuration} to {spec.MaxDuration}. Give -Duration."));
            }
            else if (spec.DurationOutOfRange(request.Duration))
            {
                failures.Add(new ValidationFailure("InvalidDuration", "Duration", request.Duration, InputParser.DurationOutOfRange(request.Duration, spec)));
            }
        }

        private static void ValidateMaterials(CreateTaskRequest request, ModelSpec spec, List<ValidationFailure> failures)
        {
            TooMany(request.ImageUrls, spec.MaxImages, "TooManyImages", "Image", "images", spec, failures);
            TooMany(request.VideoUrls, spec.MaxVideos, "TooManyVideos", "Video", "videos", spec, failures);
            TooMany(request.AudioUrls, spec.MaxAudio, "TooManyAudio", "Audio", "audio clips", spec, failures);
            if (request.AudioUrls.Count > 0 && request.ImageUrls.Count + request.VideoUrls.Count == 0)
            {
                failures.Add(new ValidationFailure("AudioAlone", "Audio", request.AudioUrls,
                    "Audio cannot be the only material: the service fails such a task (InvalidParameter). Give an image or a video with it."));
            }

            if (spec.IsRequired("video") && request.VideoUrls.Count == 0)
            {
                failures.Add(new ValidationFailure("VideoRequired", "Video", null,
                    $"{spec.Name} works on a video: give the clip with -Video (a URL or a local file; the first video is the one {spec.Name} works on)."));
            }

            if (spec.IsRequired("image") && request.ImageUrls.Count == 0)
            {
                failures.Add(new ValidationFailure("ImageRequired", "Image", null, $"{spec.Name} needs an image: give one with -Image."));
            }

            if (request.Mode is not null && spec.IsCatalogued && !spec.Modes.Contains(request.Mode))
            {
                failures.Add(new ValidationFailure("InvalidMode", "Mode", request.Mode, spec.Modes.Count == 0
                    ? $"{spec.Name} takes no mode. Leave -Mode out."
                    : $"Mode '{request.Mode}' is not known. Use {string.Join(" or ", spec.Modes.Select(m => char.ToUpperInvariant(m[0]) + m.Substring(1)))}."));
            }
            else if (request.Mode == "keyframe")
            {
                if (spec.MaxKeyframeImages is int keyframes && request.ImageUrls.Count > keyframes)
                {
                    failures.Add(new ValidationFailure("KeyframeTooManyImages", "Image", request.ImageUrls,
                        $"Keyframe mode takes at most {keyframes} images (first and last frame); {request.ImageUrls.Count} were given. Use -Mode Reference for reference images."));
                }

                if (request.VideoUrls.Count > 0 || request.AudioUrls.Count > 0)
                {
                    failures.Add(new ValidationFailure("KeyframeWithVideo", request.VideoUrls.Count > 0 ? "Video" : "Audio", request.VideoUrls.Count > 0 ? request.VideoUrls : request.AudioUrls,
                        "Keyframe mode takes no videos or audio; they make the task an Omni Reference task. Use -Mode Reference or leave -Mode out."));
                }
            }

            // A local file the command checked (and uploads once the row is confirmed) stands as its full path until
            // then: it is in LocalFiles, and only a path that is not is LocalFileNotSupported.
            HashSet<string> checkedFiles = new HashSet<string>(request.LocalFiles.Select(file => file.Path), StringComparer.Ordinal);
            foreach ((string parameter, IReadOnlyList<string> values) in new[] { ("Image", request.ImageUrls), ("Video", request.VideoUrls), ("Audio", request.AudioUrls) })
            {
                foreach (string value in values.Where(value => !checkedFiles.Contains(value)))
                {
                    ValidateMaterialUrl(value, parameter, failures);
                }
            }
        }

        private static void ValidateMaterialUrl(string? value, string parameterName, List<ValidationFailure> failures)
        {
            if (value is not null && (UrlChecks.LooksLikeWebUrl(value) || UrlChecks.IsWebUrl(value, out _)) &&
                Misshapen(value, parameterName, "material") is ValidationFailure misshapen)
            {
                failures.Add(misshapen);
                return;
            }

            if (UrlChecks.IsWebUrl(value, out _))
            {
                return;
            }

            if (LooksLikeLocalPath(value))
            {
                failures.Add(new ValidationFailure("LocalFileNotSupported", parameterName, value,
                    $"'{value}' is a local file. The service fetches materials itself, so each must be a public http(s) URL: " +
                    "upload the file somewhere the service can reach (object storage with a public or pre-signed link) and pass that URL."));
                return;
            }

            failures.Add(new ValidationFailure("InvalidMaterialUrl", parameterName, value,
                $"'{value}' is not an absolute http(s) URL. The service fetches materials itself and only over http(s): " +
                "give a public link such as https://cdn.example.com/picture.png."));
        }

        private static void TooMany(IReadOnlyList<string> urls, int? max, string errorId, string parameter, string what, ModelSpec spec, List<ValidationFailure> failures)
        {
            if (max is int limit && urls.Count > limit)
            {
                failures.Add(new ValidationFailure(errorId, parameter, urls, limit == 0
                    ? $"{spec.Name} takes no {what}; {urls.Count} were given. Leave -{parameter} out."
                    : $"{urls.Count} {what} were given; {spec.Name} takes at most {limit}. Remove {urls.Count - limit} of them."));
            }
        }

        private static bool LooksLikeLocalPath(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return false;
            }

            if (value!.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("~") ||
                value.StartsWith("./") || value.StartsWith(".\\") || value.StartsWith("../") || value.StartsWith("..\\"))
            {
                return true;
            }

            // Windows paths are local files whatever the platform the module runs on: C:\x.png, C:/x.png, \\server\share.
            if (WindowsPath.IsMatch(value))
            {
                return true;
            }

            try
            {
                return Path.IsPathRooted(value) || File.Exists(value);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>
        /// URL-shaped but wasteful: whitespace or a control character inside (raw or percent-encoded), a form other than
        /// plain "http(s)://" (<see cref="UrlChecks.IsPlainWebUrl"/>), a second scheme before
        /// the query, user:pass@ (which the service cannot use and which would hand the credentials to a third party), or a
        /// host that is not plain ASCII (<see cref="UrlChecks.NonAsciiHost"/>); null when it is none of these. The one gate
        /// of every material and callback URL, on the text as given (never on a parsed <see cref="Uri"/>, which drops or maps
        /// some characters without a word).
        /// </summary>
        internal static ValidationFailure? Misshapen(string value, string parameterName, string what)
        {
            string shown = UrlChecks.Displayable(value);
            ValidationFailure Refused(string errorId, string message) => new ValidationFailure(errorId, parameterName, shown, message) { Given = value };
            if (UrlChecks.HasWhitespace(value))
            {
                return Refused("UrlHasWhitespace", $"The {what} URL '{shown}' contains whitespace. A URL has none: if two URLs ran together, " +
                    "give them as separate values; if a file name has a space, write it as %20.");
            }

            if (value.Any(ServiceText.IsControlOrInvisible) || UrlChecks.HasEncodedControl(value))
            {
                // Raw, they would be sent percent-encoded; encoded (%0d%0a), a service that decodes the URL before it
                // calls or fetches it would put them in a request line or header nobody meant.
                return Refused("UrlHasControlCharacter", $"The {what} URL '{ServiceText.Clean(shown)}' contains a control or invisible formatting " +
                    "character, as it is or percent-encoded (a terminal escape, a right-to-left mark, %0A). A URL has none: copy it again from its source.");
            }

            if (!UrlChecks.IsPlainWebUrl(value))
            {
                // The checks below read the text after the first "://"; "https:/\host" would pass them unread.
                return Refused(parameterName == "CallbackUri" ? "InvalidCallbackUri" : "InvalidMaterialUrl",
                    $"The {what} URL '{shown}' is not written as a plain http(s) URL: it must begin with http:// or https:// and hold no " +
                    "backslash (\\), which services read in different ways. Write it as https://host/path, a backslash inside as %5C.");
            }

            if (UrlChecks.HasSecondScheme(value))
            {
                return Refused("UrlHasSecondScheme", $"The {what} URL '{shown}' contains a second scheme ('://' again before any '?'): probably two " +
                    "URLs run together. Give each URL as its own value; if it really is one URL (a web-archive link), write the inner ':' as %3A.");
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && UrlChecks.HasCredentials(uri))
            {
                return Refused("UrlHasCredentials", $"The {what} URL '{shown}' carries a user name or password (user:pass@). The service would not " +
                    "use them, and they would be sent to it and kept with the task: use a public or pre-signed link instead.");
            }

            if (UrlChecks.NonAsciiHost(value) is not (string host, string ascii))
            {
                return null;
            }

            return Refused("UrlHostNotAscii", UrlChecks.HasDotLookalike(host)
                ? $"The {what} URL's host '{host}' holds a character that name lookup reads as a dot (。 ． ｡), so the host reached would be " +
                    $"'{ascii}', not the one shown. Write the host with plain dots."
                : $"The {what} URL's host '{host}' is not plain ASCII. Each service turns such a name into its ASCII form by its own rules, " +
                    $"which differ between versions, so the host reached may not be the one checked here: write it as its ASCII form" +
                    (ascii.Length > 0 ? $", '{ascii}'." : "."));
        }

        /// <summary>
        /// The request's input that holds the API key, refused: the body goes to the API host, but from there the service
        /// calls the callback URL and fetches the materials' URLs, and the create's intent record writes every input to
        /// the journal, so the key would reach other hosts and a file other than the key store. The failure names the
        /// parameter, never its value (which holds the key); it is the plan's only failure, since the others quote the values.
        /// </summary>
        /// <param name="unparsed">The values refused while the request was built (a callback that is no URL): their text as given holds the key as well.</param>
        public static ValidationFailure? KeyCarried(CreateTaskRequest request, ApiKey key, IEnumerable<ValidationFailure>? unparsed = null)
        {
            IEnumerable<(string Parameter, IEnumerable<string?> Texts)> inputs = new (string, IEnumerable<string?>)[]
            {
                ("CallbackUri", new[] { request.CallbackUri?.OriginalString }),
                ("Model", new[] { request.Model }),
                ("Ratio", new[] { request.Ratio }),
                ("Mode", new[] { request.Mode }),
                ("Image", request.ImageUrls),
                ("Video", request.VideoUrls),
                ("Audio", request.AudioUrls),
                ("Prompt", new[] { request.Prompt }),
                ("Name", new[] { request.Name, request.Batch }),
                ("AdditionalInput", request.AdditionalInputs.Select(input => input.Key + " " + JsonOrNothing(input.Value, input.Key))),
            }.Concat((unparsed ?? Enumerable.Empty<ValidationFailure>()).Select(failure => (failure.ParameterName, (IEnumerable<string?>)new[] { failure.Given ?? failure.Target as string })));
            string? parameter = inputs.FirstOrDefault(input => input.Texts.Any(key.IsIn)).Parameter;
            return parameter is null ? null : new ValidationFailure(nameof(SeedanceProblem.RequestContainsApiKey), parameter, parameter,
                $"-{parameter} contains the API key. The service would pass it on (a callback is called, a material URL fetched) and the " +
                "task journal would write it to disk, so nothing was sent. Give the other host its own secret, never the Seedance key.");
        }

        // A value with no JSON form is refused by Validate (InvalidAdditionalInput) and never written anywhere.
        private static string JsonOrNothing(object? value, string path)
        {
            try
            {
                return Json.PlainJson.ToJson(value, path);
            }
            catch (ArgumentException)
            {
                return string.Empty;
            }
        }

        /// <summary>A callback that did not come through <see cref="InputParser.ParseCallbackUri"/> (a journaled request) goes through it now.</summary>
        private static void ValidateCallback(Uri? callbackUri, List<ValidationFailure> failures)
        {
            if (callbackUri is not null && InputParser.ParseCallbackUri(callbackUri.OriginalString, out _) is ValidationFailure failure)
            {
                failures.Add(failure);
            }
        }
    }
}
