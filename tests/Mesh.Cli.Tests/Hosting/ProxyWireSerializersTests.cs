using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Serialization;
using Mesh.Cli.Commands;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Cluster.Client;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Cli.Tests.Hosting;

/// <summary>
/// The actor system `mesh proxy` builds (its role in the host, as the command builds it) sends what its cluster client
/// says to the controllers in Akka's own serializers and Mesh's wire format, never in Akka's default JSON serializer: a
/// remote-only system does not start the cluster tools' extensions, which is where their serializers are declared.
/// </summary>
public sealed class ProxyWireSerializersTests
{
    [Fact]
    public async Task Every_cluster_client_and_pub_sub_message_has_a_serializer_other_than_json()
    {
        await using var services = ProxyHostServices();
        var system = services.GetRequiredService<ActorSystem>(); // Akka.Hosting makes it when first asked for
        try
        {
            var messageTypes = typeof(ClusterClient).Assembly.GetTypes()
                .Where(t => t is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false })
                .Where(t => typeof(IClusterClientMessage).IsAssignableFrom(t) || typeof(IDistributedPubSubMessage).IsAssignableFrom(t))
                .ToList();
            Assert.Contains(typeof(Akka.Cluster.Tools.PublishSubscribe.SendToAll), messageTypes); // what the client's SendToAll becomes

            var json = messageTypes.Where(t => system.Serialization.FindSerializerForType(t) is NewtonSoftJsonSerializer).Select(t => t.FullName);
            Assert.Empty(json);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_watch_sent_to_every_controller_travels_in_the_pub_sub_serializer_with_the_watch_in_mesh_s_wire_format()
    {
        await using var services = ProxyHostServices();
        var system = services.GetRequiredService<ActorSystem>();
        try
        {
            var watch = new WatchSnapshots(ServiceAccountIdentity.Parse("curl/curl"), system.DeadLetters, "v1", null);
            // ClusterClient hands SendToAll to the receptionist as pub/sub's SendToAll (akka.cluster.client.use-legacy-serialization).
            var envelope = new Akka.Cluster.Tools.PublishSubscribe.SendToAll(ControllerLink.SnapshotServerPath, watch);

            var serializer = system.Serialization.FindSerializerFor(envelope);
            Assert.IsNotType<NewtonSoftJsonSerializer>(serializer);
            Assert.IsType<MeshWireSerializer>(system.Serialization.FindSerializerFor(watch));
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, envelope);
            var back = Assert.IsType<Akka.Cluster.Tools.PublishSubscribe.SendToAll>(
                system.Serialization.Deserialize(serializer.ToBinary(envelope), serializer.Identifier, manifest));
            Assert.Equal(watch, back.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The services of `mesh proxy`'s host, not started (the actor system is made, the proxy node is not).</summary>
    private static ServiceProvider ProxyHostServices()
    {
        var configuration = MeshConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["mesh:identity"] = "curl/curl",
            ["mesh:proxy:controllers"] = "127.0.0.1:1",
        });
        var settings = ProxySettings.Read(configuration.Settings);
        var role = ProxyCommand.Role(settings, [ControllerLink.ReceptionistOf("mesh", "127.0.0.1", 1)]);
        var builder = MeshHost.Create(configuration, role);
        role.AddServices(builder.Services);
        return builder.Services.BuildServiceProvider();
    }
}
