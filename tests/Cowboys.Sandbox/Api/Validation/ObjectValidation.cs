using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// What the real server's validation refuses with 422 Invalid, for the kinds the project writes:
/// names, labels and annotations on every kind; pod specs (containers, restart policy) in pods,
/// Jobs and Deployments; selectors that must match the template; and the fields an update may not
/// change. Pure: each function returns the errors, empty if the object is valid.
/// </summary>
public static class ObjectValidation
{
    /// <summary>Checks a new object (name already defaulted from generateName).</summary>
    public static List<FieldError> ValidateCreate(ResourceType rt, JsonObject obj)
    {
        var errors = Metadata(rt, obj);
        errors.AddRange(Spec(rt, obj));
        errors.AddRange(CustomResourceSchema.Errors(obj, SchemaOf(rt), old: null));
        return errors;
    }

    private static JsonObject? SchemaOf(ResourceType rt) => rt.Crd?["schema"]?["openAPIV3Schema"] as JsonObject;

    /// <summary>Checks an update: the new object as on create, and what may not change.</summary>
    public static List<FieldError> ValidateUpdate(ResourceType rt, JsonObject old, JsonObject updated)
    {
        var errors = Metadata(rt, updated, checkName: false);
        errors.AddRange(Spec(rt, updated));
        errors.AddRange(CustomResourceSchema.Errors(updated, SchemaOf(rt), old));
        errors.AddRange(Immutability(rt, old, updated));
        return errors;
    }

    /// <summary>
    /// Checks a write to /status: the object against its custom resource schema, status included,
    /// as the real server validates the whole object there (only status can have changed).
    /// </summary>
    public static List<FieldError> ValidateStatusUpdate(ResourceType rt, JsonObject old, JsonObject updated)
    {
        var errors = Metadata(rt, updated, checkName: false);
        errors.AddRange(CustomResourceSchema.Errors(updated, SchemaOf(rt), old));
        return errors;
    }

    public static List<FieldError> Metadata(ResourceType rt, JsonObject obj, bool checkName = true)
    {
        var errors = new List<FieldError>();
        var meta = obj["metadata"] as JsonObject;
        var name = (string?)meta?["name"] ?? "";
        if (checkName)
        {
            errors.AddRange(Names.ObjectName(rt.Names, name).Select(e => FieldError.Invalid("metadata.name", name, e)));
            if (rt.Group == "apiextensions.k8s.io" && rt.Kind == "CustomResourceDefinition"
                && $"{obj["spec"]?["names"]?["plural"]}.{obj["spec"]?["group"]}" != name)
            {
                errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
            }
        }
        errors.AddRange(Labels(meta?["labels"], "metadata.labels"));
        if (meta?["annotations"] is JsonObject annotations)
        {
            errors.AddRange(Names.Annotations(annotations.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value?.ToString())), "metadata.annotations"));
        }
        return errors;
    }

    private static IEnumerable<FieldError> Labels(JsonNode? labels, string field) =>
        labels is JsonObject o ? Names.Labels(o.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value?.ToString())), field) : [];

    private static List<FieldError> Spec(ResourceType rt, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var spec = obj["spec"] as JsonObject;
        switch (rt.Group, rt.Kind)
        {
            case ("", "Pod"):
                errors.AddRange(PodSpec(spec, "spec", ["Always", "OnFailure", "Never"]));
                break;
            case ("batch", "Job"):
                errors.AddRange(Template(spec, "spec.template", ["OnFailure", "Never"]));
                if (spec?["selector"] is JsonObject jobSelector && spec["manualSelector"] is not null)
                {
                    errors.AddRange(SelectorMatches(jobSelector, spec["template"]?["metadata"]?["labels"] as JsonObject));
                }
                break;
            case ("apps", "Deployment" or "ReplicaSet"):
                if (spec?["selector"] is not JsonObject selector)
                {
                    errors.Add(FieldError.Required("spec.selector", ""));
                }
                else
                {
                    errors.AddRange(SelectorMatches(selector, spec["template"]?["metadata"]?["labels"] as JsonObject));
                }
                errors.AddRange(Template(spec, "spec.template", ["Always"]));
                break;
        }
        return errors;
    }

    private static IEnumerable<FieldError> Template(JsonObject? spec, string field, string[] restartPolicies)
    {
        if (spec?["template"] is not JsonObject template)
        {
            return [FieldError.Required(field, "")];
        }
        return Labels(template["metadata"]?["labels"], field + ".metadata.labels")
            .Concat(PodSpec(template["spec"] as JsonObject, field + ".spec", restartPolicies));
    }

    private static IEnumerable<FieldError> PodSpec(JsonObject? spec, string field, string[] restartPolicies)
    {
        if (spec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            yield return FieldError.Required(field + ".containers", "");
            yield break;
        }
        var names = new HashSet<string>();
        for (var i = 0; i < containers.Count; i++)
        {
            var at = $"{field}.containers[{i}]";
            var name = (string?)containers[i]?["name"] ?? "";
            if (name.Length == 0)
            {
                yield return FieldError.Required(at + ".name", "");
            }
            else
            {
                foreach (var e in Names.Dns1123Label(name))
                {
                    yield return FieldError.Invalid(at + ".name", name, e);
                }
                if (!names.Add(name))
                {
                    yield return new FieldError(at + ".name", "FieldValueDuplicate", $"Duplicate value: \"{name}\"");
                }
            }
            if (string.IsNullOrEmpty((string?)containers[i]?["image"]))
            {
                yield return FieldError.Required(at + ".image", "");
            }
        }
        // the pod's default restart policy is Always (a Job must say OnFailure or Never)
        var policy = (string?)spec["restartPolicy"] ?? "Always";
        if (!restartPolicies.Contains(policy))
        {
            var supported = string.Join(", ", restartPolicies.Select(p => $"\"{p}\""));
            yield return spec["restartPolicy"] is null
                ? FieldError.Required(field + ".restartPolicy", $"valid values: {supported}")
                : new FieldError(field + ".restartPolicy", "FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: {supported}");
        }
    }

    private static IEnumerable<FieldError> SelectorMatches(JsonObject selector, JsonObject? templateLabels)
    {
        var labels = templateLabels?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString()) ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject;
        var matches = matchLabels?.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value?.ToString()) ?? true;
        if (matchLabels is null or { Count: 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 })
        {
            yield return FieldError.Invalid("spec.selector", selector, "empty selector is invalid for deployment");
        }
        else if (!matches)
        {
            yield return FieldError.Invalid("spec.template.metadata.labels", templateLabels, "`selector` does not match template `labels`");
        }
    }

    /// <summary>Fields set once: a Job's selector, template and completions; a Deployment's or ReplicaSet's selector; a CRD's group and scope.</summary>
    public static List<FieldError> Immutability(ResourceType rt, JsonObject old, JsonObject updated)
    {
        string[] fields = (rt.Group, rt.Kind) switch
        {
            ("batch", "Job") => ["selector", "template", "completions", "completionMode", "podFailurePolicy", "successPolicy", "manualSelector", "backoffLimitPerIndex"],
            ("apps", "Deployment" or "ReplicaSet") => ["selector"],
            ("apiextensions.k8s.io", "CustomResourceDefinition") => ["group", "scope"],
            _ => [],
        };
        var errors = new List<FieldError>();
        foreach (var field in fields)
        {
            var before = old["spec"]?[field];
            var after = updated["spec"]?[field];
            if (!JsonNode.DeepEquals(before, after))
            {
                errors.Add(FieldError.Immutable($"spec.{field}", after));
            }
        }
        return errors;
    }
}
