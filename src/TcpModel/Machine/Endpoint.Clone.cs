using System.Collections.Concurrent;
using System.Reflection;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>
    /// An independent copy of this endpoint — state, TCB, queues, timers — for searches that branch
    /// on hidden choices (the trace checker of src/TcpModel/Conformance/Pcap). The profile, table,
    /// options and ISN source are shared (they are immutable or owned by the caller). Stepping the
    /// copy never changes the original.
    /// </summary>
    public Endpoint Clone()
    {
        var copy = (Endpoint)MemberwiseClone();
        copy._out = null!;
        copy._input = default;
        TcbField.SetValue(copy, DeepCopy.Of(Tcb));
        return copy;
    }

    private static readonly FieldInfo TcbField =
        typeof(Endpoint).GetField("<Tcb>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>Field-by-field deep copy of the TCB's object graph (classes, arrays, collections),
    /// by reflection so that fields other branches add to <see cref="Tcb"/> are copied too.</summary>
    private static class DeepCopy
    {
        private static readonly ConcurrentDictionary<Type, FieldInfo[]> Fields = new();
        private static readonly MethodInfo Memberwise =
            typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

        public static T Of<T>(T value) where T : class =>
            (T)Copy(value, new Dictionary<object, object>(ReferenceEqualityComparer.Instance))!;

        private static object? Copy(object? value, Dictionary<object, object> seen)
        {
            if (value is null) return null;
            var type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string || value is Delegate) return value;
            if (!type.IsValueType && seen.TryGetValue(value, out var done)) return done;
            if (value is System.Collections.IComparer or System.Collections.IEqualityComparer && !type.IsValueType) return value;
            if (value is Array array)
            {
                var clone = (Array)array.Clone();
                seen[value] = clone;
                var element = type.GetElementType()!;
                if (!IsPlain(element))
                    for (int i = 0; i < clone.Length; i++) clone.SetValue(Copy(clone.GetValue(i), seen), i);
                return clone;
            }
            var result = Memberwise.Invoke(value, null)!;
            if (!type.IsValueType) seen[value] = result;
            foreach (var f in Fields.GetOrAdd(type, AllFields))
            {
                if (IsPlain(f.FieldType)) continue;
                f.SetValue(result, Copy(f.GetValue(value), seen));
            }
            return result;
        }

        /// <summary>A type whose values hold no references (copied by MemberwiseClone already).</summary>
        private static bool IsPlain(Type t) => t.IsPrimitive || t.IsEnum || (t.IsValueType && IsUnmanaged(t));

        private static readonly ConcurrentDictionary<Type, bool> Unmanaged = new();

        private static bool IsUnmanaged(Type t) => Unmanaged.GetOrAdd(t, static t =>
            !(bool)typeof(System.Runtime.CompilerServices.RuntimeHelpers)
                .GetMethod(nameof(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences))!
                .MakeGenericMethod(t).Invoke(null, null)!);

        private static FieldInfo[] AllFields(Type type)
        {
            var list = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
                list.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            return list.ToArray();
        }
    }
}
