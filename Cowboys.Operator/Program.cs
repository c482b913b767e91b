using Cowboys.Operator;
using Cowboys.Actors.Telemetry;
using Cowboys.Operator.Runtime;
using k8s;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

// The Shootout operator: reconciles Shootout custom resources into the Jobs that play them and
// writes the winner back. Settings: the "Operator" section (env Operator__CowboyImage, ...).
// --leader-elect as kubebuilder's managers take it (a switch without a value, which the
// configuration's command-line source cannot read), or Operator__LeaderElect=true
const string LeaderElectFlag = "--leader-elect";
var builder = WebApplication.CreateSlimBuilder(args.Where(a => a != LeaderElectFlag).ToArray());
var options = OperatorOptions.From(builder.Configuration);
if (args.Contains(LeaderElectFlag)) options = options with { LeaderElect = true };
builder.WebHost.ConfigureKestrel(k =>
{
    var address = options.ListenAddress();
    k.Listen(address, options.HttpPort);
    if (options.MetricsPort != options.HttpPort) k.Listen(address, options.MetricsPort);
});
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c =>
{
    c.SingleLine = true;
    c.TimestampFormat = "HH:mm:ss ";
});
// a line per probe request (every few seconds from the kubelet) drowned the operator's own lines
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

// KUBECONFIG when set, else ~/.kube/config, else the pod's service account. None of them, or one
// that cannot be read, is an error that names what to set (as controller-runtime's "unable to get
// kubeconfig"): not a stack trace, nor the client's last resort of localhost:8080 (this very process)
KubernetesClientConfiguration kubernetes;
try
{
    var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    if (Environment.GetEnvironmentVariable("KUBECONFIG") is null && !File.Exists(home) && !KubernetesClientConfiguration.IsInCluster())
        throw new FileNotFoundException($"KUBECONFIG is not set, {home} does not exist, and this is not a pod");
    kubernetes = KubernetesClientConfiguration.BuildDefaultConfig();
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"error: no usable Kubernetes configuration: {e.Message.Trim()}. Set KUBECONFIG or write ~/.kube/config, or run the operator in a pod with a service account");
    return 1;
}

builder.Services.AddSingleton(options);
builder.Services.AddSingleton<OperatorHealth>();
builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(kubernetes));
builder.Services.AddHostedService<LeaderElectedOperator>();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(OperatorMetrics.MeterName)
    .AddRuntimeInstrumentation()
    .AddPrometheusExporter()
    .RenameRuntimeCounts());
builder.Services.AddHealthChecks()
    .AddCheck("process", () => HealthCheckResult.Healthy(), tags: ["liveness"])
    .AddCheck<ElectionReadiness>("election", tags: ["readiness"]);

var app = builder.Build();
app.MapHealthChecks("/alive", new() { Predicate = c => c.Tags.Contains("liveness") });
app.MapHealthChecks("/ready", new() { Predicate = c => c.Tags.Contains("readiness") });
app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{options.MetricsPort}");
await app.RunAsync();
return Environment.ExitCode;
