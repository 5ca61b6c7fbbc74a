using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace Seedance.Module.Tests
{
    /// <summary>
    /// PowerShell reads a binary module's exported types (cmdlets, their parameters, output types) right after loading
    /// it, before OnImport registers the resolver that finds deps/. So no public type of Seedance.Commands or
    /// Seedance.Client may name a deps/ assembly in what loading or reflecting on it touches: base type, interfaces,
    /// attributes, and the signatures of its public and protected members. (Method bodies may: they run after import.)
    /// </summary>
    public sealed class PublicTypesTests
    {
        /// <summary>
        /// Public methods whose signatures name a deps/ assembly, reviewed: static helpers the cmdlets call at run time,
        /// after import; no type literal or output object leads PowerShell to reflect on them before that. Their types
        /// load without it (a method's signature resolves only when the method is reflected on or compiled).
        /// </summary>
        private static readonly string[] ReviewedMethods =
        {
            "Seedance.Client.Json.PlainJson.ToPlain() -> System.Text.Json",
            "Seedance.Client.Json.PlainJson.Write() -> System.Text.Json",
        };

        [Theory]
        [InlineData("Seedance.Commands.dll")]
        [InlineData("Seedance.Client.dll")]
        public void NoPublicType_NeedsADepsAssembly(string file)
        {
            HashSet<string> deps = new HashSet<string>(
                Directory.GetFiles(BuiltModule.Dependencies, "*.dll").Select(p => Path.GetFileNameWithoutExtension(p)),
                StringComparer.OrdinalIgnoreCase);

            List<string> found = new List<string>();
            foreach ((string where, string assembly) in PublicSurface.AssembliesNamedBy(Path.Combine(BuiltModule.Directory, file)))
            {
                if (deps.Contains(assembly))
                {
                    found.Add($"{where} -> {assembly}");
                }
            }

            found = found.Distinct().Except(ReviewedMethods).ToList();
            Assert.True(found.Count == 0, $"Public types of {file} that need deps/ to load:\n" + string.Join("\n", found));
        }

        [Fact]
        public void TheCheck_SeesAssembliesInSignatures()
        {
            // The check itself, on the one module assembly that does use deps/ publicly: Seedance.Http implements
            // Seedance.Client's interface with Microsoft.Extensions.Http inside, but its public surface names only
            // Seedance.Client; System.Text.Json's public surface names System.Memory (ReadOnlySpan etc.).
            IEnumerable<string> named = PublicSurface.AssembliesNamedBy(Path.Combine(BuiltModule.Dependencies, "System.Text.Json.dll")).Select(x => x.Assembly);

            Assert.Contains("System.Memory", named);
        }

        /// <summary>The assemblies the public surface of one DLL names, with where.</summary>
        private static class PublicSurface
        {
            public static IEnumerable<(string Where, string Assembly)> AssembliesNamedBy(string path)
            {
                using FileStream stream = File.OpenRead(path);
                using PEReader pe = new PEReader(stream);
                MetadataReader reader = pe.GetMetadataReader();
                AssemblyNames provider = new AssemblyNames();
                List<(string, string)> found = new List<(string, string)>();

                foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
                {
                    TypeDefinition type = reader.GetTypeDefinition(handle);
                    if (!IsVisible(reader, type))
                    {
                        continue;
                    }

                    string typeName = reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
                    void Add(string where, IEnumerable<string> assemblies)
                    {
                        foreach (string assembly in assemblies)
                        {
                            found.Add(($"{typeName}{where}", assembly));
                        }
                    }

                    if (!type.BaseType.IsNil)
                    {
                        Add(" (base type)", provider.Of(reader, type.BaseType));
                    }

                    foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
                    {
                        Add(" (interface)", provider.Of(reader, reader.GetInterfaceImplementation(i).Interface));
                    }

                    Add(" (attribute)", Attributes(reader, provider, type.GetCustomAttributes()));

                    foreach (FieldDefinitionHandle f in type.GetFields())
                    {
                        FieldDefinition field = reader.GetFieldDefinition(f);
                        FieldAttributes access = field.Attributes & FieldAttributes.FieldAccessMask;
                        if (access == FieldAttributes.Public || access == FieldAttributes.Family || access == FieldAttributes.FamORAssem)
                        {
                            Add("." + reader.GetString(field.Name), field.DecodeSignature(provider, null));
                            Add("." + reader.GetString(field.Name), Attributes(reader, provider, field.GetCustomAttributes()));
                        }
                    }

                    foreach (MethodDefinitionHandle m in type.GetMethods())
                    {
                        MethodDefinition method = reader.GetMethodDefinition(m);
                        MethodAttributes access = method.Attributes & MethodAttributes.MemberAccessMask;
                        if (access == MethodAttributes.Public || access == MethodAttributes.Family || access == MethodAttributes.FamORAssem)
                        {
                            MethodSignature<ImmutableArray<string>> signature = method.DecodeSignature(provider, null);
                            string where = "." + reader.GetString(method.Name) + "()";
                            Add(where, signature.ReturnType);
                            Add(where, signature.ParameterTypes.SelectMany(p => p));
                            Add(where, Attributes(reader, provider, method.GetCustomAttributes()));
                        }
                    }

                    foreach (PropertyDefinitionHandle p in type.GetProperties())
                    {
                        PropertyDefinition property = reader.GetPropertyDefinition(p);
                        PropertyAccessors accessors = property.GetAccessors();
                        bool visible = new[] { accessors.Getter, accessors.Setter }.Where(a => !a.IsNil).Any(a =>
                        {
                            MethodAttributes access = reader.GetMethodDefinition(a).Attributes & MethodAttributes.MemberAccessMask;
                            return access == MethodAttributes.Public || access == MethodAttributes.Family || access == MethodAttributes.FamORAssem;
                        });
                        if (visible)
                        {
                            // Parameter attributes ([Parameter], [ValidateRange], transformations) are what PowerShell reads first.
                            Add("." + reader.GetString(property.Name), Attributes(reader, provider, property.GetCustomAttributes()));
                        }
                    }
                }

                return found;
            }

            private static bool IsVisible(MetadataReader reader, TypeDefinition type)
            {
                TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
                if (visibility == TypeAttributes.Public)
                {
                    return true;
                }

                if (visibility == TypeAttributes.NestedPublic || visibility == TypeAttributes.NestedFamily || visibility == TypeAttributes.NestedFamORAssem)
                {
                    return IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
                }

                return false;
            }

            private static IEnumerable<string> Attributes(MetadataReader reader, AssemblyNames provider, CustomAttributeHandleCollection attributes)
            {
                foreach (CustomAttributeHandle handle in attributes)
                {
                    EntityHandle constructor = reader.GetCustomAttribute(handle).Constructor;
                    if (constructor.Kind == HandleKind.MemberReference)
                    {
                        MemberReference reference = reader.GetMemberReference((MemberReferenceHandle)constructor);
                        foreach (string assembly in provider.Of(reader, reference.Parent))
                        {
                            yield return assembly;
                        }
                    }
                }
            }
        }

        /// <summary>Decodes a type in a signature to the assemblies it names (none for the DLL's own types and primitives).</summary>
        private sealed class AssemblyNames : ISignatureTypeProvider<ImmutableArray<string>, object?>
        {
            private static readonly ImmutableArray<string> None = ImmutableArray<string>.Empty;

            public IEnumerable<string> Of(MetadataReader reader, EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference:
                        return GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0);
                    case HandleKind.TypeSpecification:
                        return GetTypeFromSpecification(reader, null, (TypeSpecificationHandle)handle, 0);
                    default:
                        return None;
                }
            }

            public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                EntityHandle scope = reader.GetTypeReference(handle).ResolutionScope;
                switch (scope.Kind)
                {
                    case HandleKind.AssemblyReference:
                        return ImmutableArray.Create(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name));
                    case HandleKind.TypeReference:
                        return GetTypeFromReference(reader, (TypeReferenceHandle)scope, rawTypeKind);
                    default:
                        return None;
                }
            }

            public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

            public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => None;
            public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
            public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => None;
            public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => None;
            public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
            public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
            public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
            public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
            public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
            public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => modifier.AddRange(unmodifiedType);
            public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
                genericType.AddRange(typeArguments.SelectMany(a => a));
            public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
                signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(p => p));
        }
    }
}
