using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Seedance.Client.Models;

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

        public static IReadOnlyList<ValidationFailure> Validate(CreateTaskRequest request)
        {
            List<ValidationFailure> failures = new List<ValidationFailure>();
            ValidatePrompt(request.Prompt, failures);
            ValidateModel(request.Model, failures);
            if (!SeedanceModels.Ratios.Contains(request.Ratio))
            {
                failures.Add(new ValidationFailure("InvalidRatio", "Ratio", request.Ratio,
                    $"Ratio '{request.Ratio}' is not supported. Use one of: {string.Join(", ", SeedanceModels.Ratios)}."));
            }

            if (request.Duration < SeedanceModels.MinDuration || request.Duration > SeedanceModels.MaxDuration)
            {
                failures.Add(new ValidationFailure("InvalidDuration", "Duration", request.Duration, InputParser.DurationOutOfRange(request.Duration)));
            }

            ValidateMaterials(request, failures);
            ValidateCallback(request.CallbackUri, failures);
            failures.AddRange(AdditionalInputValidator.Validate(request));
            return failures;
        }

        /// <summary>
        /// @N beyond the number of materials: the service silently ignores it, so the user would pay for a video
        /// that ignores their intent. Not an error (the prompt might mean a literal "@3"), but worth saying.
        /// </summary>
        /// <param name="apiBaseUri">Where the service is: one on this machine (the emulator) reaches this machine's loopback.</param>
        public static IReadOnlyList<string> Warnings(CreateTaskRequest request, Uri? apiBaseUri = null)
        {
            int materials = request.ImageUrls.Count + request.VideoUrls.Count;
            List<string> warnings = new List<string>();
            HashSet<int> reported = new HashSet<int>();
            foreach (Match match in MaterialReference.Matches(request.Prompt ?? string.Empty))
            {
                if (int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) &&
                    (n < 1 || n > materials) && reported.Add(n))
                {
                    warnings.Add($"The prompt refers to @{n}, but the task has {materials} material(s) " +
                        $"({request.ImageUrls.Count} image(s), {request.VideoUrls.Count} video(s)); the service ignores @{n} without telling.");
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
            bool ServiceCannotReach(Uri target) => !(serviceIsHere && UrlChecks.IsThisMachine(target));
            foreach (string url in request.ImageUrls.Concat(request.VideoUrls))
            {
                if (IsWebUrl(url, out Uri? uri) && UrlChecks.Unreachable(uri!) is string where && ServiceCannotReach(uri!))
                {
                    warnings.Add($"The material '{UrlChecks.Displayable(url)}' is on {where}: the service fetches materials from the internet and cannot reach it, " +
                        "so the task would fail or ignore it, and still be charged. Use a public URL.");
                }
            }

            if (request.CallbackUri is not null && request.CallbackUri.IsAbsoluteUri && UrlChecks.Unreachable(request.CallbackUri) is string callbackWhere &&
                ServiceCannotReach(request.CallbackUri))
            {
                warnings.Add($"The callback URI '{UrlChecks.Displayable(request.CallbackUri.OriginalString)}' is on {callbackWhere}: the service cannot reach it, " +
                    "so the finished task would never be posted there. Use a public URL, or leave -CallbackUri out and use Wait-SeedanceTask.");
            }
        }

        /// <summary>The same material twice costs as much as two and adds nothing; probably a copy-paste slip in a CSV row.</summary>
        private static void AddDuplicateWarnings(CreateTaskRequest request, List<string> warnings)
        {
            List<string> materials = request.ImageUrls.Concat(request.VideoUrls).ToList();
            foreach (IGrouping<string, int> same in Enumerable.Range(0, materials.Count).GroupBy(i => UrlChecks.SameMaterialKey(materials[i]), StringComparer.Ordinal))
            {
                if (same.Count() > 1)
                {
                    warnings.Add($"The material '{UrlChecks.Displayable(materials[same.First()])}' is given more than once " +
                        $"(as {string.Join(" and ", same.Select(UrlChecks.Reference))}). Remove the copy unless the prompt needs it twice.");
                }
            }
        }

        /// <summary>True for an absolute http or https URL: the only kind the service can fetch.</summary>
        public static bool IsWebUrl(string? value, out Uri? uri)
        {
            uri = null;
            return value is not null &&
                Uri.TryCreate(value, UriKind.Absolute, out uri) &&
                (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                !string.IsNullOrEmpty(uri.Host);
        }

        private static void ValidatePrompt(string? prompt, List<ValidationFailure> failures)
        {
            if (!HasVisibleCharacter(prompt))
            {
                failures.Add(new ValidationFailure("PromptEmpty", "Prompt", prompt, "The prompt is empty. Describe the video to generate."));
            }
            else if (prompt!.Length > SeedanceModels.MaxPromptLength)
            {
                failures.Add(new ValidationFailure("PromptTooLong", "Prompt", prompt,
                    $"The prompt is {prompt.Length} characters long; the service accepts at most {SeedanceModels.MaxPromptLength}. " +
                    $"Shorten it by {prompt.Length - SeedanceModels.MaxPromptLength} characters."));
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
                if (char.IsWhiteSpace(c))
                {
                    continue;
                }

                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category == UnicodeCategory.Control || category == UnicodeCategory.Format)
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

        private static void ValidateModel(string model, List<ValidationFailure> failures)
        {
            if (!SeedanceModels.All.Contains(model))
            {
                failures.Add(new ValidationFailure("UnknownModel", "Model", model,
                    $"Model '{model}' is not known. Known models: {string.Join(", ", SeedanceModels.All)}. Use one of them with -Model."));
            }
        }

        private static void ValidateMaterials(CreateTaskRequest request, List<ValidationFailure> failures)
        {
            if (request.ImageUrls.Count > SeedanceModels.MaxImages)
            {
                failures.Add(new ValidationFailure("TooManyImages", "Image", request.ImageUrls,
                    $"{request.ImageUrls.Count} images were given; the service takes at most {SeedanceModels.MaxImages}. " +
                    $"Remove {request.ImageUrls.Count - SeedanceModels.MaxImages} of them."));
            }

            if (request.VideoUrls.Count > SeedanceModels.MaxVideos)
            {
                failures.Add(new ValidationFailure("TooManyVideos", "Video", request.VideoUrls,
                    $"{request.VideoUrls.Count} videos were given; the service takes at most {SeedanceModels.MaxVideos}. " +
                    $"Remove {request.VideoUrls.Count - SeedanceModels.MaxVideos} of them."));
            }

            if (request.Mode is not null && !SeedanceModels.Modes.Contains(request.Mode))
            {
                failures.Add(new ValidationFailure("InvalidMode", "Mode", request.Mode,
                    $"Mode '{request.Mode}' is not known. Use Keyframe or Reference."));
            }
            else if (request.Mode == "keyframe")
            {
                if (request.ImageUrls.Count > SeedanceModels.MaxKeyframeImages)
                {
                    failures.Add(new ValidationFailure("KeyframeTooManyImages", "Image", request.ImageUrls,
                        $"Keyframe mode takes at most {SeedanceModels.MaxKeyframeImages} images (first and last frame); {request.ImageUrls.Count} were given. Use -Mode Reference for reference images."));
                }

                if (request.VideoUrls.Count > 0)
                {
                    failures.Add(new ValidationFailure("KeyframeWithVideo", "Video", request.VideoUrls,
                        "Keyframe mode takes no videos; a video makes the task an Omni Reference task. Use -Mode Reference or leave -Mode out."));
                }
            }

            foreach (string url in request.ImageUrls)
            {
                ValidateMaterialUrl(url, "Image", failures);
            }

            foreach (string url in request.VideoUrls)
            {
                ValidateMaterialUrl(url, "Video", failures);
            }
        }

        private static void ValidateMaterialUrl(string? value, string parameterName, List<ValidationFailure> failures)
        {
            if (value is not null && UrlChecks.LooksLikeWebUrl(value) && RefuseMisshapenUrl(value, parameterName, "material", failures))
            {
                return;
            }

            if (IsWebUrl(value, out _))
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
        /// URL-shaped but wasteful: whitespace inside, a second scheme before the query, or user:pass@ (which the service
        /// cannot use and which would hand the credentials to a third party). True when one was added to <paramref name="failures"/>.
        /// </summary>
        private static bool RefuseMisshapenUrl(string value, string parameterName, string what, List<ValidationFailure> failures)
        {
            string shown = UrlChecks.Displayable(value);
            if (UrlChecks.HasWhitespace(value))
            {
                failures.Add(new ValidationFailure("UrlHasWhitespace", parameterName, shown,
                    $"The {what} URL '{shown}' contains whitespace. A URL has none: if two URLs ran together, give them as separate values; " +
                    "if a file name has a space, write it as %20."));
                return true;
            }

            if (UrlChecks.HasSecondScheme(value))
            {
                failures.Add(new ValidationFailure("UrlHasSecondScheme", parameterName, shown,
                    $"The {what} URL '{shown}' contains a second scheme ('://' again before any '?'): probably two URLs run together. " +
                    "Give each URL as its own value; if it really is one URL (a web-archive link), write the inner ':' as %3A."));
                return true;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && UrlChecks.HasCredentials(uri))
            {
                failures.Add(new ValidationFailure("UrlHasCredentials", parameterName, shown,
                    $"The {what} URL '{shown}' carries a user name or password (user:pass@). The service would not use them, and they " +
                    "would be sent to it and kept with the task: use a public or pre-signed link instead."));
                return true;
            }

            return false;
        }

        private static void ValidateCallback(Uri? callbackUri, List<ValidationFailure> failures)
        {
            if (callbackUri is not null && UrlChecks.LooksLikeWebUrl(callbackUri.OriginalString) &&
                RefuseMisshapenUrl(callbackUri.OriginalString, "CallbackUri", "callback", failures))
            {
                return;
            }

            if (callbackUri is not null && !IsWebUrl(callbackUri.OriginalString, out _))
            {
                failures.Add(new ValidationFailure("InvalidCallbackUri", "CallbackUri", callbackUri, InputParser.CallbackMessage(callbackUri.OriginalString)));
            }
        }
    }
}
