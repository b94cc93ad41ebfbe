namespace Pipeline.IntegrationTests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> returns a value, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> Within<T>(TimeSpan timeout, string what, Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s.");
            await Task.Delay(200);
        }
    }
}
