using FsCheck;
using FsCheck.Fluent;

namespace Mesh.Protocols.Tests.Support;

/// <summary>Runs an FsCheck property inside an xunit fact, failing with FsCheck's shrunk counterexample.</summary>
internal static class Properties
{
    public static Task Check<T>(Gen<T> generator, Func<T, bool> property, int maxTest = 500) =>
        Bounded.Run(() => FsCheck.Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true),
            Prop.ForAll(generator.ToArbitrary(), property)));
}
