using System.Globalization;
using System.Text;

namespace Yamnet.Cli.Output;

/// <summary>
/// Embeddings as text, one vector per line: <c>csv</c>
/// (<c>file,window,start_seconds,end_seconds,e0,…,eN</c>, a header line first) or <c>jsonl</c>
/// (<c>{"file":…,"window":…,"start_seconds":…,"end_seconds":…,"embedding":[…]}</c>). A file summary
/// has window <c>mean</c>. Values are the shortest text that round-trips the float32.
/// </summary>
public sealed class TextEmbeddingWriter : IEmbeddingWriter
{
    private readonly StreamWriter _out;
    private readonly bool _json;
    private readonly char[] _number = new char[32];

    public TextEmbeddingWriter(Stream output, string format, int dimension)
    {
        _out = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _json = format == "jsonl";
        if (!_json)
        {
            _out.Write("file,window,start_seconds,end_seconds");
            for (int i = 0; i < dimension; i++) _out.Write($",e{i}");
            _out.WriteLine();
        }
    }

    public void Write(string file, int window, double startSeconds, double endSeconds, ReadOnlySpan<float> embedding)
    {
        string which = window < 0 ? "mean" : window.ToString(CultureInfo.InvariantCulture);
        if (_json)
        {
            _out.Write("{\"file\":\"");
            _out.Write(System.Text.Json.JsonEncodedText.Encode(file).ToString());
            _out.Write('"');
            _out.Write(window < 0 ? ",\"window\":\"mean\"" : ",\"window\":" + which);
            _out.Write(",\"start_seconds\":");
            Number(startSeconds);
            _out.Write(",\"end_seconds\":");
            Number(endSeconds);
            _out.Write(",\"embedding\":[");
        }
        else
        {
            _out.Write(Yamnet.Classification.Csv.Escape(file));
            _out.Write(',');
            _out.Write(which);
            _out.Write(',');
            Number(startSeconds);
            _out.Write(',');
            Number(endSeconds);
        }
        for (int i = 0; i < embedding.Length; i++)
        {
            if (!_json || i > 0) _out.Write(',');
            embedding[i].TryFormat(_number, out int n, default, CultureInfo.InvariantCulture);
            _out.Write(_number, 0, n);
        }
        _out.WriteLine(_json ? "]}" : "");
    }

    private void Number(double value)
    {
        Math.Round(value, 6).TryFormat(_number, out int n, default, CultureInfo.InvariantCulture);
        _out.Write(_number, 0, n);
    }

    public void Finish() => _out.Flush();

    public void Dispose() => _out.Dispose();
}
