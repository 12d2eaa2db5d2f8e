namespace Yamnet.Service.Outputs;

/// <summary>
/// Somewhere events go. <see cref="Publish"/> and <see cref="PublishLevel"/> never block the listener:
/// each output queues and delivers on its own task. <see cref="StopAsync"/> delivers what is queued
/// until the deadline, then reports what could not be.
/// </summary>
public interface IEventOutput
{
    string Name { get; }

    /// <summary>Starts delivery. <paramref name="watched"/> maps each source to its watched labels (MQTT states and discovery).</summary>
    void Start(IReadOnlyDictionary<string, IReadOnlyList<string>> watched);

    void Publish(ServiceEvent e);

    void PublishLevel(string source, double rms, double dbfs);

    /// <summary>Completes with an error message if the output cannot work at all (a broker refusing our credentials); never otherwise.</summary>
    Task<string> Fatal { get; }

    Task StopAsync(TimeSpan deadline);

    /// <summary>One line for the final summary: delivered, dropped, still queued.</summary>
    string Summary { get; }
}
