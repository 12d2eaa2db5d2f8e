using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>
/// Pulls one input's windows one at a time into a reused <see cref="WindowClassification"/>: the
/// engine behind every enumeration of <see cref="AudioAnalysis"/>. With one worker it frames straight
/// into a leased session's input tensor and runs it on the calling thread; with several,
/// <see cref="RunToEnd"/> runs a <see cref="WindowPipeline"/> on the calling thread, and
/// <see cref="MoveNext"/> runs one on a helper thread and takes its ordered results one at a time (a
/// rendezvous: the pipeline waits while the caller holds a result, so a result is stable until the
/// next <see cref="MoveNext"/>). The cancellation token is checked before every window. Nothing is
/// allocated per window.
/// </summary>
internal sealed class WindowRun : IDisposable
{
    private readonly AudioClassifier _classifier;
    private readonly ISampleSource _source;
    private readonly ClassificationOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly int _hop;
    private readonly WindowClassification _result;
    private readonly ScoreAggregate? _aggregate;
    private ClassifierSession? _session;
    private WindowFramer? _framer;
    private WindowPipeline? _pipelined;     // several workers: run by RunToEnd, or by a rendezvous on first MoveNext
    private PipelineRendezvous? _pipeline;
    private long _pushedSamplesRead = -1;
    private int _windows;
    private bool _ended;

    internal WindowRun(AudioClassifier classifier, ISampleSource source, string name, ClassificationOptions options, ScoreAggregation? aggregation, CancellationToken cancellationToken)
    {
        _classifier = classifier;
        _source = source;
        _options = options;
        _cancellation = cancellationToken;
        _hop = options.HopFor(classifier);
        if (source.SampleRate != classifier.SampleRate)
            throw new ArgumentException($"the source delivers {source.SampleRate} Hz but the model expects {classifier.SampleRate} Hz", nameof(source));
        _result = new WindowClassification(name, classifier.Labels, options.TopCount(classifier.ClassCount), classifier.ClassCount, options.IncludeAllScores);
        if (aggregation is { } kind) _aggregate = new ScoreAggregate(classifier.ClassCount, kind);
        if (options.Workers > 1 && options.MaxWindows == int.MaxValue)
        {
            _pipelined = new WindowPipeline(classifier, options.Workers);
        }
        else
        {
            _session = classifier.RentSession();
            _framer = new WindowFramer(source, classifier.WindowLength, _hop);
        }
    }

    internal WindowClassification Current => _result;

    internal int Windows => _windows;

    /// <summary>Samples pulled from the source so far (all of them once the run ended).</summary>
    internal long SamplesRead => _framer?.SamplesRead ?? (_pushedSamplesRead >= 0 ? _pushedSamplesRead : _pipeline?.SamplesRead ?? 0);

    internal ScoreAggregate? Aggregate => _aggregate;

    internal ISampleSource Source => _source;

    /// <summary>True when a <see cref="WindowPipeline"/>'s workers read the source: nothing else may touch it until the run ends.</summary>
    internal bool ReadsOnWorkerThreads => _pipelined is not null;

    internal int WindowLength => _classifier.WindowLength;

    internal int Hop => _hop;

    /// <summary>Classifies the next window into <see cref="Current"/>; false at the end (or after MaxWindows).</summary>
    internal bool MoveNext()
    {
        if (_ended) return false;
        _cancellation.ThrowIfCancellationRequested();
        if (_windows >= _options.MaxWindows) return End();
        if (_pipelined is not null)
        {
            _pipeline ??= new PipelineRendezvous(_pipelined, _source, _hop, this, _cancellation);
            if (!_pipeline.MoveNext()) return End();
        }
        else
        {
            var session = _session!;
            if (!_framer!.TryWriteNext(session.Input, out var window)) return End();
            session.Run();
            Accept(window, session.Scores);
        }
        _windows++;
        return true;
    }

