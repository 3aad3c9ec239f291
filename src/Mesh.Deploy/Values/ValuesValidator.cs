namespace Mesh.Deploy.Values;

/// <summary>Checks that hold between values: ports that would collide in one pod.</summary>
internal static class ValuesValidator
{
    public static void Validate(InstallValues v)
    {
        Distinct("controller",
            ("controller.clusterPort", v.ControllerClusterPort),
            ("controller.adminPort", v.ControllerAdminPort),
            ("controller.webhookPort", v.ControllerWebhookPort));
        Distinct("proxy", ("proxy.outboundPort", v.ProxyOutboundPort), ("proxy.adminPort", v.ProxyAdminPort));
    }

    private static void Distinct(string component, params (string Key, int Port)[] ports)
    {
        foreach (var group in ports.GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            throw new ValuesException(
                $"--set {string.Join(" and ", group.Select(p => p.Key))}: the {component} cannot listen on port {group.Key} twice");
        }
    }
}
