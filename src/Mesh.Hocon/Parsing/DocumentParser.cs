using System.Runtime.CompilerServices;

namespace Mesh.Hocon;

/// <summary>
/// Parses one HOCON document into a <see cref="RawObject"/>. Duplicate keys are merged as they are
/// read (<see cref="RawMerge"/>); includes are loaded on the spot through <see cref="IncludeLoader"/>
/// so that fields after an include override it and fields before it are overridden.
/// </summary>
internal sealed partial class DocumentParser
{
    /// <summary>Deeper nesting than this is reported as an error instead of risking the stack.</summary>
    private const int MaxNesting = 200;

    private readonly List<Token> _tokens;
    private readonly string? _file;
    private readonly IncludeLoader _includes;
    private readonly IncludeScope _scope;
    private int _index;
    private int _nesting;

    private DocumentParser(string text, string? file, IncludeLoader includes, IncludeScope scope)
    {
        _tokens = Lexer.Tokenize(text, file);
        _file = file;
        _includes = includes;
        _scope = scope;
    }

    /// <param name="scope">Where this document is included (<see cref="IncludeScope.Root"/> for a top-level document).</param>
    public static RawObject Parse(string text, string? file, IncludeLoader includes, IncludeScope scope)
    {
        try
        {
            return new DocumentParser(text, file, includes, scope).ParseDocument();
        }
        catch (InsufficientExecutionStackException ex)
        {
            throw new HoconException("the document is nested too deeply", new HoconOrigin(file, 0, 0), ex);
        }
    }

    private Token Peek => _tokens[_index];

    private RawObject ParseDocument()
    {
        SkipWhitespaceAndNewlines();
        RawObject root;
        if (Peek.Kind == TokenKind.OpenBrace)
        {
            root = ParseBracedObject([], _scope);
        }
        else if (Peek.Kind == TokenKind.OpenBracket)
        {
            throw Error("the root of a HOCON document must be an object, not a list", Peek);
        }
        else
        {
            root = new RawObject(OriginOf(Peek));
            ParseFields(root, null, [], _scope);
        }

        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.End)
        {
            throw Error($"unexpected {Peek.Describe()} after the end of the document's root object", Peek);
        }

