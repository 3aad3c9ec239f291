namespace Mesh.Actors.TestKit;

/// <summary>A test kit expectation did not hold; the message says what was expected and what arrived instead.</summary>
public sealed class ExpectationFailedException : Exception
{
    public ExpectationFailedException()
    {
    }

    public ExpectationFailedException(string message)
        : base(message)
    {
    }

    public ExpectationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
