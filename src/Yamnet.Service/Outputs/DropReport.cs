namespace Yamnet.Service.Outputs;

/// <summary>When to log a queue drop: the first, then every 100th, so a long outage is reported without flooding the journal.</summary>
internal static class DropReport
{
    public static bool ShouldLog(long dropped) => dropped == 1 || dropped % 100 == 0;
}
