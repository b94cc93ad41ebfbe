using System.Buffers;
using System.Text;
using Pipeline.Ingest.Text;

namespace Pipeline.Ingest.Steps;

/// <summary>
/// Finds e-mail addresses, IPv4/IPv6 addresses, Luhn-valid card numbers and phone numbers with
/// hand-written scanners (no regular expressions, so no backtracking on hostile input), then
/// replaces them in one pass with typed placeholders. Dates and version numbers are not phone
/// numbers: a phone needs a '+', a parenthesised area code, or digit groups joined by spaces/dashes,
/// and never looks like YYYY-MM-DD.
/// </summary>
public sealed class PiiRedactor
{
    private static readonly SearchValues<char> NumberStarts = SearchValues.Create("0123456789+(");

    private readonly record struct Match(int Start, int End, PiiKind Kind);

    public PiiResult Redact(string text)
    {
        List<Match>? matches = null;
        FindEmails(text, ref matches);
        FindNumbers(text, ref matches);
        FindIpv6(text, ref matches);
        if (matches is null) return new PiiResult(text, 0, 0, 0, 0);
        matches.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var output = new StringBuilder(text.Length);
        var replacements = new List<TextReplacement>(matches.Count);
        int position = 0, emails = 0, ips = 0, cards = 0, phones = 0;
        foreach (var match in matches)
        {
            if (match.Start < position) continue;
            var placeholder = PiiPlaceholders.For(match.Kind);
            output.Append(text, position, match.Start - position).Append(placeholder);
            replacements.Add(new TextReplacement(match.Start, match.End, placeholder.Length));
            position = match.End;
            switch (match.Kind)
            {
                case PiiKind.Email: emails++; break;
                case PiiKind.IpAddress: ips++; break;
                case PiiKind.CreditCard: cards++; break;
                default: phones++; break;
            }
        }
        output.Append(text, position, text.Length - position);
        return new PiiResult(output.ToString(), emails, ips, cards, phones) { Replacements = replacements };
    }

    private static void Add(ref List<Match>? matches, int start, int end, PiiKind kind) => (matches ??= []).Add(new Match(start, end, kind));

    private static bool IsLocalPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    private static void FindEmails(string text, ref List<Match>? matches)
    {
        var at = text.IndexOf('@');
        while (at >= 0)
        {
            var start = at;
            while (start > 0 && IsLocalPart(text[start - 1])) start--;
            while (start < at && text[start] == '.') start++;
            var end = at + 1;
            while (end < text.Length && IsDomain(text[end])) end++;
            while (end > at + 1 && text[end - 1] is '.' or '-') end--;
            var domain = text.AsSpan(at + 1, end - at - 1);
            var lastDot = domain.LastIndexOf('.');
            if (start < at && lastDot > 0 && domain.Length - lastDot - 1 >= 2 && char.IsAsciiLetter(domain[^1]))
                Add(ref matches, start, end, PiiKind.Email);
            at = text.IndexOf('@', Math.Max(end, at + 1));
        }
    }

