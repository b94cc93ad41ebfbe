using Pipeline.Ingest.Steps;

namespace Pipeline.Ingest.Tests.Steps;

public sealed class PiiRedactorTests
{
    private readonly PiiRedactor _redactor = new();

    [Theory]
    [InlineData("Write to jane.doe@example.org today.", "Write to <EMAIL> today.")]
    [InlineData("From: <exmh-workers-admin@redhat.com>", "From: <<EMAIL>>")]
    [InlineData("Server 192.168.10.25 is down.", "Server <IP_ADDRESS> is down.")]
    [InlineData("Use 2001:db8:85a3::8a2e:370:7334 now.", "Use <IP_ADDRESS> now.")]
    [InlineData("Full 2001:0db8:0000:0000:0000:ff00:0042:8329 form.", "Full <IP_ADDRESS> form.")]
    [InlineData("Card 4111 1111 1111 1111 on file.", "Card <CREDIT_CARD> on file.")]
    [InlineData("Card 5500-0000-0000-0004 on file.", "Card <CREDIT_CARD> on file.")]
    [InlineData("Call +1 (555) 123-4567 now.", "Call <PHONE> now.")]
    [InlineData("Ruf 030 1234 5678 an.", "Ruf <PHONE> an.")]
    [InlineData("Dial +44 20 7946 0958.", "Dial <PHONE>.")]
    [InlineData("Call 555-867-5309 please.", "Call <PHONE> please.")]
    public void Personal_data_is_replaced_by_a_typed_placeholder(string input, string expected) =>
        Assert.Equal(expected, _redactor.Redact(input).Text);

    [Theory]
    [InlineData("Version 2.4.1 shipped on 2023-04-05.")]
    [InlineData("Released 10.0.100 on 05/04/2023 and 5.4.3.2.1 later.")]
    [InlineData("Dates 2023 04 05 and 12.03.2024 are not phones.")]
    [InlineData("At 12:36:23 the job ran, see std::vector and a::b.")]
    [InlineData("Card-like 4111 1111 1111 1112 fails the Luhn check.")]
    [InlineData("Order 1234567890 and ISBN 978-3-16-148410-0 are ids.")]
    [InlineData("Not an address: user@localhost or @handle.")]
    [InlineData("Version 1.2.3.4000 is not an IP, 300.1.1.1 neither.")]
    [InlineData("The year 1999 and 42 apples.")]
    public void Versions_dates_and_ordinary_numbers_are_left_alone(string input)
    {
        var result = _redactor.Redact(input);
        Assert.Equal(input, result.Text);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public void Counts_are_per_type()
    {
        var result = _redactor.Redact("a@b.com c@d.org 10.0.0.1 4111111111111111 +49 30 1234567");
        Assert.Equal((2, 1, 1, 1), (result.Emails, result.IpAddresses, result.CreditCards, result.Phones));
    }

    [Fact]
    public void Luhn_check_matches_known_numbers()
    {
        Assert.True(PiiRedactor.Luhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
        Assert.True(PiiRedactor.Luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        Assert.False(PiiRedactor.Luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
    }
}
