using StreamSpace.Bench;

// One mode per line; each mode is one file with a static RunAsync(string[] arguments) returning the exit code.
return args.FirstOrDefault() switch
{
    "gateway" => await GatewayComparison.RunAsync(args[1..]),
    "launch" => await LaunchToFirstFrame.RunAsync(args[1..]),
    "sweep" => await IdleSweepBench.RunAsync(args[1..]),
    "flush" => await ActivityFlushBench.RunAsync(args[1..]),
    "serve-gateway" => await GatewayServer.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: StreamSpace.Bench <mode>");
    Console.Error.WriteLine("  launch    xterm on the local runtime: launch to first frame, p50/p95 over 10 launches");
    Console.Error.WriteLine("  gateway   the RFB gateway against websockify: throughput, latency, CPU, 200 viewers");
    Console.Error.WriteLine("  sweep     one idle sweep over 100,000 running sessions, 10,000 idle: wall time, SQL statements ($STREAMSPACE_BENCH_PG)");
    Console.Error.WriteLine("  flush     the input activity flush for 500 viewers: statements per interval, target one ($STREAMSPACE_BENCH_PG)");
    return 2;
}
