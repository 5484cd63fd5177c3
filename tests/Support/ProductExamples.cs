namespace StreamSpace.Tests.Support;

/// <summary>Documents copied unchanged from the product README (shared/product/README.md): interfaces we must keep.</summary>
public static class ProductExamples
{
    /// <summary>The README's per-user limits example (a <c>User</c> document).</summary>
    public const string User = """
        apiVersion: stream.space/v1alpha1
        kind: User
        metadata:
          name: john
        spec:
          tier: pro
          quotas:
            memory: 16Gi
            maxSessions: 5
            storage: 100Gi
            maxSessionDuration: 8h

        """;

    /// <summary>The README's "Custom Templates" example.</summary>
    public const string Template = """
        apiVersion: stream.space/v1alpha1
        kind: Template
        metadata:
          name: my-app
        spec:
          displayName: My Custom App
          category: Custom
          image: myregistry/myapp:latest
          defaultResources:
            memory: 4Gi
            cpu: 2000m
          ports:
            - name: vnc
              containerPort: 3000

        """;

    /// <summary>The README's "Quick Demo" Session, as applied with kubectl.</summary>
    public const string Session = """
        apiVersion: stream.space/v1alpha1
        kind: Session
        metadata:
          name: my-firefox
        spec:
          user: john
          template: firefox-browser
          resources:
            memory: 2Gi

        """;
}
