using Yamnet.Service.Configuration;

namespace Yamnet.Service.Tests;

/// <summary>The config file (YAML and JSON), its validation with path-named errors, and secret masking.</summary>
public sealed class ConfigTests
{
    private const string Yaml = """
        model: models/yamnet.tflite
        hop: 0.975
        min_level: -55
        level_interval: 30
        sources:
          - name: kitchen
            input: alsa:hw:1,0
          - name: porch
            input: rtsp://cam:pw@192.168.1.20/stream1
            stall_seconds: 5
          - "-"
        events:
          labels: [Dog, Cat]
          threshold: 0.6
          off_threshold: 0.4
          min_duration: 0.5
          merge_gap: 1
          median: 3
          class_thresholds: ["Dog=0.4:0.2"]
          groups: ["dog=Dog;Bark;Howl"]
        clips:
          dir: clips
          pre: 1
          post: 3
          format: wav
          max_mb: 200
        outputs:
          stdout: false
          mqtt:
            url: mqtts://ha@broker.local
            password_env: HOME
            client_id: pi-kitchen
          webhook:
            url: https://example.org/hook
            timeout_seconds: 3
        """;

    [Fact]
    public void A_yaml_file_maps_every_setting()
    {
        var c = ServiceConfigLoader.Parse(Yaml, "listen.yaml", "/etc/yamnet", json: false);
        c.Model.Should().Be("/etc/yamnet/models/yamnet.tflite", "relative paths are relative to the config file");
        c.HopSeconds.Should().Be(0.975);
        c.HopSamples(15600, 16000).Should().Be(15600);
        c.MinLevelDbfs.Should().Be(-55);
        c.LevelIntervalSeconds.Should().Be(30);
        c.Sources.Select(s => s.EffectiveName).Should().Equal("kitchen", "porch", "stdin");
        c.Sources.Select(s => s.Kind).Should().Equal(SourceKind.Alsa, SourceKind.Ffmpeg, SourceKind.Stdin);
        c.Sources[1].StallSeconds.Should().Be(5);
        c.Events.Labels.Should().Equal("Dog", "Cat");
        (c.Events.Threshold, c.Events.OffThreshold, c.Events.MinDurationSeconds, c.Events.MergeGapSeconds, c.Events.Median).Should().Be((0.6, 0.4, 0.5, 1.0, 3));
        c.Events.ClassThresholds.Should().Equal("Dog=0.4:0.2");
        c.Events.Groups.Should().Equal("dog=Dog;Bark;Howl");
        c.Clips!.Dir.Should().Be("/etc/yamnet/clips");
        (c.Clips.PreSeconds, c.Clips.PostSeconds, c.Clips.Format, c.Clips.MaxMegabytes).Should().Be((1.0, 3.0, "wav", 200.0));
        c.Outputs.Stdout.Should().BeFalse();
        c.Outputs.Mqtt!.Host.Should().Be("broker.local");
        c.Outputs.Mqtt.Tls.Should().BeTrue();
        c.Outputs.Mqtt.EffectivePort.Should().Be(8883);
        c.Outputs.Mqtt.Username.Should().Be("ha");
        c.Outputs.Mqtt.EffectiveClientId.Should().Be("pi-kitchen");
        c.Outputs.Webhook!.TimeoutSeconds.Should().Be(3);
    }

