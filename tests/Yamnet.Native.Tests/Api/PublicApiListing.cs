using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Yamnet.Native.Tests.Api;

/// <summary>
/// Renders an assembly's public surface (types and their public/protected members) as sorted,
/// C#-like lines, one per member, so two versions can be diffed line by line. Written for
/// docs/API.md: stable across builds (ordinal sort, no metadata tokens, no attributes but
/// <c>this</c>/<c>params</c>), readable rather than compilable.
/// </summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Describe(Assembly assembly)
    {
        var types = assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        foreach (var group in types.GroupBy(t => t.Namespace ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append("namespace ").Append(group.Key).Append('\n');
            foreach (var type in group)
            {
                sb.Append("  ").Append(TypeHeader(type)).Append('\n');
                foreach (string member in Members(type).Order(StringComparer.Ordinal))
                    sb.Append("    ").Append(member).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string TypeHeader(Type t)
    {
        string kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : typeof(Delegate).IsAssignableFrom(t) ? "delegate"
            : t.IsValueType ? (t.GetCustomAttribute<IsReadOnlyAttribute>() is not null ? "readonly struct" : "struct")
            : t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";
        // Records: a class with the compiler's clone method, a struct with its PrintMembers.
        if (t.GetMethod("<Clone>$") is not null) kind = kind.Replace("class", "record", StringComparison.Ordinal);
        else if (t.IsValueType && t.GetMethod("PrintMembers", Declared) is not null) kind = kind.Replace("struct", "record struct", StringComparison.Ordinal);
        var bases = new List<string>();
        if (t.IsEnum) bases.Add(Name(Enum.GetUnderlyingType(t)));
        else if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(MulticastDelegate)) bases.Add(Name(b));
        if (!t.IsEnum && !typeof(Delegate).IsAssignableFrom(t))
        {
            var inherited = t.BaseType?.GetInterfaces() ?? [];
            bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic && !inherited.Contains(i)).Select(Name).Order(StringComparer.Ordinal));
        }
        string header = $"public {kind} {Name(t)}";
        if (typeof(Delegate).IsAssignableFrom(t) && t.GetMethod("Invoke") is { } invoke)
            header = $"public delegate {Name(invoke.ReturnType)} {Name(t)}({Parameters(invoke)})";
        return bases.Count > 0 && !header.Contains(" delegate ") ? header + " : " + string.Join(", ", bases) : header;
    }

    private static bool Visible(MethodBase? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

    private static string Access(MethodBase m) => m.IsPublic ? "" : "protected ";

    private static IEnumerable<string> Members(Type t)
    {
        if (typeof(Delegate).IsAssignableFrom(t)) yield break;
        if (t.IsEnum)
        {
            foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return $"{f.Name} = {Convert.ToString(Convert.ChangeType(f.GetRawConstantValue(), Enum.GetUnderlyingType(t), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}";
            yield break;
        }
        foreach (var c in t.GetConstructors(Declared).Where(Visible))
            yield return $"{Access(c)}{Name(t)}({Parameters(c)})";
        foreach (var m in t.GetMethods(Declared).Where(Visible))
        {
            if (m.IsSpecialName && !m.Name.StartsWith("op_", StringComparison.Ordinal)) continue;   // accessors
            if (m.Name.Contains('<', StringComparison.Ordinal)) continue;                              // <Clone>$ and friends
            yield return $"{Access(m)}{Modifiers(m)}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m)})";
        }
        foreach (var p in t.GetProperties(Declared))
        {
            var get = p.GetMethod is { } g && Visible(g) ? g : null;
            var set = p.SetMethod is { } s && Visible(s) ? s : null;
            if (get is null && set is null) continue;
            var any = (MethodBase)(get ?? set)!;
            bool init = set?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) == true;
            string indexer = p.GetIndexParameters() is { Length: > 0 } ip ? "this[" + string.Join(", ", ip.Select(x => $"{Name(x.ParameterType)} {x.Name}")) + "]" : p.Name;
            yield return $"{Access(any)}{Modifiers((MethodInfo)any)}{Name(p.PropertyType)} {indexer} {{ {(get is not null ? "get; " : "")}{(set is not null ? (init ? "init; " : "set; ") : "")}}}";
        }
        foreach (var f in t.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            string mod = f.IsLiteral ? "const " : f.IsStatic ? (f.IsInitOnly ? "static readonly " : "static ") : f.IsInitOnly ? "readonly " : "";
            string value = f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "";
            yield return $"{(f.IsPublic ? "" : "protected ")}{mod}{Name(f.FieldType)} {f.Name}{value}";
        }
        foreach (var e in t.GetEvents(Declared).Where(e => Visible(e.AddMethod)))
            yield return $"{Access(e.AddMethod!)}{Modifiers(e.AddMethod!)}event {Name(e.EventHandlerType!)} {e.Name}";
        foreach (var n in t.GetNestedTypes(BindingFlags.Public))
            yield return "nested " + TypeHeader(n)["public ".Length..];
    }

    private static string Modifiers(MethodInfo m)
    {
        if (m.IsStatic) return "static ";
        if (m.DeclaringType!.IsInterface) return "";
        if (m.IsAbstract) return "abstract ";
        if (m.IsVirtual && !m.IsFinal) return m.GetBaseDefinition() != m ? "override " : "virtual ";
        if (m.IsVirtual && m.GetBaseDefinition() != m) return "override ";   // sealed override
        return "";
    }

    private static string Generic(MethodInfo m) => m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m)
    {
        bool extension = m.IsDefined(typeof(ExtensionAttribute), false);
        return string.Join(", ", m.GetParameters().Select((p, i) =>
        {
            string mod = p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : "";
            if (i == 0 && extension) mod = "this " + mod;
            if (p.IsDefined(typeof(ParamArrayAttribute), false)) mod = "params " + mod;
            var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            string def = p.HasDefaultValue ? " = " + (p.RawDefaultValue is null ? (type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null") : Literal(p.RawDefaultValue, type)) : "";
            return $"{mod}{Name(type)} {p.Name}{def}";
        }));
    }

    private static string Literal(object? value, Type? type = null) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        _ when type is { IsEnum: true } => $"{Name(type)}.{Enum.GetName(type, value) ?? Convert.ToString(value, CultureInfo.InvariantCulture)}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char", [typeof(string)] = "string",
        [typeof(object)] = "object", [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    /// <summary>A type as C# spells it, without namespaces (the listing is grouped by namespace; names are unique enough to read).</summary>
    private static string Name(Type t)
    {
        if (s_keywords.TryGetValue(t, out var k)) return k;
        if (t.IsByRef) return Name(t.GetElementType()!) + "&";
        if (t.IsPointer) return Name(t.GetElementType()!) + "*";
        if (t.IsArray) return Name(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericParameter) return t.Name;
        if (Nullable.GetUnderlyingType(t) is { } u) return Name(u) + "?";
        string prefix = t.IsNested && !t.IsGenericParameter ? Name(t.DeclaringType!) + "." : "";
        if (!t.IsGenericType) return prefix + t.Name;
        string bare = t.Name[..(t.Name.IndexOf('`') is var i and >= 0 ? i : t.Name.Length)];
        var args = t.GetGenericArguments();
        if (t.IsNested) args = args[t.DeclaringType!.GetGenericArguments().Length..];
        if (t.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true) return "(" + string.Join(", ", args.Select(Name)) + ")";
        return prefix + bare + (args.Length > 0 ? "<" + string.Join(", ", args.Select(Name)) + ">" : "");
    }
}