        return root;
    }

    private RawObject ParseBracedObject(IReadOnlyList<string>? path, IncludeScope? scope)
    {
        var open = Next();
        Enter(open);
        var obj = new RawObject(OriginOf(open));
        ParseFields(obj, open, path, scope ?? new IncludeScope([], obj));
        _nesting--;
        return obj;
    }

    /// <param name="open">The '{' of a braced object, or null for a braceless root.</param>
    /// <param name="path">The object's path from the document root, or null inside a list.</param>
    /// <param name="scope">Where includes in this object land.</param>
    private void ParseFields(RawObject target, Token? open, IReadOnlyList<string>? path, IncludeScope scope)
    {
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBrace && open is not null)
            {
                Next();
                return;
            }

            if (token.Kind == TokenKind.End)
            {
                if (open is null)
                {
                    return;
                }

                throw Error("this '{' is never closed with '}'", open);
            }

            if (token.Kind == TokenKind.Comma)
            {
                throw Error("unexpected ',': expected a key (a comma may not start an object or follow another comma)", token);
            }

            var key = ParseFieldOrInclude(target, path, scope);

            SkipWhitespace();
            token = Peek;
            if (token.Kind == TokenKind.Comma)
            {
                Next();
            }
            else if (token.Kind is not (TokenKind.Newline or TokenKind.End) && !(token.Kind == TokenKind.CloseBrace && open is not null))
            {
                var what = key is null ? "an include" : $"the value of '{key}'";
                throw Error($"expected ',' or a newline after {what}, found {token.Describe()}", token);
            }
        }
    }

    /// <returns>The key that was set, or null for an include.</returns>
    private string? ParseFieldOrInclude(RawObject target, IReadOnlyList<string>? path, IncludeScope scope)
    {
        var first = Peek;
        if (first.Kind == TokenKind.Unquoted && first.Text == "include")
        {
            ParseInclude(target, scope);
            return null;
        }

        var keyPath = ParseKey();
        var keyText = HoconPath.Render(keyPath);
        SkipWhitespaceAndNewlines();
        var separator = Peek;
        var fieldPath = path is null ? null : (IReadOnlyList<string>)[.. path, .. keyPath];
        RawValue? value;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.Equals:
                Next();
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath, scope.Below(keyPath)) ?? throw Error($"expected a value for '{keyText}', found {Peek.Describe()}", Peek);
                break;
            case TokenKind.PlusEquals:
                Next();
                SkipWhitespaceAndNewlines();
                var element = ParseValue(fieldPath, scope.Below(keyPath)) ?? throw Error($"expected a value after '+=' for '{keyText}', found {Peek.Describe()}", Peek);
                value = DesugarAppend(fieldPath, element, separator, keyText);
                break;
            case TokenKind.OpenBrace:
                value = ParseValue(fieldPath, scope.Below(keyPath))!;
                break;
            default:
                throw Error($"expected ':', '=', '+=' or '{{' after the key '{keyText}', found {separator.Describe()}", separator);
        }

        for (var i = keyPath.Length - 1; i > 0; i--)
        {
            var wrapper = new RawObject(OriginOf(first));
            wrapper.Fields[keyPath[i]] = value;
            value = wrapper;
        }

        RawMerge.MergeField(target, keyPath[0], value);
        return keyText;
    }

    /// <summary><c>a += v</c> means <c>a = ${?a} [v]</c>, with <c>a</c> the field's full path.</summary>
    private RawConcat DesugarAppend(IReadOnlyList<string>? fieldPath, RawValue element, Token at, string keyText)
    {
        if (fieldPath is null)
        {
            throw Error($"'+=' on '{keyText}' is not supported inside an object that is a list element (its path is unknown)", at);
        }

        var origin = OriginOf(at);
        return new RawConcat(
            [new RawSubstitution(fieldPath, optional: true, _scope, origin), new RawList([element], element.Origin)],
            origin);
    }

    private string[] ParseKey()
    {
        var start = Peek;
        var pieces = new List<PathPiece>();
        while (true)
        {
            var token = Peek;
            if (token.Kind == TokenKind.Whitespace)
            {
                pieces.Add(PathPiece.Space(token.Text));
            }
            else if (token.Kind == TokenKind.QuotedString)
            {
                pieces.Add(PathPiece.Quoted(token.Text));
            }
            else if (token.IsSimpleValue)
            {
                pieces.Add(PathPiece.Unquoted(token.Text));
            }
            else if (token.Kind == TokenKind.Substitution)
            {
                throw Error("a substitution cannot be used as a key", token);
            }
            else
            {
                break;
            }

            Next();
        }

        if (pieces.TrueForAll(piece => piece.Kind == PathPieceKind.Whitespace))
        {
            throw Error($"expected a key, found {Peek.Describe()}", Peek);
        }

        return PathBuilder.Build(pieces, OriginOf(start), "key");
    }

    private void ParseInclude(RawObject target, IncludeScope scope)
    {
        Next();
        SkipWhitespaceAndNewlines();
        var reader = new IncludeSpecReader(_tokens, _index, _file);
        var directive = reader.Read();
        _index = reader.Index;
        var included = _includes.Load(directive, scope);
        if (included is not null)
        {
            RawMerge.MergeObject(target, included);
        }
    }

    private void Enter(Token at)
    {
        if (++_nesting > MaxNesting)
        {
            throw Error($"objects and lists are nested more than {MaxNesting} levels deep", at);
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
    }

    private Token Next() => _tokens[_index++];

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _index++;
        }
    }

    private HoconOrigin OriginOf(Token token) => new(_file, token.Line, token.Column);

    private HoconException Error(string reason, Token at) => new(reason, OriginOf(at));
}
