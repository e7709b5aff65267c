using CsCheck;
using EnergyMonitor.Analytics.Rankings;

namespace EnergyMonitor.Analytics.Tests.Rankings;

public sealed class PeerScoreTests
{
    [Fact]
    public void Worked_example_five_schools_by_kgce_per_square_metre()
    {
        // 8.1 uses less than all four others: 100. 12.0 uses less than two of four: 50. 20.5 uses the most: 1, not 0.
        double[] peers = [12.0, 8.1, 15.3, 20.5, 9.9];

        Assert.Equal([50, 100, 25, 1, 75], peers.Select(p => PeerScore.Of(p, peers)));
        Assert.Equal([3, 1, 4, 5, 2], PeerScore.Ranks([.. peers.Select(p => (double?)p)]));
    }

    [Fact]
    public void Ties_share_the_half_and_too_few_peers_or_no_value_give_no_score()
    {
        Assert.Equal(50, PeerScore.Of(10, [10, 10, 10]));
        Assert.Null(PeerScore.Of(10, [10, 12]));
        Assert.Null(PeerScore.Of(double.NaN, [10, 12, 14]));
        Assert.Null(PeerScore.Of(10, [10, double.NaN, double.PositiveInfinity]));
        Assert.Equal([1, 1, 3, null], PeerScore.Ranks([2.0, 2.0, 5.0, null]));
    }

    private static readonly Gen<double[]> Groups = Gen.Double[0, 500].Array[PeerScore.MinimumPeers, 40];

    [Fact]
    public void Every_score_lies_in_1_to_100_and_less_use_never_scores_lower()
    {
        Groups.Sample(peers =>
        {
            var scores = peers.Select(p => PeerScore.Of(p, peers)!.Value).ToArray();
            Assert.All(scores, s => Assert.InRange(s, 1, 100));
            for (var i = 0; i < peers.Length; i++)
            {
                for (var j = 0; j < peers.Length; j++)
                {
                    if (peers[i] < peers[j])
                    {
                        Assert.True(scores[i] >= scores[j], $"{peers[i]} scored {scores[i]} below {peers[j]}'s {scores[j]}");
                    }
                }
            }

            // The least user scores 100 when alone at the bottom; the greatest scores 1 when alone at the top.
            if (peers.Count(p => p == peers.Min()) == 1)
            {
                Assert.Equal(100, scores[Array.IndexOf(peers, peers.Min())]);
            }
        });
    }

    [Fact]
    public void The_order_of_the_peers_changes_no_score_and_ranks_agree_with_scores()
    {
        Gen.Select(Groups, Gen.Int).Sample((peers, seed) =>
        {
            var random = new Random(seed);
            var shuffled = peers.OrderBy(_ => random.Next()).ToArray();
            Assert.All(peers, p => Assert.Equal(PeerScore.Of(p, peers), PeerScore.Of(p, shuffled)));

            var ranks = PeerScore.Ranks([.. peers.Select(p => (double?)p)]);
            for (var i = 0; i < peers.Length; i++)
            {
                for (var j = 0; j < peers.Length; j++)
                {
                    Assert.Equal(ranks[i] < ranks[j], peers[i] < peers[j]);
                }
            }
        });
    }
}