    /// <summary>
    /// Classifies every window into <see cref="Current"/> and calls <paramref name="each"/> with it, in
    /// order, on this thread. With several workers the pipeline runs right here (this thread frames and
    /// delivers, the workers infer): no helper thread and no two hand-offs per window as with
    /// <see cref="MoveNext"/>, which on two cores left the workers waiting for framed windows while the
    /// two extra threads queued for a core (issue 16's pipeline trace). Only before the first MoveNext.
    /// </summary>
    internal void RunToEnd(Action<WindowClassification> each)
    {
        if (_pipelined is null || _pipeline is not null || _ended)
        {
            while (MoveNext()) each(_result);
            return;
        }
        _cancellation.ThrowIfCancellationRequested();
        var stats = _pipelined.Analyze(_source, _hop, (in AudioWindow window, ReadOnlySpan<float> scores) =>
        {
            Accept(window, scores);
            _windows++;
            each(_result);
        }, _cancellation);
        _pushedSamplesRead = stats.SamplesRead;
        _ended = true;
    }

    /// <summary>Called with each window's native scores (on the pipeline's thread when there is one).</summary>
    internal void Accept(in AudioWindow window, ReadOnlySpan<float> scores)
    {
        _result.Fill(window, scores, _options.ScoreThreshold, _options.Filter);
        _aggregate?.Add(scores);
    }

    /// <summary>The whole-input ranking of the windows seen so far.</summary>
    internal ClassificationSummary Summarize()
    {
        var aggregate = _aggregate ?? throw new InvalidOperationException("no aggregation was asked for");
        var scores = aggregate.Result().ToArray();
        var top = new ScoredClass[_options.TopCount(_classifier.ClassCount)];
        int n = TopK.Select(scores, top, _options.ScoreThreshold, _options.Filter);
        return new ClassificationSummary(_result.InputName, AudioInput.FormatOf(_source), aggregate.Kind, _windows,
            SamplesRead / (double)_classifier.SampleRate, top[..n], scores);
    }

    private bool End()
    {
        _ended = true;
        ReleaseSession();
        return false;
    }

    private void ReleaseSession()
    {
        _session?.Dispose();
        _session = null;
    }

    public void Dispose()
    {
        ReleaseSession();
        _pipeline?.Dispose();
    }

    /// <summary>
    /// Runs a pipeline on a helper thread and hands its ordered results over one at a time. Two
    /// permit counters make a rendezvous: the pipeline's callback fills the result and waits; the caller
    /// takes it and, on its next MoveNext, lets the pipeline go on. No allocation per window.
    /// </summary>
    private sealed class PipelineRendezvous : IDisposable
    {
        // Not SemaphoreSlim: it allocated now and then when a wait had to block (see Permits).
        private readonly Permits _ready = new();
        private readonly Permits _taken = new();
        private readonly Thread _thread;
        private readonly WindowRun _owner;
        private bool _holding;      // the caller holds a result; the pipeline waits on _taken
        private volatile bool _abandoned;
        private volatile bool _finished;
        private Exception? _failure;
        private long _samplesRead;

        internal PipelineRendezvous(WindowPipeline pipeline, ISampleSource source, int hop, WindowRun owner, CancellationToken cancellation)
        {
            _owner = owner;
            _thread = new Thread(() =>
            {
                try
                {
                    var stats = pipeline.Analyze(source, hop, OnWindow, cancellation);
                    _samplesRead = stats.SamplesRead;
                }
                catch (Exception e) when (e is not AbandonedException)
                {
                    _failure = e;
                }
                catch (AbandonedException)
                {
                }
                _finished = true;
                _ready.Release();
            }) { IsBackground = true, Name = "yamnet-window-run" };
            _thread.Start();
        }

        internal long SamplesRead => Volatile.Read(ref _samplesRead);

        private void OnWindow(in AudioWindow window, ReadOnlySpan<float> scores)
        {
            _owner.Accept(window, scores);
            _ready.Release();
            _taken.Wait();
            if (_abandoned) throw new AbandonedException();
        }

        internal bool MoveNext()
        {
            if (_holding)
            {
                _holding = false;
                _taken.Release();
            }
            _ready.Wait();
            if (_finished)
            {
                _thread.Join();
                if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
                return false;
            }
            _holding = true;
            return true;
        }

        public void Dispose()
        {
            if (_thread.ThreadState == ThreadState.Unstarted) return;
            _abandoned = true;
            if (_holding)
            {
                _holding = false;
                _taken.Release();
            }
            // The pipeline stops at its next window (the callback throws) or has finished already.
            while (!_finished)
            {
                _ready.Wait();
                if (!_finished) _taken.Release();
            }
            _thread.Join();
        }

        private sealed class AbandonedException : Exception;
    }
}
