using System.Diagnostics;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Client;
using Mesh.Kubernetes.Tests.Support;

namespace Mesh.Kubernetes.Tests.Fake;

/// <summary>The fake as a separate process, as end-to-end tests run it: port on stdout, kubeconfig, remote control.</summary>
public sealed class FakeKubeApiProcessTests
{
    [Fact]
    public async Task Runs_as_a_process_prints_its_port_writes_a_kubeconfig_takes_faults_over_http_and_stops_on_sigterm()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-fake-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Mesh.FakeKubeApi.dll"), "--listen", "127.0.0.1:0", "--state", dir, "--print-port" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var portLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TestTime.Dilate(TimeSpan.FromSeconds(30)));
            var port = int.Parse(portLine!, System.Globalization.CultureInfo.InvariantCulture);
            using var http = new FakeApiHttp(new Uri($"http://127.0.0.1:{port}"));

            var (_, state) = await http.GetAsync("/_fake/state");
            Assert.True((long)state!["resourceVersion"]! >= 2);
            var (ok, _) = await http.SendAsync(HttpMethod.Post, "/_fake/faults", """{"action":"fail","status":503,"count":1,"verb":"list","resource":"namespaces"}""");
            Assert.Equal(200, ok);

            // The kubeconfig it wrote works with the client configuration Mesh uses.
            var config = KubernetesClientFactory.Configuration(new KubernetesConnectionOptions(Path.Combine(dir, "kubeconfig"), "fake"));
            using var client = new k8s.Kubernetes(config);
            var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => k8s.CoreV1OperationsExtensions.ListNamespaceAsync(client.CoreV1));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.Response.StatusCode);
            var namespaces = await k8s.CoreV1OperationsExtensions.ListNamespaceAsync(client.CoreV1);
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");

            var (_, requests) = await http.GetAsync("/_fake/requests");
            Assert.Equal([503, 200], ((JsonArray)requests!).Where(r => (string?)r!["verb"] == "list").Select(r => (int)r!["status"]!));
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(dir, "port"))).Trim());

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(TestTime.Dilate(TimeSpan.FromSeconds(15)));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_kubeconfig_is_a_clear_error()
    {
        var e = Assert.Throws<KubernetesConfigurationException>(() =>
            KubernetesClientFactory.Configuration(new KubernetesConnectionOptions("/nonexistent/kubeconfig")));
        Assert.Contains("/nonexistent/kubeconfig does not exist", e.Message, StringComparison.Ordinal);
    }
}
