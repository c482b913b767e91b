using System.Text;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// $(VAR) references as the kubelet expands them in command, args and env values: a defined
/// variable is replaced, `$$` is an escaped `$`, anything else (an undefined name, a lone `$`,
/// an unclosed `$(`) is kept as written.
/// </summary>
public static class VarExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        var result = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                result.Append(input[i++]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = input[(i + 2)..close];
                if (name.Length > 0 && lookup(name) is { } value)
                {
                    result.Append(value);
                }
                else
                {
                    result.Append(input, i, close - i + 1);
                }
                i = close + 1;
            }
            else
            {
                result.Append('$');
                i++;
            }
        }
        return result.ToString();
    }

    public static string Expand(string input, IReadOnlyDictionary<string, string> variables) =>
        Expand(input, name => variables.TryGetValue(name, out var v) ? v : null);
}