    [Fact]
    public void A_json_file_reads_the_same_schema()
    {
        var c = ServiceConfigLoader.Parse("""
            { "sources": [ { "input": "-", "rate": 48000, "channels": 2 } ],
              "outputs": { "mqtt": { "host": "127.0.0.1", "port": 1884, "queue": 10 } } }
            """, "listen.json", "/tmp", json: true);
        c.Sources[0].Rate.Should().Be(48000);
        c.Sources[0].Channels.Should().Be(2);
        c.Outputs.Mqtt!.EffectivePort.Should().Be(1884);
        c.Outputs.Mqtt.Queue.Should().Be(10);
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_path()
    {
        var act = () => ServiceConfigLoader.Parse("""
            sources:
              - input: "-"
                rate: fast
              - name: "bad/name"
                input: alsa:default
            events:
              threshold: 1.5
            outputs:
              mqtt:
                host: broker
                port: 70000
                prot: 1
                password: hunter2
            """, "listen.yaml", "/tmp", json: false);
        var errors = act.Should().Throw<ServiceConfigException>().Which.Errors;
        errors.Should().Contain("sources[0].rate: must be a whole number (got 'fast')");
        errors.Should().Contain("outputs.mqtt.prot: unknown setting (did you mean 'port'?)");
        errors.Should().Contain(e => e.StartsWith("outputs.mqtt.password: not accepted in a config file"));
        errors.Should().NotContain(e => e.Contains("hunter2"));
    }

    [Fact]
    public void Value_errors_name_their_path_and_range()
    {
        var act = () => ServiceConfigLoader.Parse("""
            sources:
              - name: "bad/name"
                input: alsa:default
              - name: twin
                input: "-"
              - name: twin
                input: "-"
            events:
              threshold: 1.5
            clips:
              pre: 2
            outputs:
              mqtt:
                host: broker
                port: 70000
              webhook:
                url: ftp://example.org
            """, "listen.yaml", "/tmp", json: false);
        var errors = act.Should().Throw<ServiceConfigException>().Which.Errors;
        errors.Should().Contain("outputs.mqtt.port: must be 1–65535 (got 70000)");
        errors.Should().Contain(e => e.StartsWith("sources[0].name: 'bad/name' may hold only"));
        errors.Should().Contain(e => e.StartsWith("sources[2].name: 'twin' is used by another source"));
        errors.Should().Contain("events.threshold: must be in (0, 1]");
        errors.Should().Contain("clips.dir: is required");
        errors.Should().Contain("outputs.webhook.url: must be an http:// or https:// URL");
    }

    [Fact]
    public void Broken_yaml_is_one_error_with_its_line()
    {
        var act = () => ServiceConfigLoader.Parse("sources:\n  - input: [unclosed\n", "listen.yaml", "/tmp", json: false);
        act.Should().Throw<ServiceConfigException>().Which.Errors.Should().ContainSingle().Which.Should().StartWith("listen.yaml: not valid YAML: line");
    }

    [Fact]
    public void An_mqtt_url_with_a_password_is_refused()
    {
        var errors = new List<string>();
        var m = MqttConfig.FromUrl("mqtt://user:secret@broker:1884", errors, "--mqtt");
        errors.Should().ContainSingle().Which.Should().Contain("password in the URL is refused").And.NotContain("secret");
        (m.Host, m.Port, m.Username).Should().Be(("broker", 1884, "user"));
    }

    [Theory]
    [InlineData("rtsp://cam:hunter2@10.0.0.5:554/live", "rtsp://cam:***@10.0.0.5:554/live")]
    [InlineData("http://10.0.0.5/a.mp3?user=x&password=hunter2&x=1", "http://10.0.0.5/a.mp3?user=x&password=***&x=1")]
    [InlineData("https://h/s?token=abc.def", "https://h/s?token=***")]
    [InlineData("Error opening input 'rtsp://u:p%40ss@h/x'", "Error opening input 'rtsp://u:***@h/x'")]
    [InlineData("/srv/audio/no secrets.wav", "/srv/audio/no secrets.wav")]
    public void Secrets_in_urls_are_masked(string text, string masked) => SecretMasker.MaskUrl(text).Should().Be(masked);

    [Fact]
    public void Secrets_of_a_url_are_masked_wherever_they_appear()
    {
        var secrets = SecretMasker.SecretsOf("rtsp://cam:p%40ss@h/x");
        SecretMasker.MaskText("auth failed for password p@ss", secrets).Should().Be("auth failed for password ***");
    }
}
