using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Seedance.Client.Json;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// A webhook body PowerShell already parsed (the hashtable Azure Functions makes, ConvertFrom-Json's objects) written
    /// back as JSON text for the gate every service answer passes. It is the caller's object graph, so it is walked
    /// without recursion (a 5,000-deep nest cannot overflow the stack), at most <see cref="MaxDepth"/> deep, refusing a
    /// cycle, and stopping once the text passes the size cap (a 3-million-key table costs the cap, not its size).
    /// </summary>
    internal static class WebhookBody
    {
        /// <summary>Deeper than any task object (the service's nest a few levels); JsonDocument's own default is 64 too.</summary>
        public const int MaxDepth = 64;

        /// <summary>The JSON text, or an <see cref="InvalidDataException"/> saying what in the body is unusable and where.</summary>
        public static string ToJson(object? body, long maxChars)
        {
            using MemoryStream buffer = new MemoryStream();
            using (Utf8JsonWriter writer = new Utf8JsonWriter(buffer))
            {
                Stack<Frame> open = new Stack<Frame>();
                HashSet<object> onPath = new HashSet<object>(ReferenceComparer.Instance);
                WriteValue(writer, body, open, onPath, "body");
                while (open.Count > 0)
                {
                    Frame frame = open.Peek();
                    if (!frame.MoveNext())
                    {
                        if (frame.IsObject)
                        {
                            writer.WriteEndObject();
                        }
                        else
                        {
                            writer.WriteEndArray();
                        }

                        onPath.Remove(frame.Identity);
                        open.Pop();
                        continue;
                    }

                    if (frame.IsObject)
                    {
                        writer.WritePropertyName(frame.Name!);
                    }

                    WriteValue(writer, frame.Value, open, onPath, frame.PathOfCurrent);
                    if (buffer.Length + writer.BytesPending > maxChars)
                    {
                        throw new InvalidDataException($"The webhook body is larger than {maxChars / 1048576.0:0.#} MiB as JSON; a real one is a few KiB. It was not read further.");
                    }

                    if (writer.BytesPending > 64 * 1024)
                    {
                        writer.Flush();
                    }
                }
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        private static void WriteValue(Utf8JsonWriter writer, object? value, Stack<Frame> open, HashSet<object> onPath, string path)
        {
            object? identity = value;
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    // Every PSCustomObject shares one base object: the wrapper is what identifies this one.
                    Open(writer, new Frame(wrapped, Properties(wrapped), isObject: true, path), open, onPath);
                    return;
                }

                value = wrapped.BaseObject;
                identity = value;
            }

            if (PlainJson.TryWriteScalar(writer, value))
            {
                return;
            }

            switch (value)
            {
                case IDictionary dictionary:
                    Open(writer, new Frame(identity!, Entries(dictionary, path), isObject: true, path), open, onPath);
                    return;
                case IEnumerable list:
                    Open(writer, new Frame(identity!, Items(list), isObject: false, path), open, onPath);
                    return;
                case double real when double.IsNaN(real) || double.IsInfinity(real):
                case float single when float.IsNaN(single) || float.IsInfinity(single):
                    throw new InvalidDataException($"{path} is {value}, which JSON cannot hold.");
                default:
                    throw new InvalidDataException($"{path} is a {value!.GetType().FullName}, which has no JSON form.");
            }
        }

        private static void Open(Utf8JsonWriter writer, Frame frame, Stack<Frame> open, HashSet<object> onPath)
        {
            if (open.Count >= MaxDepth)
            {
                throw new InvalidDataException($"{frame.Path} is nested more than {MaxDepth} levels deep; a task object is a few levels.");
            }

            if (!onPath.Add(frame.Identity))
            {
                throw new InvalidDataException($"{frame.Path} contains itself (a cycle), which JSON cannot hold.");
            }

            if (frame.IsObject)
            {
                writer.WriteStartObject();
            }
            else
            {
                writer.WriteStartArray();
            }

            open.Push(frame);
        }

        private static IEnumerable<KeyValuePair<string, object?>> Properties(PSObject wrapped)
        {
            foreach (PSPropertyInfo property in wrapped.Properties)
            {
                yield return new KeyValuePair<string, object?>(property.Name, property.Value);
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary, string path)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                object? key = entry.Key is PSObject wrappedKey ? wrappedKey.BaseObject : entry.Key;
                if (!(key is string name))
                {
                    throw new InvalidDataException($"{path} has a key that is not text ({key?.GetType().Name ?? "null"}).");
                }

                yield return new KeyValuePair<string, object?>(name, entry.Value);
            }
        }

        private static IEnumerable<KeyValuePair<string, object?>> Items(IEnumerable list)
        {
            int index = 0;
            foreach (object? item in list)
            {
                yield return new KeyValuePair<string, object?>("[" + (index++).ToString(CultureInfo.InvariantCulture) + "]", item);
            }
        }

        /// <summary>One open object or array: where its walk stands.</summary>
        private sealed class Frame
        {
            private readonly IEnumerator<KeyValuePair<string, object?>> _entries;

            public Frame(object identity, IEnumerable<KeyValuePair<string, object?>> entries, bool isObject, string path)
            {
                Identity = identity;
                _entries = entries.GetEnumerator();
                IsObject = isObject;
                Path = path;
            }

            public object Identity { get; }
            public bool IsObject { get; }
            public string Path { get; }
            public string? Name => _entries.Current.Key;
            public object? Value => _entries.Current.Value;

            public string PathOfCurrent => IsObject ? Path + "." + Name : Path + Name;

            public bool MoveNext() => _entries.MoveNext();
        }

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
