using SharpFuzz;
using StreamSpace.Fuzz;

// Under AFL++ (tests/Fuzz/run.sh): `StreamSpace.Fuzz <target>` reads each input from AFL's loop.
// By hand: `StreamSpace.Fuzz <target> <file>...` runs the files once each, for a crash AFL saved or the corpus.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: StreamSpace.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [file...]");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args.Skip(1))
    {
        target(await File.ReadAllBytesAsync(file));
        Console.WriteLine($"{file}: ok");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;
