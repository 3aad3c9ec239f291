using System.CommandLine;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh run</c>: the all-in-one node (directory watcher, aggregator and proxy in one process).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var manifests = new Option<DirectoryInfo>("--manifests") { Description = "Directory of manifests to watch", Required = true };
        var identity = new Option<string>("--identity") { Description = "NAMESPACE/SERVICEACCOUNT this proxy serves", Required = true };
        var command = new Command("run", "Run the all-in-one node on a directory of manifests") { manifests, identity };
        command.SetAction((parse, ct) =>
        {
            Console.Error.WriteLine($"mesh run: {parse.GetValue(manifests)} {parse.GetValue(identity)} (not wired yet)");
            return Task.FromResult(2);
        });
        return command;
    }
}
