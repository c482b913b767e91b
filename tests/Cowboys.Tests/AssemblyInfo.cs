using Xunit;

// Cluster specs and end-to-end games start many ActorSystems and processes; on a 2-core machine
// running them side by side only makes them slow and their timeouts flaky. So every test class
// shares one collection and runs one after another, except the benchmark's quick run
// (collection "Benchmark"): it is two minutes of mostly waiting and asserts no timing, so it runs
// beside the rest, which keeps both cores busy as the tests of real processes must tolerate.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly, MaxParallelThreads = 2)]
