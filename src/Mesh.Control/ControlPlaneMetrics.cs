using System.Globalization;
using System.Text;

namespace Mesh.Control;

/// <summary>The control plane's counters and current validation state as Prometheus text, served beside the proxy's.</summary>
public static class ControlPlaneMetrics
{
    public static string Render(ControlPlane controlPlane)
    {
        ArgumentNullException.ThrowIfNull(controlPlane);
        var counters = controlPlane.Counters;
        var validation = controlPlane.Validation;
        var t = new StringBuilder();
        void Metric(string name, string type, string help, long value) =>
            t.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
        Metric("mesh_control_rejections_total", "counter", "Rejections found when reading manifests (invalid objects, unreadable files, conflicts)", counters.RejectionsTotal);
        Metric("mesh_control_changes_applied_total", "counter", "Object changes the policy aggregator applied", counters.ChangesApplied);
        Metric("mesh_control_snapshots_published_total", "counter", "Snapshots published, all identities", counters.SnapshotsPublished);
        Metric("mesh_control_objects_rejected", "gauge", "Objects whose latest version is rejected right now", validation.Rejections.Count);
        Metric("mesh_control_files_unreadable", "gauge", "Manifest files that do not parse right now (their last objects stay in force)", validation.SyntaxErrors.Count);
        Metric("mesh_control_object_conflicts", "gauge", "Objects defined in more than one file right now", validation.Conflicts.Count);
        return t.ToString();
    }
}
