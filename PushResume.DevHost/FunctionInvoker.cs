using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;
using PushResume.Http;

namespace PushResume.DevHost;

/// <summary>
/// Calls a function method the way the isolated worker does: a new instance from DI per invocation, the trigger
/// input, route values bound by parameter name and the invocation's cancellation token; an
/// <see cref="IActionResult"/> it returns is executed against the real response.
/// </summary>
public static class FunctionInvoker
{
    /// <summary>One compiled constructor call per function class, instead of reflection on every invocation.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>The worker deserializes a queue message into a POCO parameter with case-insensitive JSON.</summary>
    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    /// <summary>Fails at start-up, not at the first request, when a function takes an input the dev host cannot give.</summary>
    public static void EnsureSupported(FunctionEntry function)
    {
        foreach (var parameter in function.Method.GetParameters())
        {
            var supported = parameter.ParameterType == typeof(HttpRequest)
                || parameter.ParameterType == typeof(TimerInfo)
                || parameter.ParameterType == typeof(CancellationToken)
                || (parameter.ParameterType == typeof(string) && function.Http is not null)
                || parameter.GetCustomAttribute<QueueTriggerAttribute>() is not null;
            if (!supported)
            {
                throw new NotSupportedException(
                    $"The dev host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}");
            }
        }
    }

    public static async Task InvokeHttpAsync(FunctionEntry function, HttpContext context)
    {
        var result = await InvokeAsync(
            function,
            context.RequestServices,
            parameter => parameter.ParameterType == typeof(HttpRequest) ? context.Request : context.GetRouteValue(parameter.Name!)?.ToString(),
            context.RequestAborted);
        if (result is IActionResult action)
        {
            await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
    }

    public static Task InvokeTimerAsync(FunctionEntry function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken) =>
        InvokeAsync(function, services, _ => timer, cancellationToken);

    public static Task InvokeQueueAsync(FunctionEntry function, IServiceProvider services, string message, CancellationToken cancellationToken) =>
        InvokeAsync(
            function,
            services,
            parameter => parameter.ParameterType == typeof(string) ? message : JsonSerializer.Deserialize(message, parameter.ParameterType, MessageJson),
            cancellationToken);

    private static async Task<object?> InvokeAsync(
        FunctionEntry function,
        IServiceProvider services,
        Func<ParameterInfo, object?> bindTrigger,
        CancellationToken cancellationToken)
    {
        var method = function.Method;
        var instance = method.IsStatic ? null : Factories.GetOrAdd(method.DeclaringType!, type => ActivatorUtilities.CreateFactory(type, []))(services, null);
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(CancellationToken) ? cancellationToken : bindTrigger(p))
            .ToArray();
        try
        {
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            if (returned is not Task task)
            {
                return returned;
            }

            await task;
            return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty("Result")!.GetValue(task) : null;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}
