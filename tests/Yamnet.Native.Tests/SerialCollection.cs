namespace Yamnet.Native.Tests;

/// <summary>
/// Tests that measure process-wide quantities (GC.GetTotalAllocatedBytes) must not share the
/// process with tests running in parallel: xUnit runs this collection alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide measurements)";
}
