using Akka.Actor;
using Mesh.Proxy.Node;

namespace Mesh.Proxy.Tests;

/// <summary>What an identity actor keeps of the controllers that answer it: lost pushes, and the controller it prefers.</summary>
public sealed class SnapshotSourcesTests
{
    private static readonly Address A = Address.Parse("akka.tcp://mesh@10.0.0.1:2552");
    private static readonly Address B = Address.Parse("akka.tcp://mesh@10.0.0.2:2552");
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_push_that_skips_a_sequence_of_its_server_is_a_loss_and_a_baseline_never_is()
    {
        var sources = new SnapshotSources(TimeSpan.FromSeconds(15));

        Assert.False(sources.Heard(A, "a1", 1, baseline: false, T0));
        Assert.False(sources.Heard(A, "a1", 2, baseline: false, T0));
        Assert.True(sources.Heard(A, "a1", 4, baseline: false, T0)); // 3 never came
        Assert.False(sources.Heard(B, "b1", 9, baseline: false, T0)); // a first word from another server
        Assert.False(sources.Heard(B, "b1", 15, baseline: true, T0)); // "you hold my latest": where its count stands now
        Assert.False(sources.Heard(B, "b1", 16, baseline: false, T0));
        Assert.False(sources.Heard(A, "a2", 1, baseline: false, T0)); // a restarted server counts afresh
        Assert.Equal(T0, sources.LastHeard);
    }

    [Fact]
    public void The_preferred_controller_stays_while_it_answers_and_another_is_chosen_when_it_falls_silent()
    {
        var sources = new SnapshotSources(TimeSpan.FromSeconds(15));
        Assert.Null(sources.Preferred(T0)); // none heard: any may push

        sources.Heard(A, "a", 1, baseline: false, T0);
        sources.Heard(B, "b", 1, baseline: false, T0);
        var first = sources.Preferred(T0);
        Assert.Contains(first, new[] { A, B });
        var other = first == A ? B : A;

        for (var s = 1; s <= 10; s++)
        {
            sources.Heard(first, "x", 0, baseline: false, T0.AddSeconds(s));
            sources.Heard(other, "y", 0, baseline: false, T0.AddSeconds(s));
            Assert.Equal(first, sources.Preferred(T0.AddSeconds(s))); // sticky
        }

        sources.Heard(other, "y", 0, baseline: false, T0.AddSeconds(30)); // the preferred one is silent from second 10
        Assert.Equal(other, sources.Preferred(T0.AddSeconds(30)));
        Assert.Null(sources.Preferred(T0.AddSeconds(60))); // and then nobody
    }

    [Fact]
    public void Proxies_spread_over_the_controllers()
    {
        var choices = Enumerable.Range(0, 200).Select(_ =>
        {
            var sources = new SnapshotSources(TimeSpan.FromSeconds(15));
            sources.Heard(A, "a", 1, baseline: false, T0);
            sources.Heard(B, "b", 1, baseline: false, T0);
            return sources.Preferred(T0);
        }).ToList();

        // 200 fair coin flips land 50-150 times on one side with a probability far above 1 - 1e-12.
        Assert.InRange(choices.Count(c => c == A), 50, 150);
    }
}
