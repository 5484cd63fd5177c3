namespace StreamSpace.Tests.Support;

/// <summary>Documents copied unchanged from the product README (shared/product/README.md): interfaces we must keep.</summary>
public static class ProductExamples
{
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
}
