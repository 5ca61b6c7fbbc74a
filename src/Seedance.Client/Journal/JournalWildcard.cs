using System.Text;
using System.Text.RegularExpressions;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// PowerShell's wildcard rules, so -Name filters behave like -Name on Get-Process or Get-ChildItem: * (any run),
    /// ? (one character), [abc] and [a-z] (one of a set or range), a backtick escapes the next character, and matching
    /// ignores case. The client has no PowerShell reference, so this mirrors WildcardPattern; an unclosed [ is literal.
    /// </summary>
    public sealed class JournalWildcard
    {
        private readonly Regex _regex;

        public JournalWildcard(string pattern)
        {
            Pattern = pattern;
            _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }

        public bool IsMatch(string? value) => value is not null && _regex.IsMatch(value);

        /// <summary>True when the text has a wildcard character that is not escaped.</summary>
        public static bool ContainsWildcard(string pattern)
        {
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '`')
                {
                    i++;
                }
                else if (c == '*' || c == '?' || c == '[')
                {
                    return true;
                }
            }

            return false;
        }

        private static string ToRegex(string pattern)
        {
            StringBuilder regex = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`' when i + 1 < pattern.Length:
                        regex.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        regex.Append(".*");
                        break;
                    case '?':
                        regex.Append('.');
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            regex.Append(Regex.Escape("["));
                            break;
                        }

                        regex.Append('[').Append(SetBody(pattern.Substring(i + 1, close - i - 1))).Append(']');
                        i = close;
                        break;
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return regex.Append('$').ToString();
        }

        /// <summary>The inside of [...]: characters taken literally, except a '-' between two characters makes a range.</summary>
        private static string SetBody(string body)
        {
            StringBuilder set = new StringBuilder();
            for (int i = 0; i < body.Length; i++)
            {
                char c = body[i];
                if (c == '`' && i + 1 < body.Length)
                {
                    c = body[++i];
                }

                bool isRange = i + 2 < body.Length && body[i + 1] == '-';
                set.Append(EscapeInSet(c));
                if (isRange)
                {
                    set.Append('-').Append(EscapeInSet(body[i + 2]));
                    i += 2;
                }
            }

            return set.Length == 0 ? @"\u0000-\uFFFF" : set.ToString();
        }

        private static string EscapeInSet(char c) => c == '\\' || c == ']' || c == '[' || c == '^' || c == '-' ? "\\" + c : c.ToString();
    }
}
