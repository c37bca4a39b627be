using System.Reflection;
using System.Xml.Linq;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Api;

/// <summary>
/// Every public member of the short API has its XML documentation in the library's doc file (the
/// library as a whole still builds with CS1591 off; these types are held to it here).
/// </summary>
public class DocumentationTests
{
    private static readonly Type[] ApiTypes =
    [
        typeof(Network), typeof(Network<>), typeof(Layer), typeof(Init), typeof(InitScheme), typeof(TrainingOptions), typeof(EngineOptions),
        typeof(Optimizer), typeof(Adam), typeof(Sgd), typeof(GradientDescent), typeof(Momentum),
        typeof(NetworkTraining), typeof(TrainingHistory<>), typeof(SymmetryReport),
        typeof(DataException), typeof(ModelMismatchException), typeof(TrainingDivergedException), typeof(FlagMessages),
        typeof(Diagnosis), typeof(DiagnosisContext), typeof(SettingWords), typeof(Perturbation), typeof(FlagSyntax),
    ];

    [Fact]
    public void EveryPublicMemberOfTheApiIsDocumented()
    {
        var xml = XDocument.Load(Path.ChangeExtension(typeof(Network).Assembly.Location, ".xml"));
        var documented = xml.Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();
        var missing = new List<string>();
        foreach (var type in ApiTypes)
        {
            if (!documented.Contains("T:" + Name(type))) missing.Add("T:" + Name(type));
            const BindingFlags publicMembers = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(publicMembers))
            {
                if (member is MethodInfo { IsSpecialName: true } and not { Name: "op_Implicit" }) continue; // property accessors
                if (member.DeclaringType != type || member.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))) continue;
                if (IsCompilerWritten(type, member)) continue;
                string? id = Id(member);
                if (id is not null && !documented.Contains(id) && !InheritsItsDoc(member)) missing.Add(id);
            }
        }
        Assert.True(missing.Count == 0, "undocumented: " + string.Join(", ", missing));
    }

    /// <summary>What the compiler writes (a record's Equals, Deconstruct and copy constructor, an implicit new()), documented by the language.</summary>
    private static bool IsCompilerWritten(Type type, MemberInfo member) =>
        type.GetMethod("<Clone>$") is not null && member.Name is "Equals" or "GetHashCode" or "Deconstruct" or "PrintMembers" or "EqualityContract" or "op_Equality" or "op_Inequality" or "<Clone>$"
        || member is ConstructorInfo c && c.GetParameters() is [var only] && only.ParameterType == type
        || member is ConstructorInfo { IsPublic: true } implicitNew && implicitNew.GetParameters().Length == 0; // new() of a record without a primary constructor

    /// <summary>An override documented by the member it overrides (ToString, the enumerator...).</summary>
    private static bool InheritsItsDoc(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetBaseDefinition() != m || m.Name is "ToString" or "GetEnumerator" || m.Name.Contains('.'),
        PropertyInfo p => (p.GetMethod?.GetBaseDefinition() is { } g && g != p.GetMethod) || p.Name.Contains('.'),
        _ => false,
    };

    private static string Name(Type t) => (t.IsGenericType ? t.GetGenericTypeDefinition() : t).FullName!.Replace('+', '.');

    private static string? Id(MemberInfo member) => member switch
    {
        PropertyInfo p => $"P:{Name(p.DeclaringType!)}.{p.Name}{Parameters(p.GetIndexParameters(), 0)}",
        FieldInfo f => $"F:{Name(f.DeclaringType!)}.{f.Name}",
        ConstructorInfo c => $"M:{Name(c.DeclaringType!)}.#ctor{Parameters(c.GetParameters(), 0)}",
        MethodInfo m => $"M:{Name(m.DeclaringType!)}.{m.Name}{(m.IsGenericMethod ? $"``{m.GetGenericArguments().Length}" : "")}{Parameters(m.GetParameters(), m.IsGenericMethod ? m.GetGenericArguments().Length : 0)}{(m.Name is "op_Implicit" ? "~" + TypeId(m.ReturnType) : "")}",
        _ => null,
    };

    private static string Parameters(ParameterInfo[] parameters, int _) =>
        parameters.Length == 0 ? "" : $"({string.Join(",", parameters.Select(p => TypeId(p.ParameterType)))})";

    /// <summary>A type as the C# compiler writes it in a doc id: generic arguments in braces, type parameters as `N or ``N.</summary>
    private static string TypeId(Type t)
    {
        if (t.IsByRef) return TypeId(t.GetElementType()!) + "@";
        if (t.IsArray) return TypeId(t.GetElementType()!) + (t.GetArrayRank() == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", t.GetArrayRank())) + "]");
        if (t.IsGenericParameter) return (t.DeclaringMethod is null ? "`" : "``") + t.GenericParameterPosition;
        if (t.IsGenericType)
        {
            string name = t.GetGenericTypeDefinition().FullName!;
            name = name[..name.IndexOf('`')].Replace('+', '.');
            return $"{name}{{{string.Join(",", t.GetGenericArguments().Select(TypeId))}}}";
        }
        return t.FullName!.Replace('+', '.');
    }
}
