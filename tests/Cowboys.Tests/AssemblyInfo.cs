using Xunit;

// Cluster specs and end-to-end games start many ActorSystems and processes; on a 2-core machine
// running them side by side only makes them slow and their timeouts flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
