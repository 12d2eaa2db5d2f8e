using Yamnet.Service.Outputs;

namespace Yamnet.Service.Processing;

/// <summary>An event start or end in stream time (seconds from the start of the source's run).</summary>
public readonly record struct TrackedEvent(ServiceEventKind Kind, int Index, double StartSeconds, double EndSeconds, float Peak, float Mean);
