using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Tests.Conversion;

public sealed class ResourceVersionOrderTests
{
    [Fact]
    public void Etcd_revisions_order_as_numbers_and_anything_else_still_orders_the_same_way_everywhere()
    {
        var order = ResourceVersionOrder.Instance;
        Assert.True(order.Compare("9", "10") < 0);
        Assert.True(order.Compare("99999999999999999999", "100000000000000000000") < 0);
        Assert.Equal(0, order.Compare("42", "42"));
        Assert.True(order.Compare("", "1") < 0);
        Assert.True(order.Compare(null, "") == 0);
        Assert.Equal("1000", ResourceVersionOrder.Max(["7", "1000", "999", ""]));

        var opaque = new[] { "b", "ab", "a", "10", "z9" };
        var sorted = opaque.Order(order).ToArray();
        Assert.Equal(sorted, opaque.Reverse().Order(order).ToArray());
        Assert.True(ResourceVersionOrder.IsNumeric("123"));
        Assert.False(ResourceVersionOrder.IsNumeric("0123"));
        Assert.False(ResourceVersionOrder.IsNumeric("abc"));
    }
}