    /// <summary>One scan over digit runs: each may start an IPv4 address, a card number or a phone number.</summary>
    private static void FindNumbers(string text, ref List<Match>? matches)
    {
        var i = 0;
        while (i < text.Length)
        {
            // Jump to the next digit, '+' or '(': the only characters that can start a number.
            var next = text.AsSpan(i).IndexOfAny(NumberStarts);
            if (next < 0) break;
            i += next;
            var c = text[i];
            var startsNumber = char.IsAsciiDigit(c) || (c is '+' or '(' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]));
            if (!startsNumber || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '.' or '-' or '_' or '/' or ':')))
            {
                // The digits that follow a rejected digit are rejected too (a digit precedes each), so
                // they are skipped here rather than found one search at a time ("abc123", "3.14159").
                if (char.IsAsciiDigit(c)) i = SkipDigits(text, i + 1); else i++;
                continue;
            }
            var end = TryIpv4(text, i);
            if (end > 0) { Add(ref matches, i, end, PiiKind.IpAddress); i = end; continue; }
            end = TryCard(text, i);
            if (end > 0) { Add(ref matches, i, end, PiiKind.CreditCard); i = end; continue; }
            end = TryPhone(text, i);
            if (end > 0) { Add(ref matches, i, end, PiiKind.Phone); i = end; continue; }
            i = SkipNumber(text, i);
        }
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        return i;
    }

    /// <summary>Past the whole digit group run, so a failed candidate's tail is not tried as a new number.</summary>
    private static int SkipNumber(string text, int i)
    {
        i++;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is ' ' or '-' or '.' or '/' or ')' or '(' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))) i++;
        return i;
    }

    private static bool Boundary(string text, int end) => end >= text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] is '_' || (text[end] is '.' or '-' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])));

    private static int TryIpv4(string text, int start)
    {
        var i = start;
        for (var part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (i >= text.Length || text[i] != '.') return 0;
                i++;
            }
            var digitsStart = i;
            var value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - digitsStart < 4) value = value * 10 + (text[i++] - '0');
            var digits = i - digitsStart;
            if (digits is 0 or > 3 || value > 255) return 0;
        }
        return Boundary(text, i) ? i : 0;
    }

    /// <summary>13-19 digits in groups joined by single spaces or dashes, passing the Luhn check.</summary>
    private static int TryCard(string text, int start)
    {
        Span<int> digits = stackalloc int[19];
        var count = 0;
        var i = start;
        var lastDigitEnd = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == 19) return 0;
                digits[count++] = c - '0';
                i++;
                lastDigitEnd = i;
            }
            else if (c is ' ' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && i > start && char.IsAsciiDigit(text[i - 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }
        if (count < 13 || !Boundary(text, lastDigitEnd)) return 0;
        return Luhn(digits[..count]) ? lastDigitEnd : 0;
    }

    internal static bool Luhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var k = 0; k < digits.Length; k++)
        {
            var d = digits[digits.Length - 1 - k];
            if (k % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>
    /// [+]digits with groups joined by one space, dash or dot, or a (area) code; 7-15 digits. Needs a
    /// '+', parentheses, or at least one space/dash separator; rejects date shapes and dot-only groups.
    /// </summary>
    private static int TryPhone(string text, int start)
    {
        Span<int> groups = stackalloc int[8];
        var groupCount = 0;
        var digits = 0;
        var i = start;
        var plus = false;
        var parentheses = false;
        var spaceOrDash = false;
        var dot = false;
        var slash = false;
        if (text[i] == '+') { plus = true; i++; }
        var lastDigitEnd = i;
        while (i < text.Length && groupCount < groups.Length)
        {
            var c = text[i];
            if (c == '(')
            {
                var close = i + 1;
                while (close < text.Length && char.IsAsciiDigit(text[close])) close++;
                if (close == i + 1 || close - i - 1 > 5 || close >= text.Length || text[close] != ')') break;
                groups[groupCount++] = close - i - 1;
                digits += close - i - 1;
                parentheses = true;
                i = close + 1;
                lastDigitEnd = i;
                if (i < text.Length && text[i] == ' ' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) i++;
                continue;
            }
            if (!char.IsAsciiDigit(c)) break;
            var groupStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            groups[groupCount++] = i - groupStart;
            digits += i - groupStart;
            lastDigitEnd = i;
            if (i + 1 < text.Length && text[i] is ' ' or '-' or '.' or '/' && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '('))
            {
                if (text[i] == '.') dot = true; else if (text[i] == '/') slash = true; else spaceOrDash = true;
                i++;
                continue;
            }
            break;
        }
        if (digits is < 7 or > 15 || !Boundary(text, lastDigitEnd)) return 0;
        if (!plus && !parentheses && !spaceOrDash) return 0;
        if (slash || (dot && !plus && !parentheses)) return 0;
        if (LooksLikeDate(groups[..groupCount])) return 0;
        // A one-digit group after the first is an ISBN or a part number, not a phone number.
        for (var g = 1; g < groupCount; g++)
        {
            if (groups[g] == 1) return 0;
        }
        if (!plus && !parentheses && groups[0] == 4 && groupCount >= 2 && groups[1] <= 2) return 0;
        return lastDigitEnd;
    }

    private static bool LooksLikeDate(ReadOnlySpan<int> groups) =>
        groups.Length == 3 && (groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2 || groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4);

    /// <summary>Hex groups with colons: at most 8 groups of 1-4 hex digits, one "::", all 8 groups without it.</summary>
    private static void FindIpv6(string text, ref List<Match>? matches)
    {
        var colon = text.IndexOf(':');
        while (colon >= 0)
        {
            var start = colon;
            while (start > 0 && (char.IsAsciiHexDigit(text[start - 1]) || text[start - 1] == ':')) start--;
            var end = colon;
            while (end < text.Length && (char.IsAsciiHexDigit(text[end]) || text[end] == ':')) end++;
            if ((start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end >= text.Length || !char.IsLetterOrDigit(text[end])) && IsIpv6(text.AsSpan(start, end - start)))
                Add(ref matches, start, end, PiiKind.IpAddress);
            colon = end + 1 < text.Length ? text.IndexOf(':', end + 1) : -1;
        }
    }

    private static bool IsIpv6(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length < 3) return false;
        var doubleColon = candidate.IndexOf("::");
        if (doubleColon >= 0 && candidate[(doubleColon + 1)..].IndexOf("::") >= 0) return false;
        var groups = 0;
        var digits = false;
        foreach (var range in candidate.Split(':'))
        {
            var group = candidate[range];
            if (group.IsEmpty) continue;
            if (group.Length > 4) return false;
            groups++;
            foreach (var c in group) digits |= char.IsAsciiDigit(c);
        }
        if (!digits) return false;
        if (doubleColon < 0) return groups == 8 && candidate[0] != ':' && candidate[^1] != ':';
        return groups is >= 1 and <= 7;
    }
}
