using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.FakeKubeApi;
using Mesh.FakeKubeApi.Resources;

namespace Mesh.Cli.Tests;

/// <summary>
/// The cluster commands as users run them: the <c>mesh</c> executable, a separate process, against the fake API
/// server through a kubeconfig. The flags, the exit codes, stdout and stderr (the progress display, off a terminal:
/// one line per status).
/// </summary>
public sealed class ClusterCommandsProcessTests
{
    [Fact]
    public async Task Install_namespace_add_and_uninstall_from_the_command_line()
    {
        using var dir = new TempDirectory();
        await using var api = await FakeKubeApiServer.StartAsync();
        var kubeconfig = api.WriteKubeconfig(Path.Combine(dir.Path, "kubeconfig"));
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        var install = RunAsync("install", "--kubeconfig", kubeconfig, "--context", "fake", "--timeout", "2m", "--set", "controller.replicas=2");
        // Play the Deployment controller: the replicas become ready once the Deployment is there.
        V1Deployment? deployment = null;
        await Eventually.TrueAsync(async () =>
        {
            var list = await client.AppsV1.ListNamespacedDeploymentAsync("mesh-system");
            deployment = list.Items.SingleOrDefault();
            return deployment is not null;
        }, TimeSpan.FromSeconds(60));
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = deployment!.Metadata.Generation, ["replicas"] = 2, ["updatedReplicas"] = 2, ["readyReplicas"] = 2, ["availableReplicas"] = 2,
            },
        };
        await client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), "mesh-controller", "mesh-system");
        var installed = await install;
        Assert.True(installed.Exit == 0, installed.ToString());
        Assert.Contains("Mesh \"mesh\" is installed (19 created, 0 updated, 0 unchanged)", installed.Output, StringComparison.Ordinal);
        Assert.Contains("waiting for deployment.apps/mesh-controller (mesh-system): ", installed.Error, StringComparison.Ordinal);
        Assert.NotNull(await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("mesh-sidecar-injector"));

        api.Store.Create(BuiltInTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "curl" } });
        var added = await RunAsync("namespace", "add", "curl", "--kubeconfig", kubeconfig);
        Assert.True(added.Exit == 0, added.ToString());
        Assert.Equal("mesh", (await client.CoreV1.ReadNamespaceAsync("curl")).Metadata.Labels["openservicemesh.io/monitored-by"]);

        var missing = await RunAsync("namespace", "add", "nope", "--kubeconfig", kubeconfig);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("mesh namespace add: namespace nope does not exist", missing.Error, StringComparison.Ordinal);

        var removed = await RunAsync("uninstall", "--kubeconfig", kubeconfig);
        Assert.True(removed.Exit == 0, removed.ToString());
        Assert.Contains("Mesh \"mesh\" is uninstalled (13 objects deleted).", removed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_timeout_is_refused_before_anything_is_done()
    {
        var run = await RunAsync("install", "--kubeconfig", "/nonexistent", "--timeout", "soon");
        Assert.NotEqual(0, run.Exit);
        Assert.Contains("--timeout soon: not a duration (examples: 90s, 5m, 1m30s)", run.Error, StringComparison.Ordinal);
    }

    private static async Task<Run> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mesh.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TestTime.Dilate(TimeSpan.FromMinutes(3)));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return new Run(process.ExitCode, await output, await error);
    }

    private sealed record Run(int Exit, string Output, string Error)
    {
        public override string ToString() => $"exit {Exit}\n--- stdout\n{Output}--- stderr\n{Error}";
    }
}
