using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace PushResume.Http;

/// <summary>One function of this app, as its attributes declare it.</summary>
public sealed record FunctionEntry(
    string Name,
    MethodInfo Method,
    HttpTriggerAttribute? Http,
    TimerTriggerAttribute? Timer,
    QueueTriggerAttribute? Queue)
{
    /// <summary>The HTTP methods the trigger accepts, upper-case; empty means every method.</summary>
    public IReadOnlyList<string> HttpMethods { get; } =
        Http?.Methods?.Select(m => m.ToUpperInvariant()).ToArray() ?? [];
}

/// <summary>
/// The app's functions read from their <c>[Function]</c> and trigger attributes: the same attributes the Worker SDK
/// turns into <c>functions.metadata</c>, so the dev host and the fallback route can never disagree with it.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> All { get; } = Discover(typeof(FunctionCatalog).Assembly);

    /// <summary>The methods that some function serves at <paramref name="path"/>, ignoring catch-all routes.</summary>
    public static IReadOnlyList<string> AllowedMethods(PathString path) =>
        [.. Matchers.Where(m => m.Matcher.TryMatch(path, [])).SelectMany(m => m.Function.HttpMethods).Distinct().Order(StringComparer.Ordinal)];

    private static readonly (FunctionEntry Function, TemplateMatcher Matcher)[] Matchers =
        [.. All.Where(f => f.Http?.Route is { } route && !route.Contains("{*", StringComparison.Ordinal))
            .Select(f => (f, new TemplateMatcher(TemplateParser.Parse(f.Http!.Route!), new RouteValueDictionary())))];

    private static FunctionEntry[] Discover(Assembly assembly) =>
        [.. from type in assembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            let parameters = method.GetParameters()
            select new FunctionEntry(
                function.Name,
                method,
                Trigger<HttpTriggerAttribute>(parameters),
                Trigger<TimerTriggerAttribute>(parameters),
                Trigger<QueueTriggerAttribute>(parameters))];

    private static TAttribute? Trigger<TAttribute>(ParameterInfo[] parameters)
        where TAttribute : Attribute =>
        parameters.Select(p => p.GetCustomAttribute<TAttribute>()).FirstOrDefault(a => a is not null);
}
