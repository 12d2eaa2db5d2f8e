using System.Text.Json.Serialization;

namespace Yamnet.Cli.Output;

/// <summary>Source-generated JSON metadata for the result documents (snake_case, no reflection: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(FormatDto))]
[JsonSerializable(typeof(WindowDto))]
[JsonSerializable(typeof(SummaryDto))]
[JsonSerializable(typeof(List<ClassDto>))]
public sealed partial class CliJsonContext : JsonSerializerContext;
