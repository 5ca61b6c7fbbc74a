using System.Globalization;

namespace Seedance.Emulator;

/// <summary>
/// Start-up options, read from the command line as <c>--name value</c> (or <c>--name=value</c>).
/// The store copies the account values (credits, max running) so the control endpoint can change them later.
/// </summary>
public sealed class EmulatorOptions
{
    public int ApiPort { get; private set; }
    public int FilesPort { get; private set; }
    public IReadOnlyList<string> ApiKeys { get; private set; } = ["test-key"];
    public double WaitingSeconds { get; private set; } = 1;
    public double GeneratingSeconds { get; private set; } = 2;
    public int MaxRunning { get; private set; } = 50;
    public decimal Credits { get; private set; } = 1_000_000m;

    /// <summary>0 = serve the real sample MP4; otherwise every output is this many synthetic bytes.</summary>
    public long OutputBytes { get; private set; }

    /// <summary>Multiplies the callback retry delays (1 s, 5 s, 15 s); tests pass 0.01.</summary>
    public double CallbackDelayScale { get; private set; } = 1;

    /// <summary>False with --no-uploads: POST /uploads is not mapped (404), as on a host without the endpoint.</summary>
    public bool UploadsEnabled { get; private set; } = true;

    /// <summary>How long uploaded files are served (the service keeps them 24 h); tests shorten it.</summary>
    public double UploadRetentionSeconds { get; private set; } = 24 * 60 * 60;

    /// <summary>The input names createTask is read with (--request-shape seed|kinovi); keys it does not define are recorded.</summary>
    public EmulatedShape RequestShape { get; private set; } = EmulatedShape.Seed;

    public bool ExitOnStdinClose { get; private set; }
    public int? ParentPid { get; private set; }

    public const string Usage =
        "Usage: Seedance.Emulator [--api-port N] [--files-port N] [--api-key KEY[,KEY...]]... " +
        "[--waiting-seconds S] [--generating-seconds S] [--max-running N] [--credits C] [--output-bytes N] " +
        "[--callback-delay-scale F] [--no-uploads] [--upload-retention-seconds S] [--request-shape seed|kinovi] [--extra-model NAME:RATE] [--exit-on-stdin-close] [--parent-pid PID]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message on error.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new EmulatorOptions();
        var keys = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{arg}'.");

            string name;
            string? inlineValue = null;
            var eq = arg.IndexOf('=');
            if (eq > 0) { name = arg[2..eq]; inlineValue = arg[(eq + 1)..]; }
            else name = arg[2..];

            // Flags take no value.
            if (name is "exit-on-stdin-close") { o.ExitOnStdinClose = true; continue; }
            if (name is "no-uploads") { o.UploadsEnabled = false; continue; }
            if (name is "help" or "h") throw new ArgumentException(Usage);

            string value;
            if (inlineValue is not null) value = inlineValue;
            else if (i + 1 < args.Count) value = args[++i];
            else throw new ArgumentException($"Option --{name} needs a value.");

            switch (name)
            {
                case "api-port": o.ApiPort = ParsePort(name, value); break;
                case "files-port": o.FilesPort = ParsePort(name, value); break;
                case "api-key":
                    keys.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "waiting-seconds": o.WaitingSeconds = ParseDouble(name, value, 0); break;
                case "generating-seconds": o.GeneratingSeconds = ParseDouble(name, value, 0); break;
                case "max-running": o.MaxRunning = (int)ParseLong(name, value, 0, int.MaxValue); break;
                case "credits": o.Credits = ParseDecimal(name, value); break;
                case "output-bytes": o.OutputBytes = ParseLong(name, value, 0, long.MaxValue); break;
                case "callback-delay-scale": o.CallbackDelayScale = ParseDouble(name, value, 0); break;
                case "upload-retention-seconds": o.UploadRetentionSeconds = ParseDouble(name, value, 0); break;
                case "request-shape": o.RequestShape = EmulatedShape.Parse(value); break;
                case "extra-model":
                    var parts = value.Split(':');
                    if (parts.Length != 2 || parts[0].Length == 0) throw new ArgumentException($"Option --extra-model: '{value}' is not NAME:RATE.");
                    EmulatorCatalog.AddExtra(parts[0], ParseDecimal(name, parts[1]));
                    break;
                case "parent-pid": o.ParentPid = (int)ParseLong(name, value, 1, int.MaxValue); break;
                default: throw new ArgumentException($"Unknown option --{name}.\n{Usage}");
            }
        }

        if (keys.Count > 0) o.ApiKeys = keys;
        return o;
    }

    private static int ParsePort(string name, string value) => (int)ParseLong(name, value, 0, 65535);

    private static long ParseLong(string name, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ArgumentException($"Option --{name}: '{value}' is not an integer in {min}..{max}.");
        return n;
    }

    private static double ParseDouble(string name, string value, double min)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < min || !double.IsFinite(d))
            throw new ArgumentException($"Option --{name}: '{value}' is not a number >= {min}.");
        return d;
    }

    private static decimal ParseDecimal(string name, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) || d < 0)
            throw new ArgumentException($"Option --{name}: '{value}' is not a number >= 0.");
        return d;
    }
}
