using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Resolves <c>#r</c> so that a notebook and the runner share one copy of an assembly. A <c>#r "…/SpecLora.dll"</c>
/// (or any DLL whose simple name is one the runner itself ships, e.g. SkiaSharp) binds to the assembly already in the
/// default load context: it is compiled against that file and registered with the script loader, so the notebook's
/// <c>SpecLora.Notebook.AudioView</c> is the runner's type (formatters and statics are shared). Other references go to
/// the wrapped resolver (relative to the notebook's folder).
/// </summary>
internal sealed class SharedAssemblyResolver : MetadataReferenceResolver
{
    private readonly MetadataReferenceResolver _inner;
    private readonly InteractiveAssemblyLoader _loader;
    private readonly HashSet<string> _appAssemblies;

    /// <summary>Notes for the console (e.g. a <c>#r</c> file that does not exist but was bound to the runner's copy).</summary>
    public List<string> Notes { get; } = [];

    internal SharedAssemblyResolver(MetadataReferenceResolver inner, InteractiveAssemblyLoader loader)
    {
        _inner = inner;
        _loader = loader;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        _appAssemblies = new HashSet<string>(tpa.Select(p => Path.GetFileNameWithoutExtension(p)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The runner's copy of an assembly with this simple name, loading it into the default context if the
    /// runner ships it; null otherwise.</summary>
    internal Assembly? Shared(string simpleName)
    {
        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => !a.IsDynamic && string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));
        if (loaded is null && _appAssemblies.Contains(simpleName))
        {
            try { loaded = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(simpleName)); }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException) { loaded = null; }
        }
        return loaded is { Location.Length: > 0 } ? loaded : null;
    }

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && Shared(Path.GetFileNameWithoutExtension(reference)) is { } shared)
        {
            var resolved = _inner.ResolveReference(reference, baseFilePath, properties);
            if (resolved.IsDefaultOrEmpty) Notes.Add($"#r \"{reference}\": file not found; using the runner's {shared.GetName().Name} {shared.GetName().Version} instead");
            _loader.RegisterDependency(shared);
            return [MetadataReference.CreateFromFile(shared.Location, properties)];
        }
        return _inner.ResolveReference(reference, baseFilePath, properties);
    }

    public override bool ResolveMissingAssemblies => true;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        if (Shared(referenceIdentity.Name) is { } shared)
        {
            _loader.RegisterDependency(shared);
            return MetadataReference.CreateFromFile(shared.Location);
        }
        return _inner.ResolveMissingAssembly(definition, referenceIdentity);
    }

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
