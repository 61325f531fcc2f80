using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NfOta.NanoFramework.Tests;

/// <summary>A call the compiler drops in a Release build together with work its arguments do.</summary>
public sealed record DroppedWork(string File, int Line, string Method, string Expression)
{
    public override string ToString() => $"{File}:{Line}: {Method}(...) drops '{Expression}' in Release";
}

/// <summary>
/// Binds device sources as a nanoFramework Release build compiles them (C# 7.3, NANOFRAMEWORK_1_0,
/// no DEBUG) against nanoFramework's own mscorlib, and finds calls to methods marked [Conditional]
/// (Debug.WriteLine is [Conditional("DEBUG")]) whose arguments do work beyond formatting: the
/// compiler removes the whole call, arguments included. Types from other libraries stay unbound;
/// only calls that bind to a [Conditional] method are judged, and <see cref="ConditionalCalls"/>
/// counts them so a test can tell the check saw any.
/// </summary>
public sealed class ConditionalCallCheck
{
    private static readonly CSharpParseOptions Release =
        new(LanguageVersion.CSharp7_3, preprocessorSymbols: ["NANOFRAMEWORK_1_0", "TRACE"]);

    private readonly List<DroppedWork> _found = [];

    public int ConditionalCalls { get; private set; }

    public IReadOnlyList<DroppedWork> Found => _found;

    public static ConditionalCallCheck Run(string mscorlibPath, IEnumerable<(string Path, string Text)> sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, Release, s.Path)).ToList();
        var compilation = CSharpCompilation.Create("DeviceSources", trees, [MetadataReference.CreateFromFile(mscorlibPath)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var check = new ConditionalCallCheck();
        foreach (var tree in trees) check.Visit(compilation.GetSemanticModel(tree), tree);
        return check;
    }

    private void Visit(SemanticModel model, SyntaxTree tree)
    {
        foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol method || !IsConditional(method)) continue;
            ConditionalCalls++;
            foreach (var work in call.ArgumentList.DescendantNodes().Where(n => DoesWork(model, n)))
            {
                var line = work.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                _found.Add(new DroppedWork(tree.FilePath, line, method.ContainingType.Name + "." + method.Name, work.ToString()));
            }
        }
    }

    private static bool IsConditional(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.ConditionalAttribute");

    /// <summary>Calls other than ToString, string.Format and string.Concat, assignments, ++ and --.</summary>
    private static bool DoesWork(SemanticModel model, SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax call => !IsFormatting(model, call),
        AssignmentExpressionSyntax => true,
        PrefixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression),
        PostfixUnaryExpressionSyntax unary => unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression),
        _ => false,
    };

    private static bool IsFormatting(SemanticModel model, InvocationExpressionSyntax call)
    {
        var name = call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
            IdentifierNameSyntax identifier => identifier.Identifier.Text,
            _ => "",
        };
        if (name == "ToString" && call.ArgumentList.Arguments.Count <= 1) return true;
        // string.Format / string.Concat only when they bind to System.String's own.
        return name is "Format" or "Concat"
            && model.GetSymbolInfo(call).Symbol is IMethodSymbol { ContainingType.SpecialType: SpecialType.System_String };
    }
}
