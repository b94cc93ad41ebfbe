using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.BlobStorage;

namespace Pipeline.ServiceDefaults.Health;

/// <summary>Ready only while the blob store answers: a service that cannot read its inputs should get no work.</summary>
internal sealed class BlobStoreHealthCheck(IBlobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.CheckAvailableAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("blob store unreachable", ex);
        }
    }
}
