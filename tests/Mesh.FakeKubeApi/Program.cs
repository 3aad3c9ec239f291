using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Mesh.FakeKubeApi;

// dotnet Mesh.FakeKubeApi.dll [--listen 127.0.0.1:0] [--state DIR] [--print-port] [--token T] [--bookmark-interval SECONDS] [--verbose]
// Runs until SIGTERM or SIGINT. With --print-port, the first line on stdout is the port.
var options = new FakeKubeApiOptions();
var printPort = false;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--listen":
            options = options with { Listen = IPEndPoint.Parse(Next()) };
            break;
        case "--state":
            options = options with { StateDirectory = Path.GetFullPath(Next()) };
            break;
        case "--token":
            options = options with { BearerToken = Next() };
            break;
        case "--bookmark-interval":
            options = options with { BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
            break;
        case "--print-port":
            printPort = true;
            break;
        case "--verbose":
            options = options with { LogToConsole = true };
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}");
            return 2;
    }
}

await using var server = await FakeKubeApiServer.StartAsync(options);
if (printPort)
{
    Console.WriteLine(server.Port.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
}
await Console.Error.WriteLineAsync($"fake Kubernetes API server listening on {server.BaseAddress}");

var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;
return 0;
