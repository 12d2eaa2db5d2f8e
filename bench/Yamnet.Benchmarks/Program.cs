using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Yamnet.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Yamnet.Benchmarks.WindowBenchmarks).Assembly).Run(args);
