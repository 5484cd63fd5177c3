using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>
/// An in-process Kubernetes API server, good enough for the real KubernetesClient: one store with a resourceVersion counter,
/// create (409 AlreadyExists), replace with optimistic concurrency (409 Conflict), server-side apply, merge patch, the
/// status and scale subresources, label selectors, deletes with owner-reference garbage collection, and watches with
/// bookmarks that answer 410 Gone for versions older than the last <see cref="Compact"/>. A tiny Deployment controller keeps
/// one Pending pod per replica; tests decide when a pod is ready, as a kubelet would. A client made by <see cref="ClientAs"/>
/// is a service account held to RBAC as the API server holds it (ClusterRoleBindings everywhere, RoleBindings in their
/// namespace, <c>bind</c> to write a RoleBinding); <see cref="Client"/> is the cluster admin that plays kubectl in tests.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["pods"] = "Pod", ["services"] = "Service", ["secrets"] = "Secret", ["persistentvolumeclaims"] = "PersistentVolumeClaim",
        ["namespaces"] = "Namespace", ["resourcequotas"] = "ResourceQuota", ["limitranges"] = "LimitRange",
        ["serviceaccounts"] = "ServiceAccount", ["events"] = "Event", ["deployments"] = "Deployment",
        ["networkpolicies"] = "NetworkPolicy", ["rolebindings"] = "RoleBinding", ["leases"] = "Lease",
        ["sessions"] = "Session", ["templates"] = "Template", ["users"] = "User",
        ["nodes"] = "Node", ["clusterroles"] = "ClusterRole", ["clusterrolebindings"] = "ClusterRoleBinding", ["roles"] = "Role",
    };

    private const string TokenPrefix = "serviceaccount:";

    // Rendered once per test run: the chart through ops/helm/render, its RBAC documents as JSON.
    private static readonly Lazy<Task<List<(string, string?, JsonObject)>>> ChartRbac = new(RenderChartRbacAsync);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<(long Version, string Type, string Resource, string Namespace, JsonObject Object)> _history = [];
    private readonly List<Channel<(long, string, string, string, JsonObject)>> _watchers = [];
    private readonly Queue<(string Resource, HttpStatusCode Status, string Reason)> _failures = new();
    private readonly List<string> _requests = [];
    private readonly List<string> _denied = [];
    private readonly WebApplication _app;
    private long _version = 100;
    private long _compactedBefore;
    private CancellationTokenSource _watchesOpen = new();

    private FakeKubernetesApi(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    /// <summary>How often open watches that asked for bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeKubernetesApi(app);
        app.Map("/{**path}", api.HandleAsync);
        await app.StartAsync();
        api.Uri = new Uri(app.Urls.First());
        return api;
    }

    /// <summary>The real KubernetesClient, pointed at this server.</summary>
    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Uri.ToString() });

    /// <summary>The real KubernetesClient authenticated as a service account, held to the RBAC objects in this server.</summary>
    public IKubernetes ClientAs(string serviceAccountNamespace, string serviceAccount) => new k8s.Kubernetes(new KubernetesClientConfiguration
    {
        Host = Uri.ToString(),
        AccessToken = $"{TokenPrefix}{serviceAccountNamespace}:{serviceAccount}",
    });

    /// <summary>Every request RBAC refused, as <c>user: VERB path</c>.</summary>
    public IReadOnlyList<string> Denied
    {
        get
        {
            lock (_gate)
            {
                return [.. _denied];
            }
        }
    }

    /// <summary>The Helm chart's ClusterRoles, Roles and their bindings (release <c>streamspace</c> in namespace <c>streamspace</c>), as installed.</summary>
    public async Task InstallChartRbacAsync() => Install(await ChartRbac.Value);

    /// <summary>Stores RBAC objects (ClusterRoles, ClusterRoleBindings, Roles, RoleBindings) as an admin applying them would.</summary>
    public void Install(IEnumerable<(string Resource, string? Namespace, JsonObject Body)> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var (resource, ns, body) in objects)
        {
            Create(resource, ns, body);
        }
    }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Every request as <c>VERB path</c>, for asserting which calls the code made.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public JsonObject? Get(string resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((resource, ns ?? string.Empty, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> List(string resource, string? ns, string? labelSelector = null)
    {
        lock (_gate)
        {
            return [.. _objects.Where(o => o.Key.Resource == resource && (ns is null || o.Key.Namespace == ns)
                    && LabelSelector.Matches(labelSelector, o.Value["metadata"]?["labels"]))
                .Select(o => (JsonObject)o.Value.DeepClone())];
        }
    }

    /// <summary>Changes a stored object as a controller or kubelet would (a status, a label), bumping its resourceVersion.</summary>
    public void Update(string resource, string? ns, string name, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var key = (resource, ns ?? string.Empty, name);
            var current = _objects[key];
            change(current);
            Store(key, current, "MODIFIED");
        }
    }

    /// <summary>Stores an object as if created by someone else (kubectl apply); returns it with metadata filled in.</summary>
    public JsonObject Create(string resource, string? ns, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        lock (_gate)
        {
            var name = body["metadata"]!["name"]!.GetValue<string>();
            var created = Created(body, ns);
            Store((resource, ns ?? string.Empty, name), created, "ADDED");
            return (JsonObject)created.DeepClone();
        }
    }

    public void Delete(string resource, string? ns, string name)
    {
        lock (_gate)
        {
            Remove((resource, ns ?? string.Empty, name));
        }
    }

    /// <summary>The kubelet's part: the session pod is scheduled, its image pulled, its container running and ready.</summary>
    public void MarkPodsReady(string ns, string labelSelector)
    {
        foreach (var pod in List("pods", ns, labelSelector))
        {
            Update("pods", ns, pod["metadata"]!["name"]!.GetValue<string>(), p =>
            {
                p["spec"]!["nodeName"] = "node-1";
                p["status"] = JsonNode.Parse("""
                    {"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}],
                     "containerStatuses":[{"name":"session","ready":true,"restartCount":0,"image":"x","imageID":"x","state":{"running":{}}}]}
                    """);
            });
        }
    }

    public void SetPodStatus(string ns, string labelSelector, string statusJson)
    {
        foreach (var pod in List("pods", ns, labelSelector))
        {
            Update("pods", ns, pod["metadata"]!["name"]!.GetValue<string>(), p => p["status"] = JsonNode.Parse(statusJson));
        }
    }

    /// <summary>The next write to <paramref name="resource"/> is refused with this status (a 409 Conflict from a concurrent writer).</summary>
    public void FailNextWrite(string resource, HttpStatusCode status = HttpStatusCode.Conflict, string reason = "Conflict")
    {
        lock (_gate)
        {
            _failures.Enqueue((resource, status, reason));
        }
    }

    /// <summary>Forgets the history: a watch from an older resourceVersion now gets 410 Gone, as after etcd compaction.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedBefore = _version + 1;
            _history.Clear();
        }
    }

    /// <summary>Ends every open watch, as an API server restart or a load balancer timeout does.</summary>
    public void DropWatches()
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            previous = _watchesOpen;
            _watchesOpen = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.Path.Value!.TrimEnd('/') == "/version")
        {
            await http.Response.WriteAsJsonAsync(new { major = "1", minor = "33", gitVersion = "v1.33.0-fake" }, http.RequestAborted);
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/');
        lock (_gate)
        {
            _requests.Add($"{request.Method} {request.Path}{request.QueryString}");
        }

        // /api/v1/... or /apis/{group}/{version}/...
        var rest = segments[0] == "api" ? segments[2..] : segments[3..];
        var apiVersion = segments[0] == "api" ? "v1" : $"{segments[1]}/{segments[2]}";
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var body = request.ContentLength > 0 || request.Method is "POST" or "PUT" or "PATCH"
            ? await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(http.RequestAborted)
            : null;

        var user = request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer " + TokenPrefix, StringComparison.Ordinal)
            ? "system:serviceaccount:" + header[("Bearer " + TokenPrefix).Length..]
            : null;
        var group = segments[0] == "api" ? string.Empty : segments[1];
        var watch = request.Method == "GET" && name is null && request.Query["watch"] is ["true" or "1"];
        (int Status, JsonNode Body)? refused;
        lock (_gate)
        {
            refused = user is null ? null : Authorize(user, request, watch, group, resource, ns, name, subresource, body);
        }

        if (watch && refused is null)
        {
            await WatchAsync(http, resource, ns, apiVersion);
            return;
        }

        (int Status, JsonNode Body) answer;
        lock (_gate)
        {
            try
            {
                answer = refused ?? (request.Method != "GET" && _failures.TryPeek(out var failure) && failure.Resource == resource
                    ? Fail(_failures.Dequeue())
                    : Answer(request, resource, ns, name, subresource, body, apiVersion));
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or KeyNotFoundException or NullReferenceException or FormatException)
            {
                // A request this fake does not understand: say so in the answer, where the failing test shows it.
                answer = Status(500, "InternalError", e.ToString());
            }
        }

        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer.Body.ToJsonString(), http.RequestAborted);
    }

    /// <summary>The API server's RBAC authorizer for one request, and the escalation check on RoleBindings; null when allowed.</summary>
    private (int, JsonNode)? Authorize(string user, HttpRequest request, bool watch, string group, string resource, string? ns, string? name, string? subresource, string? body)
    {
        var verb = request.Method switch
        {
            "GET" when name is not null => "get",
            "GET" => watch ? "watch" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };

        // A Namespace object's own namespace is itself, so a RoleBinding inside it can grant rights on it.
        var scope = resource == "namespaces" ? name : ns;
        var full = subresource is null ? resource : $"{resource}/{subresource}";
        var createdByPatch = verb == "patch" && (request.ContentType ?? string.Empty).StartsWith("application/apply-patch", StringComparison.Ordinal)
            && !_objects.ContainsKey((resource, ns ?? string.Empty, name ?? string.Empty));
        foreach (var needed in createdByPatch ? new[] { verb, "create" } : [verb])
        {
            if (!Allows(user, needed, group, full, scope, needed == "create" ? null : name))
            {
                return Refuse(user, request, $"{full} \"{name}\" is forbidden: User \"{user}\" cannot {needed} resource \"{full}\" in API group \"{group}\"{(scope is null ? " at the cluster scope" : $" in the namespace \"{scope}\"")}");
            }
        }

        if (resource is "rolebindings" or "clusterrolebindings" && verb is "create" or "update" or "patch" && body is not null)
        {
            // Stricter than the real server, which also admits a binder holding every right of the role: here only `bind` does.
            var roleRef = JsonNode.Parse(body)?["roleRef"]
                ?? (_objects.TryGetValue((resource, ns ?? string.Empty, name ?? string.Empty), out var existing) ? existing["roleRef"] : null);
            var kind = roleRef?["kind"]?.GetValue<string>() == "Role" ? "roles" : "clusterroles";
            var role = roleRef?["name"]?.GetValue<string>();
            if (!Allows(user, "bind", "rbac.authorization.k8s.io", kind, ns, role))
            {
                return Refuse(user, request, $"{resource} \"{name}\" is forbidden: user \"{user}\" is attempting to grant RBAC permissions not currently held (no bind on {kind} \"{role}\"{(ns is null ? string.Empty : $" in namespace \"{ns}\"")})");
            }
        }

        return null;
    }

    private (int, JsonNode) Refuse(string user, HttpRequest request, string message)
    {
        _denied.Add($"{user}: {request.Method} {request.Path}{request.QueryString}");
        return Status(403, "Forbidden", message);
    }

    private bool Allows(string user, string verb, string group, string resource, string? ns, string? name)
    {
        foreach (var (key, binding) in _objects.Where(o => o.Key.Resource is "clusterrolebindings" or "rolebindings"))
        {
            var namespaced = key.Resource == "rolebindings";
            if ((namespaced && key.Namespace != ns) || !Binds(binding, user))
            {
                continue;
            }

            var roleRef = binding["roleRef"]!;
            var roleKey = roleRef["kind"]!.GetValue<string>() == "Role"
                ? ("roles", key.Namespace, roleRef["name"]!.GetValue<string>())
                : ("clusterroles", string.Empty, roleRef["name"]!.GetValue<string>());
            if (_objects.TryGetValue(roleKey, out var role) && role["rules"] is JsonArray rules && rules.Any(rule => Matches(rule!, verb, group, resource, name)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Binds(JsonObject binding, string user) =>
        binding["subjects"] is JsonArray subjects && subjects.Any(subject => subject!["kind"]?.GetValue<string>() switch
        {
            "ServiceAccount" => $"system:serviceaccount:{subject["namespace"]?.GetValue<string>()}:{subject["name"]?.GetValue<string>()}" == user,
            "User" => subject["name"]?.GetValue<string>() == user,
            _ => false,
        });

    private static bool Matches(JsonNode rule, string verb, string group, string resource, string? name)
    {
        static bool Has(JsonNode? list, string value) => list is JsonArray items && items.Any(i => i?.GetValue<string>() is { } item && (item == "*" || item == value));
        var names = rule["resourceNames"] as JsonArray;
        return Has(rule["verbs"], verb) && Has(rule["apiGroups"], group) && Has(rule["resources"], resource)
            && (names is null || names.Count == 0 || (name is not null && Has(names, name)));
    }

    private static async Task<List<(string, string?, JsonObject)>> RenderChartRbacAsync()
    {
        var (succeeded, documents, error) = await Deployment.HelmChart.RenderAsync(Deployment.HelmChart.Example("minimal-values.yaml"));
        if (!succeeded)
        {
            throw new InvalidOperationException($"The chart did not render: {error}");
        }

        var resources = new Dictionary<Type, (string Resource, bool Namespaced)>
        {
            [typeof(k8s.Models.V1ClusterRole)] = ("clusterroles", false),
            [typeof(k8s.Models.V1ClusterRoleBinding)] = ("clusterrolebindings", false),
            [typeof(k8s.Models.V1Role)] = ("roles", true),
            [typeof(k8s.Models.V1RoleBinding)] = ("rolebindings", true),
        };
        var rbac = new List<(string, string?, JsonObject)>();
        foreach (var document in documents.Where(d => d.Contains("apiVersion: rbac.authorization.k8s.io/", StringComparison.Ordinal)))
        {
            var loaded = KubernetesYaml.LoadAllFromString(document, strict: true).Single();
            var (resource, namespaced) = resources[loaded.GetType()];
            rbac.Add((resource, namespaced ? "streamspace" : null, JsonNode.Parse(KubernetesJson.Serialize(loaded))!.AsObject()));
        }

        return rbac;
    }

    private static (int, JsonNode) Fail((string Resource, HttpStatusCode Status, string Reason) failure) =>
        Status((int)failure.Status, failure.Reason, $"Operation cannot be fulfilled on {failure.Resource}: the object has been modified; please apply your changes to the latest version and try again");

    private (int, JsonNode) Answer(HttpRequest request, string resource, string? ns, string? name, string? subresource, string? body, string apiVersion)
    {
        var key = (resource, ns ?? string.Empty, name ?? string.Empty);
        _objects.TryGetValue(key, out var current);
        switch (request.Method)
        {
            case "GET" when name is null:
                var selector = request.Query["labelSelector"].ToString();
                var fieldName = request.Query["fieldSelector"].ToString() is { Length: > 0 } field && field.StartsWith("metadata.name=", StringComparison.Ordinal)
                    ? field["metadata.name=".Length..] : null;
                var items = new JsonArray([.. _objects
                    .Where(o => o.Key.Resource == resource && (ns is null || o.Key.Namespace == ns) && (fieldName is null || o.Key.Name == fieldName)
                        && LabelSelector.Matches(selector, o.Value["metadata"]?["labels"]))
                    .OrderBy(o => o.Key.Name, StringComparer.Ordinal)
                    .Select(o => o.Value.DeepClone())]);
                return (200, new JsonObject
                {
                    ["apiVersion"] = apiVersion,
                    ["kind"] = Kinds[resource] + "List",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["items"] = items,
                });
            case "GET" when current is null:
                return NotFound(resource, name!);
            case "GET" when subresource == "scale":
                return (200, Scale(current));
            case "GET":
                return (200, current.DeepClone());
            case "POST":
                var posted = JsonNode.Parse(body!)!.AsObject();
                var postedName = posted["metadata"]!["name"]!.GetValue<string>();
                if (_objects.ContainsKey((resource, ns ?? string.Empty, postedName)))
                {
                    return Status(409, "AlreadyExists", $"{resource} \"{postedName}\" already exists");
                }

                var created = Created(posted, ns);
                Store((resource, ns ?? string.Empty, postedName), created, "ADDED");
                return (201, created.DeepClone());
            case "PUT" when current is null:
                return NotFound(resource, name!);
            case "PUT":
                var replacement = JsonNode.Parse(body!)!.AsObject();
                if (replacement["metadata"]?["resourceVersion"]?.GetValue<string>() is { } expected && expected != Version(current))
                {
                    return Status(409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified");
                }

                var replaced = subresource == "status" ? WithStatus(current, replacement["status"]) : Replaced(current, replacement);
                Store(key, replaced, "MODIFIED");
                return (200, replaced.DeepClone());
            case "PATCH":
                return Patch(request.ContentType ?? string.Empty, key, current, subresource, JsonNode.Parse(body!)!.AsObject(), ns);
            case "DELETE" when current is null:
                return NotFound(resource, name!);
            case "DELETE":
                Remove(key);
                return (200, current.DeepClone());
            default:
                return Status(405, "MethodNotAllowed", request.Method);
        }
    }

    private (int, JsonNode) Patch(string contentType, (string Resource, string Namespace, string Name) key, JsonObject? current, string? subresource, JsonObject patch, string? ns)
    {
        var apply = contentType.StartsWith("application/apply-patch", StringComparison.Ordinal);
        if (!apply && !contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal)
            && !contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
        {
            return Status(415, "UnsupportedMediaType", contentType);
        }

        if (current is null)
        {
            if (!apply || subresource is not null)
            {
                return NotFound(key.Resource, key.Name);
            }

            var created = Created(patch, ns);
            Store(key, created, "ADDED");
            return (201, created.DeepClone());
        }

        if (subresource == "scale")
        {
            var replicas = patch["spec"]?["replicas"]?.GetValue<int>() ?? throw new InvalidOperationException("A scale patch sets spec.replicas.");
            var scaled = (JsonObject)current.DeepClone();
            scaled["spec"]!["replicas"] = replicas;
            Bump(scaled, specChanged: true);
            Store(key, scaled, "MODIFIED");
            return (200, Scale(scaled));
        }

        var merged = (JsonObject)current.DeepClone();
        if (subresource == "status")
        {
            merged["status"] = MergePatch(merged["status"]?.DeepClone(), patch["status"]);
        }
        else
        {
            var status = merged["status"]?.DeepClone();
            merged = MergePatch(merged, patch)!.AsObject();

            // The main resource never changes status; that is what the status subresource is for.
            merged["status"] = status;
            merged["metadata"]!["uid"] = current["metadata"]!["uid"]!.DeepClone();
        }

        Bump(merged, specChanged: subresource is null && !JsonNode.DeepEquals(merged["spec"], current["spec"]));
        Store(key, merged, "MODIFIED");
        return (200, merged.DeepClone());
    }

    /// <summary>RFC 7386: objects merge, null removes, anything else replaces.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name]?.DeepClone(), value);
            }
        }

        return result;
    }

    private async Task WatchAsync(HttpContext http, string resource, string? ns, string apiVersion)
    {
        var query = http.Request.Query;
        var selector = query["labelSelector"].ToString();
        var bookmarks = query["allowWatchBookmarks"] is ["true"];
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        var from = long.TryParse(query["resourceVersion"], out var version) ? version : 0;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var channel = Channel.CreateUnbounded<(long, string, string, string, JsonObject)>();
        List<(long Version, string Type, string Resource, string Namespace, JsonObject Object)> backlog;
        CancellationToken open;
        lock (_gate)
        {
            open = _watchesOpen.Token;
            if (from > 0 && from < _compactedBefore - 1)
            {
                backlog = [];
                channel = null;
            }
            else
            {
                backlog = from > 0
                    ? [.. _history.Where(h => h.Version > from)]
                    : [.. _objects.Where(o => o.Key.Resource == resource).Select(o => (Version(o.Value) is var v ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 0, "ADDED", o.Key.Resource, o.Key.Namespace, (JsonObject)o.Value.DeepClone()))];
                _watchers.Add(channel);
            }
        }

        if (channel is null)
        {
            var gone = Status(410, "Expired", $"too old resource version: {from} ({_compactedBefore - 1})").Item2;
            await WriteEventAsync(http, "ERROR", gone.AsObject());
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, open);
        stop.CancelAfter(timeout);
        try
        {
            foreach (var item in backlog)
            {
                await SendAsync(item);
            }

            var nextBookmark = DateTime.UtcNow + BookmarkInterval;
            while (!stop.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                tick.CancelAfter(bookmarks ? Max(nextBookmark - DateTime.UtcNow, TimeSpan.FromMilliseconds(1)) : Timeout.InfiniteTimeSpan);
                try
                {
                    await SendAsync(await channel.Reader.ReadAsync(tick.Token));
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await WriteEventAsync(http, "BOOKMARK", new JsonObject
                    {
                        ["apiVersion"] = apiVersion,
                        ["kind"] = Kinds[resource],
                        ["metadata"] = new JsonObject { ["resourceVersion"] = ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    });
                    nextBookmark = DateTime.UtcNow + BookmarkInterval;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended: timeout, the client left, or DropWatches.
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }

        async Task SendAsync((long Version, string Type, string Resource, string Namespace, JsonObject Object) item)
        {
            if (item.Resource == resource && (ns is null || item.Namespace == ns) && LabelSelector.Matches(selector, item.Object["metadata"]?["labels"]))
            {
                await WriteEventAsync(http, item.Type, item.Object);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task WriteEventAsync(HttpContext http, string type, JsonObject value)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = value.DeepClone() }.ToJsonString() + "\n";
        await http.Response.WriteAsync(line, http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static JsonObject Created(JsonObject body, string? ns)
    {
        var created = (JsonObject)body.DeepClone();
        var metadata = created["metadata"]!.AsObject();
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        metadata["generation"] = 1L;
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return created;
    }

    private static JsonObject Replaced(JsonObject current, JsonObject replacement)
    {
        var replaced = (JsonObject)replacement.DeepClone();
        replaced["status"] = current["status"]?.DeepClone();
        var metadata = replaced["metadata"]!.AsObject();
        metadata["uid"] = current["metadata"]!["uid"]!.DeepClone();
        metadata["creationTimestamp"] = current["metadata"]!["creationTimestamp"]?.DeepClone();
        metadata["generation"] = current["metadata"]!["generation"]?.DeepClone();
        Bump(replaced, specChanged: !JsonNode.DeepEquals(replaced["spec"], current["spec"]));
        return replaced;
    }

    private static JsonObject WithStatus(JsonObject current, JsonNode? status)
    {
        var updated = (JsonObject)current.DeepClone();
        updated["status"] = status?.DeepClone();
        return updated;
    }

    private static void Bump(JsonObject value, bool specChanged)
    {
        if (specChanged)
        {
            var metadata = value["metadata"]!.AsObject();
            metadata["generation"] = (long.TryParse(metadata["generation"]?.ToJsonString(), out var generation) ? generation : 0) + 1;
        }
    }

    private static string Version(JsonObject value) => value["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";

    private void Store((string Resource, string Namespace, string Name) key, JsonObject value, string type)
    {
        _version++;
        value["metadata"]!["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[key] = value;
        Publish(type, key, value);
        if (key.Resource == "deployments")
        {
            ReconcileDeployment(key, value);
        }
    }

    private void Remove((string Resource, string Namespace, string Name) key)
    {
        if (!_objects.Remove(key, out var removed))
        {
            return;
        }

        _version++;
        removed["metadata"]!["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Publish("DELETED", key, removed);

        // Garbage collection: what the removed object owned goes with it (Background propagation).
        var uid = removed["metadata"]!["uid"]!.GetValue<string>();
        foreach (var owned in _objects.Where(o => o.Value["metadata"]?["ownerReferences"] is JsonArray owners
                     && owners.Any(r => r?["uid"]?.GetValue<string>() == uid)).Select(o => o.Key).ToList())
        {
            Remove(owned);
        }
    }

    private void Publish(string type, (string Resource, string Namespace, string Name) key, JsonObject value)
    {
        var item = (_version, type, key.Resource, key.Namespace, (JsonObject)value.DeepClone());
        _history.Add(item);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(item);
        }
    }

    /// <summary>One pod per replica, owned by the Deployment and labelled from its pod template; extra pods are removed.</summary>
    private void ReconcileDeployment((string Resource, string Namespace, string Name) key, JsonObject deployment)
    {
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var replicas = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var pods = _objects.Where(o => o.Key.Resource == "pods" && o.Key.Namespace == key.Namespace
                && o.Value["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(r => r?["uid"]?.GetValue<string>() == uid))
            .Select(o => o.Key).ToList();
        for (var i = pods.Count; i < replicas; i++)
        {
            var podName = $"{key.Name}-{Guid.NewGuid().ToString("N")[..5]}";
            var template = deployment["spec"]!["template"]!;
            var pod = Created(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = podName,
                    ["labels"] = template["metadata"]?["labels"]?.DeepClone(),
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = key.Name, ["uid"] = uid, ["controller"] = true,
                    }),
                },
                ["spec"] = template["spec"]?.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            }, key.Namespace);
            Store(("pods", key.Namespace, podName), pod, "ADDED");
        }

        foreach (var extra in pods.Skip(replicas))
        {
            Remove(extra);
        }
    }

    private static JsonObject Scale(JsonObject deployment) => new()
    {
        ["apiVersion"] = "autoscaling/v1",
        ["kind"] = "Scale",
        ["metadata"] = new JsonObject
        {
            ["name"] = deployment["metadata"]!["name"]!.DeepClone(),
            ["namespace"] = deployment["metadata"]!["namespace"]?.DeepClone(),
            ["resourceVersion"] = deployment["metadata"]!["resourceVersion"]!.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1 },
        ["status"] = new JsonObject { ["replicas"] = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1 },
    };

    private static (int, JsonNode) NotFound(string resource, string name) => Status(404, "NotFound", $"{resource} \"{name}\" not found");

    private static (int, JsonNode) Status(int code, string reason, string message) => (code, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Status",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });
}
