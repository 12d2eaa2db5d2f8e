using System.Reflection;
using Yamnet.Classification;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Classification;

public class SessionLeaseTests
{
    private static AudioClassifier Load(int? maxIdle = null)
        => AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { MaxIdleSessions = maxIdle, Interpreter = new TfLiteInterpreterOptions { Delegate = DelegateKind.None } });

    private static float[] MeowWindow(AudioClassifier c) => Pcm16Wav.Read(TestAssets.Meow)[..c.WindowLength];

    /// <summary>The cat score of the meow's first window from an owned session (builtin kernels: 0.738…).</summary>
    private static float OwnedCatScore(AudioClassifier c)
    {
        using var owned = c.CreateSession();
        return owned.Classify(MeowWindow(c))[76];
    }

    [Fact]
    public void A_returned_lease_hands_its_interpreter_to_the_next_renter()
    {
        using var classifier = Load();
        TfLiteInterpreter first;
        using (var lease = classifier.RentSession())
        {
            lease.IsLease.Should().BeTrue();
            first = lease.Interpreter;
            lease.Classify(MeowWindow(classifier))[76].Should().Be(OwnedCatScore(classifier)).And.BeGreaterThan(0.5f);
        }
        classifier.IdleSessionCount.Should().Be(1);
        using var again = classifier.RentSession();
        again.Interpreter.Should().BeSameAs(first);
        classifier.IdleSessionCount.Should().Be(0);
    }

    [Fact]
    public void Disposing_a_lease_twice_returns_it_once()
    {
        using var classifier = Load();
        var lease = classifier.RentSession();
        lease.Dispose();
        lease.Dispose();
        classifier.IdleSessionCount.Should().Be(1);
        using var a = classifier.RentSession();
        using var b = classifier.RentSession();
        a.Interpreter.Should().NotBeSameAs(b.Interpreter);
    }

    [Fact]
    public void Every_member_of_a_disposed_session_throws_ObjectDisposedException()
    {
        using var classifier = Load();
        var lease = classifier.RentSession();
        var owned = classifier.CreateSession();
        lease.Dispose();
        owned.Dispose();
        foreach (var session in new[] { lease, owned })
        {
            session.IsDisposed.Should().BeTrue();
            session.Invoking(s => s.Input.Length).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.Scores.Length).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.Run()).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.Classify(new float[classifier.WindowLength]).Length).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.Classifier).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.Embedding.Length).Should().Throw<ObjectDisposedException>();
            session.Invoking(s => s.LogMelSpectrogram.Length).Should().Throw<ObjectDisposedException>();
        }
        // Reflection keeps this honest when members are added: every public property and method but Dispose.
        var members = typeof(ClassifierSession).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is PropertyInfo or MethodInfo { IsSpecialName: false })
            .Select(m => m.Name).Where(n => n is not ("Dispose" or "IsDisposed" or "IsLease")).Distinct().Order();
        members.Should().Equal("Classifier", "Classify", "Embedding", "Input", "LogMelSpectrogram", "Run", "Scores");
    }

    [Fact]
    public void Every_member_of_a_disposed_classifier_throws_ObjectDisposedException()
    {
        var classifier = Load();
        classifier.Dispose();
        classifier.Dispose();
        var flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var properties = typeof(AudioClassifier).GetProperties(flags);
        properties.Should().NotBeEmpty();
        foreach (var p in properties)
        {
            FluentActions.Invoking(() => p.GetValue(classifier)).Should().Throw<TargetInvocationException>()
                .WithInnerException<ObjectDisposedException>($"{p.Name} is read after Dispose");
        }
        var methods = typeof(AudioClassifier).GetMethods(flags).Where(m => !m.IsSpecialName && m.Name != "Dispose" && m.GetParameters().Length == 0).ToList();
        methods.Select(m => m.Name).Should().Contain(["CreateSession", "RentSession"]);
        foreach (var m in methods)
        {
            FluentActions.Invoking(() => m.Invoke(classifier, null)).Should().Throw<TargetInvocationException>()
                .WithInnerException<ObjectDisposedException>($"{m.Name} is called after Dispose");
        }
    }

    [Fact]
    public void A_lease_outstanding_at_classifier_dispose_keeps_working_and_is_destroyed_on_return()
    {
        var classifier = Load();
        float expected = OwnedCatScore(classifier);
        var window = MeowWindow(classifier);
        var lease = classifier.RentSession();
        var interpreter = lease.Interpreter;
        classifier.Dispose();
        lease.Classify(window)[76].Should().Be(expected);
        lease.Dispose();
        interpreter.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Idle_interpreters_beyond_the_limit_are_destroyed()
    {
        using var classifier = Load(maxIdle: 1);
        var a = classifier.RentSession();
        var b = classifier.RentSession();
        var bInterpreter = b.Interpreter;
        a.Dispose();
        b.Dispose();
        classifier.IdleSessionCount.Should().Be(1);
        bInterpreter.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_option_named()
    {
        FluentActions.Invoking(() => Load(maxIdle: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxIdleSessions*");
        FluentActions.Invoking(() => AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { DefaultSampleRate = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*DefaultSampleRate*");
    }

    [Fact]
    public void Leases_on_many_threads_give_the_single_thread_scores()
    {
        using var classifier = Load();
        var window = MeowWindow(classifier);
        float[] expected;
        using (var s = classifier.RentSession()) expected = s.Classify(window).ToArray();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            using var s = classifier.RentSession();
            s.Classify(window).ToArray().Should().Equal(expected);
        });
        classifier.IdleSessionCount.Should().BeInRange(1, 4);
    }

    [Fact]
    public void The_public_surface_exposes_no_pool_type_and_no_interpreter_through_sessions()
    {
        var exported = typeof(AudioClassifier).Assembly.GetExportedTypes();
        var offending = exported
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => (t, m)))
            .Where(x => SignatureTypes(x.m).Any(st => st.Namespace?.StartsWith("Microsoft.Extensions.ObjectPool", StringComparison.Ordinal) == true))
            .Select(x => $"{x.t.Name}.{x.m.Name}");
        offending.Should().BeEmpty();
        typeof(ClassifierSession).GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(SignatureTypes).Should().NotContain(typeof(TfLiteInterpreter));
        typeof(AudioClassifier).GetMethod("GetPool").Should().BeNull();
    }

    private static IEnumerable<Type> SignatureTypes(MemberInfo m) => m switch
    {
        PropertyInfo p => [p.PropertyType],
        MethodInfo mi => mi.GetParameters().Select(x => x.ParameterType).Append(mi.ReturnType),
        FieldInfo f => [f.FieldType],
        ConstructorInfo c => c.GetParameters().Select(x => x.ParameterType),
        _ => [],
    };
}
