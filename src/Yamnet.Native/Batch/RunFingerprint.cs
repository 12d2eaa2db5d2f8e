using System.Security.Cryptography;
using System.Text;

namespace Yamnet.Batch;

/// <summary>
/// A stable hash of everything that shapes a result (model SHA-256, labels, options, output format):
/// two runs with the same fingerprint produce the same result file for the same input, so a result
/// stamped with it can be skipped on a restart. Built from ordered name/value pairs; the text hashed
/// is <c>name=value\n</c> per pair (values with a newline are rejected) prefixed by a schema line.
/// </summary>
public sealed class RunFingerprint
{
    private readonly StringBuilder _text = new("yamnet-run-fingerprint v1\n");
    private string? _hex;

    /// <summary>Adds one setting. Order matters (callers add in a fixed order).</summary>
    public RunFingerprint Add(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_hex is not null) throw new InvalidOperationException("The fingerprint was already computed.");
        if (name.AsSpan().IndexOfAny("=\n") >= 0) throw new ArgumentException("A setting name holds no '=' or newline.", nameof(name));
        value ??= "";
        if (value.Contains('\n')) throw new ArgumentException("A setting value holds no newline.", nameof(value));
        _text.Append(name).Append('=').Append(value).Append('\n');
        return this;
    }

    /// <summary>Adds a setting with an invariant-culture number.</summary>
    public RunFingerprint Add(string name, double value) => Add(name, value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds a list setting (items joined by U+001F, which labels never contain).</summary>
    public RunFingerprint Add(string name, IEnumerable<string> values) => Add(name, string.Join('\u001f', values));

    /// <summary>The SHA-256 of the settings as 64 lowercase hex digits.</summary>
    public string Hex => _hex ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_text.ToString())));

    public override string ToString() => Hex;
}
