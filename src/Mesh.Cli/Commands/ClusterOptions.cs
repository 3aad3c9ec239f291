using System.CommandLine;
using Mesh.Deploy.Commands;

namespace Mesh.Cli.Commands;

/// <summary>The flags of the commands that talk to a cluster: which kubeconfig and context, as kubectl takes them, and, for waits, --timeout.</summary>
internal sealed class ClusterOptions
{
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)" };
    private readonly Option<string?> _context = new("--context") { Description = "kubeconfig context (default: its current context)" };
    private readonly Option<string?> _timeout;
    private readonly bool _waits;

    public ClusterOptions(Command command, bool waits)
    {
        command.Options.Add(_kubeconfig);
        command.Options.Add(_context);
        _waits = waits;
        _timeout = new Option<string?>("--timeout")
        {
            Description = "How long each wait may take: for the CRDs, then for the controllers to be ready (e.g. 90s, 5m; default 5m)",
        };
        if (!waits) return;
        _timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ClusterArguments.ParseTimeout(text, out var error) is null) result.AddError(error!);
        });
        command.Options.Add(_timeout);
    }

    public ClusterArguments Read(ParseResult parse)
    {
        var timeout = _waits && parse.GetValue(_timeout) is { } text ? ClusterArguments.ParseTimeout(text, out _) : null;
        return new ClusterArguments(parse.GetValue(_kubeconfig), parse.GetValue(_context), timeout);
    }
}
