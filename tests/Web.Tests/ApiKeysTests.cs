using CsCheck;

namespace EnergyMonitor.Web.Tests;

public sealed class ApiKeysTests
{
    [Fact]
    public void A_new_key_verifies_against_its_hash_and_no_other_key_does()
    {
        var key = ApiKeys.NewKey();
        var hash = ApiKeys.Hash(key, iterations: 1000);

        Assert.StartsWith("em_", key, StringComparison.Ordinal);
        Assert.Equal(46, key.Length); // em_ and 43 base64url characters: 256 bits
        Assert.True(ApiKeys.Verify(key, hash));
        Assert.False(ApiKeys.Verify(key + "x", hash));
        Assert.False(ApiKeys.Verify(ApiKeys.NewKey(), hash));
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hashes_of_one_key_differ_by_their_salt()
    {
        var key = ApiKeys.NewKey();
        Assert.NotEqual(ApiKeys.Hash(key, 1000), ApiKeys.Hash(key, 1000));
    }

    [Fact]
    public void Malformed_hashes_never_verify_and_never_throw()
    {
        Gen.String.Sample(text => Assert.False(ApiKeys.Verify("em_anything", text)), iter: 2000);
        Assert.False(ApiKeys.Verify("k", "pbkdf2-sha256$0$AAAA$AAAA"));
        Assert.False(ApiKeys.Verify("k", "pbkdf2-sha256$1000$not base64$AAAA"));
        Assert.False(ApiKeys.Verify("k", "sha1$1000$AAAA$AAAA"));
    }

    [Theory]
    [InlineData("admin", "operator", true)]
    [InlineData("operator", "operator", true)]
    [InlineData("viewer", "operator", false)]
    [InlineData("viewer", "viewer", true)]
    [InlineData("", "viewer", false)]
    [InlineData("root", "viewer", false)]
    public void Roles_include_the_ones_below_them(string role, string required, bool allowed) => Assert.Equal(allowed, ApiKeys.Allows(role, required));

    [Fact]
    public void The_key_ring_finds_the_holder_and_remembers_only_keys_that_passed()
    {
        var viewer = ApiKeys.NewKey();
        var op = ApiKeys.NewKey();
        var ring = new KeyRing([new ApiKeySettings { Name = "v", Hash = ApiKeys.Hash(viewer, 1000), Role = "viewer" }, new ApiKeySettings { Name = "o", Hash = ApiKeys.Hash(op, 1000), Role = "operator" }]);

        Assert.Equal(("v", "viewer"), (ring.Find(viewer)?.Name, ring.Find(viewer)?.Role));
        Assert.Equal(("o", "operator"), (ring.Find(op)?.Name, ring.Find(op)?.Role));
        Assert.Same(ring.Find(op), ring.Find(op)); // from memory the second time
        Assert.Null(ring.Find("em_wrong-key-of-some-length"));
        Assert.Null(ring.Find(""));
        Assert.Null(ring.Find(new string('x', 500)));
    }

    [Fact]
    public void Beyond_the_check_budget_a_new_key_waits_and_a_known_one_does_not()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var viewer = ApiKeys.NewKey();
        var officer = ApiKeys.NewKey();
        // Two keys configured: each check of an unknown key costs two derivations; the budget holds four a second.
        var ring = new KeyRing([new ApiKeySettings { Name = "v", Hash = ApiKeys.Hash(viewer, 1000), Role = "viewer" }, new ApiKeySettings { Name = "o", Hash = ApiKeys.Hash(officer, 1000), Role = "operator" }],
            new KeyCheckBudget(4, time));

        Assert.Equal(KeyCheck.Valid, ring.Check(viewer, out _));
        Assert.Equal(KeyCheck.Invalid, ring.Check("em_wrong-key-of-some-length", out _));
        Assert.Equal(KeyCheck.Busy, ring.Check(officer, out _)); // the budget is spent: not checked, not wrong
        Assert.Equal(KeyCheck.Valid, ring.Check(viewer, out _)); // known keys cost nothing
        Assert.Equal(KeyCheck.Invalid, ring.Check("not-our-format-at-all", out _)); // refused without a derivation

        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(KeyCheck.Valid, ring.Check(officer, out var caller));
        Assert.Equal("o", caller!.Name);
    }
}
