using System.Security.Cryptography;
using System.Text;
using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Operator.Progress;

/// <summary>
/// Events as API objects. The name is a hash of the Shootout's UID, reason and message, so an
/// operator that records the same event again after a restart gets AlreadyExists instead of a
/// duplicate in kubectl describe.
/// </summary>
public static class EventObjects
{
    public const string Component = "cowboys-operator";

    public static Corev1Event For(Shootout shootout, ShootoutEvent e, DateTime now, string instance)
    {
        var key = $"{shootout.Metadata.Uid}/{e.Reason}/{e.Message}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        // a DNS-1123 subdomain (at most 253): a cut name must not end in '-' or '.' before the dot
        var name = shootout.Metadata.Name.Length > 200 ? shootout.Metadata.Name[..200].TrimEnd('-', '.') : shootout.Metadata.Name;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{name}.{hash}", NamespaceProperty = shootout.Metadata.NamespaceProperty },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = Shootout.GroupVersion,
                Kind = Shootout.KindName,
                Name = shootout.Metadata.Name,
                NamespaceProperty = shootout.Metadata.NamespaceProperty,
                Uid = shootout.Metadata.Uid,
            },
            Type = e.Type,
            Reason = e.Reason,
            Message = e.Message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = instance,
        };
    }
}
