using Microsoft.Extensions.Configuration;

namespace Mesh.Hocon.Tests.Conformance;

/// <summary>README section 4 "Smaller files" and section 5 (akkadotnet/HOCON files).</summary>
internal static partial class ConformanceCases
{
    private static IEnumerable<ConformanceCase> SmallerFiles()
    {
        yield return Case("a_1.conf / b_2.conf", "A", () =>
        {
            Assert.Equal(1, ConformanceLoader.Load("a_1").GetInt("a"));
            Assert.Equal(2, ConformanceLoader.Load("b_2").GetInt("b"));
        });
        yield return Case("bom.conf: a leading BOM is whitespace", "A", () => Assert.Equal("bar", ConformanceLoader.Load("bom").GetString("foo")));
        yield return Case("cycle.conf: include nesting limit", "A", () =>
            Assert.Contains("nested more than 50 times", Assert.Throws<HoconException>(() => ConformanceLoader.Load("cycle")).Message, StringComparison.Ordinal));
        yield return Case("env-variables.conf with SECRET_A/B/C", "A", () =>
        {
            var env = new Dictionary<string, string> { ["SECRET_A"] = "A", ["SECRET_B"] = "B", ["SECRET_C"] = "C" };
            var config = ConformanceLoader.Load("env-variables", env);
            Assert.Equal("A", config.GetString("secret"));
            Assert.Equal(["B", "C"], config.GetStringList("secrets"));
        });
        yield return Case("env-variables.conf without the variables", "D", () =>
        {
            var config = ConformanceLoader.Load("env-variables", new Dictionary<string, string>());
            Assert.Equal("a", config.GetString("secret"));
            Assert.Empty(config.GetList("secrets"));
        });
        var fileInclude = Lazy(() => ConformanceLoader.ParseFile(ConformanceFolder.Resource("file-include.conf")));
        yield return Case("file-include.conf: base, foo and bar (relative to the including file)", "A", () =>
        {
            Assert.Equal(41, fileInclude.Value.GetInt("base"));
            Assert.Equal(42, fileInclude.Value.GetInt("foo"));
            Assert.Equal(43, fileInclude.Value.GetInt("bar"));
        });
        yield return Case("file-include.conf: file() is relative to the working directory, so bar-file and baz are absent", "A", () =>
        {
            Assert.False(fileInclude.Value.HasPath("bar-file"));
            Assert.False(fileInclude.Value.HasPath("baz"));
        });
        yield return Case("include-from-list.conf: spec behaviour, a one-element list with the included object", "D", () =>
        {
            var list = ConformanceLoader.ParseFile(ConformanceFolder.Resource("include-from-list.conf")).GetList("a");
            Assert.Equal(42, Assert.Single(list).AsObject().GetInt("ints.fortyTwo"));
        });
        yield return Case("onclasspath: a heuristic include falls back to the resource roots", "A", () =>
        {
            var scratch = Directory.CreateTempSubdirectory("mesh-hocon-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(scratch, "main.conf"), "include \"onclasspath\"\n");
                Assert.Equal(42, HoconParser.ParseFile(Path.Combine(scratch, "main.conf"), HoconResolveOptions.NoEnvironment, ConformanceLoader.ParseOptions).GetInt("onclasspath"));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        });
        var bean = Lazy(() => ConformanceLoader.ParseFile(ConformanceFolder.Resource("beanconfig/beanconfig01.conf")));
        yield return Case("beanconfig01: of-long converts from a numeric-keyed object to a list", "A", () =>
            Assert.Equal([32L, 42L, 52L], bean.Value.GetList("arrays.of-long").Select(v => v.AsLong())));
        yield return Case("beanconfig01: ofDuration", "A", () =>
            Assert.Equal([TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(2), TimeSpan.FromDays(3)], bean.Value.GetList("arrays.ofDuration").Select(v => v.AsDuration())));
        yield return Case("beanconfig01: ofMemorySize", "A", () =>
            Assert.Equal([1024L, 1L << 20, 1L << 30], bean.Value.GetList("arrays.ofMemorySize").Select(v => v.AsBytes())));
        yield return Case("beanconfig01: bytes.kilobyte, kibibyte, thousandBytes", "A", () =>
        {
            Assert.Equal(1000L, bean.Value.GetBytes("bytes.kilobyte"));
            Assert.Equal(1024L, bean.Value.GetBytes("bytes.kibibyte"));
            Assert.Equal(1000L, bean.Value.GetBytes("bytes.thousandBytes"));
        });
        yield return Case("beanconfig01: numbers.intVal converts to 3; whole objects copied by substitution", "A", () =>
        {
            Assert.Equal(3, bean.Value.GetInt("numbers.intVal"));
            Assert.Equal(bean.Value.GetObject("numbers").ToString(), bean.Value.GetList("arrays.ofObject")[0].ToString());
        });
        yield return Case("test-lib.conf", "A", () =>
            Assert.Equal("This is to test classpath searches.", ConformanceLoader.ParseFile(Path.Combine(ConformanceFolder.TestLibResources, "test-lib.conf")).GetString("test-lib.description")));
    }

    private static IEnumerable<ConformanceCase> AkkaFiles()
    {
        yield return Case("akka app.conf: root.simple-string", "A", () =>
            Assert.Equal("Hello HOCON2", ConformanceLoader.ParseFile(Path.Combine(ConformanceFolder.Akka, "Hocon.Configuration.Test", "app.conf")).GetString("root.simple-string")));
        foreach (var (file, version, provider, size) in new[]
        {
            ("reference.conf", "0.0.1 Akka", "Akka.Actor.LocalActorRefProvider", "512"),
            ("reference_modified.conf", "0.0.2 Akka", "Akka.Actor.RemoteActorRefProvider", "1024"),
        })
        {
            yield return Case($"akka {file} through Microsoft.Extensions.Configuration", "A", () =>
            {
                var configuration = new ConfigurationBuilder()
                    .AddHoconFile(Path.Combine(ConformanceFolder.Akka, "Hocon.Extensions.Configuration.Tests", file))
                    .Build();
                Assert.Equal(version, configuration["akka:version"]);
                Assert.Equal(provider, configuration["akka:actor:provider"]);
                Assert.Equal(size, configuration["akka:io:tcp:direct-buffer-pool:buffer-size"]);
            });
        }
    }
}
